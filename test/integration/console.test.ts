// Console sign-in end to end: the core flow (core/consoleSignin.ts) with the real SDK gateway and Node's
// fetch against the fake's federation endpoint (test/fake-aws/federation.ts), which enforces AWS's rule:
// a role session assumed with DurationSeconds while signed by temporary credentials is refused.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAwsGateway } from '../../src/aws/gateway';
import type { AwsGateway } from '../../src/core/gateway';
import { systemClock } from '../../src/core/clock';
import { ConsoleSigninError, signinTokenRequestUrl } from '../../src/core/console';
import { consoleSignin, type FetchLike } from '../../src/core/consoleSignin';
import { loadProfiles, readAwsFiles } from '../../src/core/profiles';
import { Redactor } from '../../src/core/redact';
import { rolesFromProfiles } from '../../src/core/roles';
import { SessionStore } from '../../src/core/session';
import { Switcher } from '../../src/core/switcher';
import type { RoleDefinition, Session } from '../../src/core/types';
import { startFakeAws, writeAwsHome, type FakeAws } from '../fake-aws/index';

describe('console sign-in against the fake federation endpoint', function () {
  this.timeout(30_000);
  let fake: FakeAws;
  let dir: string;
  let roles: Map<string, RoleDefinition>;
  let profiles: ReturnType<typeof loadProfiles>['profiles'];
  let gateway: AwsGateway;
  let store: SessionStore;
  let switcher: Switcher;
  let redactor: Redactor;
  let mfaCodes: string[];
  let federation: string;
  const savedEnv = { ...process.env };
  const fetch = globalThis.fetch as unknown as FetchLike;

  before(async () => {
    fake = await startFakeAws();
    federation = `${fake.endpoint}/federation`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-console-'));
    const home = writeAwsHome(dir, fake);
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    Object.assign(process.env, home.env);
    const loaded = loadProfiles(await readAwsFiles(process.env, dir));
    profiles = loaded.profiles;
    roles = new Map(rolesFromProfiles(loaded.profiles).roles.map((x) => [x.label, x]));
  });

  after(async () => {
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
  });

  beforeEach(() => {
    gateway = createAwsGateway({ maxAttempts: 1 });
    store = new SessionStore(systemClock);
    redactor = new Redactor();
    mfaCodes = [];
    fake.clearFaults();
    switcher = new Switcher({
      gateway: () => gateway,
      callOptions: () => ({ region: 'us-east-1', timeoutMs: 5000 }),
      askMfaCode: async () => mfaCodes.shift(),
      store,
      redactor,
      profiles: () => profiles,
    });
  });
  afterEach(() => {
    store.dispose();
    gateway.reset();
  });

  const deps = (over: Partial<Parameters<typeof consoleSignin>[1]> = {}) => ({
    fetch,
    reassume: (signal?: AbortSignal) => switcher.assumeForConsole(signal),
    federationEndpointSetting: federation,
    configuredRegion: 'us-east-1',
    redactor,
    ...over,
  });

  async function directStatus(s: Session): Promise<number> {
    return (await globalThis.fetch(signinTokenRequestUrl(federation, s), { redirect: 'manual' })).status;
  }

  /** Opens the login URL like a browser would and returns the identity the fake signed in. */
  async function login(url: string): Promise<{ status: number; identity: string | null; destination: string | null }> {
    const res = await globalThis.fetch(url, { redirect: 'manual' });
    await res.text();
    return { status: res.status, identity: res.headers.get('x-fake-federated-identity'), destination: res.headers.get('x-fake-destination') };
  }

  it('signs in as a role assumed with long-term keys, with no second AssumeRole', async () => {
    const { session } = await switcher.switchTo(roles.get('s3-Full-Access')!);
    assert.equal(await directStatus(session), 200, 'the fake accepts this session as it is');
    const assumes = fake.calls.filter((c) => c.action === 'AssumeRole').length;
    const r = await consoleSignin(session, deps({ destinationSetting: '/s3/home?region={region}' }));
    assert.equal(r.via, 'federation');
    assert.equal(fake.calls.filter((c) => c.action === 'AssumeRole').length, assumes);
    const u = new URL(r.url);
    assert.equal(`${u.origin}${u.pathname}`, federation);
    assert.equal(u.searchParams.get('Action'), 'login');
    const l = await login(r.url);
    assert.equal(l.status, 200);
    assert.equal(l.identity, session.assumedRoleArn);
    assert.equal(l.destination, 'https://console.aws.amazon.com/s3/home?region=us-east-1');
    const token = u.searchParams.get('SigninToken')!;
    assert.ok(fake.issuedSecrets().includes(token), 'the sign-in token is among the fake\'s issued secrets (leak scans)');
    assert.ok(!redactor.redact(r.url).includes(token), 'the token is redacted');
  });

  it('refuses a role-chained session as it is, and signs in after assuming it again without DurationSeconds', async () => {
    const { session } = await switcher.switchTo(roles.get('chained-deploy')!);
    assert.equal(session.chained, true);
    assert.equal(await directStatus(session), 400, 'the federation endpoint refuses a chained session assumed with DurationSeconds');
    const before = fake.calls.length;
    const r = await consoleSignin(session, deps());
    assert.equal(r.via, 'reassumed');
    assert.match(r.reassumeReason!, /role chaining/);
    const again = fake.calls.slice(before).filter((c) => c.action === 'AssumeRole');
    assert.equal(again.length, 1);
    assert.equal(again[0].accessKeyId, store.sessions[store.sessions.length - 2].accessKeyId, 'signed by the session below, as the switch was');
    assert.equal(store.current, session, "the editor's session is unchanged");
    const l = await login(r.url);
    assert.equal(l.status, 200);
    assert.equal(l.identity, session.assumedRoleArn);
    assert.ok(r.expiration!.getTime() - Date.now() <= 3600_000 + 5000, 'a one-hour console session');
  });

  it('refuses a role assumed with an MFA session, and re-assumes it with the same MFA session (no second code)', async () => {
    mfaCodes = ['123456'];
    const { session } = await switcher.switchTo(roles.get('mfa-admin')!);
    assert.equal(session.viaMfaSession, true);
    assert.equal(await directStatus(session), 400);
    const r = await consoleSignin(session, deps());
    assert.equal(r.via, 'reassumed');
    assert.match(r.reassumeReason!, /MFA session/);
    assert.equal(mfaCodes.length, 0);
    assert.equal((await login(r.url)).identity, session.assumedRoleArn);
  });

  it('says exactly why when assuming the role again fails', async () => {
    const { session } = await switcher.switchTo(roles.get('chained-deploy')!);
    fake.injectFault({ service: 'sts', action: 'AssumeRole', kind: 'expiredToken' });
    await assert.rejects(consoleSignin(session, deps()), (e: Error) => {
      assert.ok(e instanceof ConsoleSigninError);
      assert.match(e.message, /role chaining/);
      assert.match(e.message, /ExpiredToken/);
      assert.match(e.message, /Switch Back and assume chained-deploy again/);
      for (const secret of fake.issuedSecrets()) assert.ok(!e.message.includes(secret));
      return true;
    });
  });

  it('rejects a forged or expired session and an unknown sign-in token', async () => {
    const { session } = await switcher.switchTo(roles.get('s3-Full-Access')!);
    assert.equal(await directStatus({ ...session, secretAccessKey: 'wrong' }), 400);
    const bad = await login(`${federation}?Action=login&Issuer=x&Destination=${encodeURIComponent('https://console.aws.amazon.com/')}&SigninToken=nope`);
    assert.equal(bad.status, 400);
    assert.equal(bad.identity, null);
  });

  it('explains an unreachable federation endpoint without quoting the request', async () => {
    const { session } = await switcher.switchTo(roles.get('s3-Full-Access')!);
    await assert.rejects(consoleSignin(session, deps({ federationEndpointSetting: 'http://127.0.0.1:9/federation' })), (e: Error) => {
      assert.ok(e instanceof ConsoleSigninError);
      assert.match(e.message, /Could not reach the AWS federation endpoint 127\.0\.0\.1:9/);
      assert.ok(!e.message.includes(session.secretAccessKey) && !e.message.includes(encodeURIComponent(session.secretAccessKey)));
      return true;
    });
  });
});
