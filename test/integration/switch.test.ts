// The extension's switch path (core Switcher + real SDK gateway) against the local fake AWS over HTTP,
// with roles read from a generated ~/.aws the way the extension reads them.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAwsGateway } from '../../src/aws/gateway';
import type { AwsGateway } from '../../src/core/gateway';
import { systemClock } from '../../src/core/clock';
import { translateError } from '../../src/core/errorText';
import { isCancelled } from '../../src/core/errors';
import { loadProfiles, readAwsFiles } from '../../src/core/profiles';
import { Redactor } from '../../src/core/redact';
import { rolesFromProfiles } from '../../src/core/roles';
import { SessionStore } from '../../src/core/session';
import { HopError, Switcher } from '../../src/core/switcher';
import type { RoleDefinition } from '../../src/core/types';
import { startFakeAws, writeAwsHome, type FakeAws } from '../fake-aws/index';

const POLICY = JSON.parse(fs.readFileSync(path.join(__dirname, '../fake-aws/scenarios/seeds.json'), 'utf8')).accounts[0].users[0].inlinePolicies['s3-Full-Access-Policy'];

describe('switch path against the fake AWS', function () {
  this.timeout(30_000);
  let fake: FakeAws;
  let dir: string;
  let roles: Map<string, RoleDefinition>;
  let profiles: ReturnType<typeof loadProfiles>['profiles'];
  let gateway: AwsGateway;
  let store: SessionStore;
  let mfaCodes: string[];
  let switcher: Switcher;
  const savedEnv = { ...process.env };

  before(async () => {
    fake = await startFakeAws();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-switch-'));
    const home = writeAwsHome(dir, fake);
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    Object.assign(process.env, home.env);
    const files = await readAwsFiles(process.env, dir);
    const loaded = loadProfiles(files);
    assert.deepEqual(loaded.errors, []);
    profiles = loaded.profiles;
    const r = rolesFromProfiles(loaded.profiles);
    assert.deepEqual(r.errors, []);
    roles = new Map(r.roles.map((x) => [x.label, x]));
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
    mfaCodes = [];
    fake.clearFaults();
    fake.setIssuedCredentialLifetime(null);
    switcher = new Switcher({
      gateway: () => gateway,
      callOptions: () => ({ region: 'us-east-1', timeoutMs: 5000 }),
      askMfaCode: async () => mfaCodes.shift(),
      store,
      redactor: new Redactor(),
      profiles: () => profiles,
    });
  });
  afterEach(() => {
    store.dispose();
    gateway.reset();
  });

  it('assumes s3-Full-Access from the default profile (endpoint from AWS_ENDPOINT_URL)', async () => {
    const r = await switcher.switchTo(roles.get('s3-Full-Access')!);
    assert.equal(r.session.assumedRoleArn, 'arn:aws:sts::111111111111:assumed-role/s3-Full-Access/test-user');
    assert.equal(r.session.sourceIdentityArn, 'arn:aws:iam::111111111111:user/test-user');
    assert.match(r.session.accessKeyId, /^ASIA/);
    assert.equal(store.current, r.session);
    const who = await gateway.getCallerIdentity({ region: 'us-east-1', credentials: { kind: 'static', credentials: r.session } });
    assert.equal(who.arn, r.session.assumedRoleArn);
  });

  it('replays the seeds story: AccessDenied without the policy, success after it is added', async () => {
    const first = await switcher.switchTo(roles.get('team-path-role')!);
    fake.deleteUserPolicy('test-user', 's3-Full-Access-Policy');
    try {
      const err = await switcher.switchTo(roles.get('s3-Full-Access')!).then(() => undefined, (e) => e);
      assert.ok(err instanceof HopError, String(err));
      assert.equal((err.cause as Error).name, 'AccessDenied');
      assert.equal(err.callerArn, 'arn:aws:iam::111111111111:user/test-user');
      const t = translateError(err.cause, { roleLabel: 's3-Full-Access', roleArn: roles.get('s3-Full-Access')!.roleArn, callerArn: err.callerArn })!;
      assert.equal(t.kind, 'accessDenied');
      assert.match(t.message, /sts:AssumeRole/);
      assert.match(t.message, /trust policy/);
      assert.equal(store.current, first.session, 'the previous session stays');
    } finally {
      fake.putUserPolicy('test-user', 's3-Full-Access-Policy', POLICY);
    }
    const ok = await switcher.switchTo(roles.get('s3-Full-Access')!);
    assert.equal(store.current, ok.session);
  });

  it('asks for the MFA code; a wrong code fails and keeps the session', async () => {
    const before = await switcher.switchTo(roles.get('s3-Full-Access')!);
    mfaCodes = ['000000'];
    const err = await switcher.switchTo(roles.get('mfa-admin')!).then(() => undefined, (e) => e);
    assert.ok(err instanceof HopError);
    assert.equal(translateError(err.cause)!.kind, 'mfa');
    assert.equal(store.current, before.session);
    mfaCodes = ['123456'];
    const r = await switcher.switchTo(roles.get('mfa-admin')!);
    assert.equal(r.session.assumedRoleArn, 'arn:aws:sts::111111111111:assumed-role/mfa-admin/test-user');
  });

  it('cancels silently when the MFA prompt is dismissed', async () => {
    mfaCodes = [];
    await assert.rejects(switcher.switchTo(roles.get('mfa-admin')!), (e) => isCancelled(e));
    assert.equal(store.current, undefined);
  });

  it('passes the ExternalId from the profile', async () => {
    const r = await switcher.switchTo(roles.get('partner-access')!);
    assert.equal(r.session.assumedRoleArn, 'arn:aws:sts::111111111111:assumed-role/partner-access/test-user');
    const without = { ...roles.get('partner-access')!, hops: [{ roleArn: roles.get('partner-access')!.roleArn }] };
    await assert.rejects(switcher.switchTo(without), (e: unknown) => e instanceof HopError && (e.cause as Error).name === 'AccessDenied');
  });

  it('assumes a chained profile hop by hop and pops back one level at a time', async () => {
    const r = await switcher.switchTo(roles.get('chained-deploy')!);
    assert.equal(store.depth, 2);
    assert.equal(store.sessions[0].assumedRoleArn, 'arn:aws:sts::111111111111:assumed-role/s3-Full-Access/test-user');
    assert.equal(r.session.assumedRoleArn, 'arn:aws:sts::222222222222:assumed-role/chained-deploy/test-user');
    assert.equal(r.session.sourceIdentityArn, store.sessions[0].assumedRoleArn);
    assert.equal((await switcher.switchBack())?.assumedRoleArn, store.sessions[0].assumedRoleArn);
    assert.equal(await switcher.switchBack(), undefined);
  });

  it('names the failing hop of a chain', async () => {
    const chained = roles.get('chained-deploy')!;
    const broken = { ...chained, hops: [chained.hops[0], { ...chained.hops[1], roleArn: 'arn:aws:iam::222222222222:role/cross-account-readonly' }] };
    const err = await switcher.switchTo(broken).then(() => undefined, (e) => e);
    assert.ok(err instanceof HopError);
    assert.equal(err.hop.index, 1);
    assert.equal(err.hop.profile, 'chained-deploy');
    assert.match(translateError(err.cause, { hop: err.hop })!.message, /hop 2 of 2 \(profile "chained-deploy"/);
  });

  it('retries at 3600 s when the role allows less than asked', async () => {
    const role = roles.get('s3-Full-Access')!;
    const long = { ...role, hops: [{ ...role.hops[0], durationSeconds: 7200 }] };
    const r = await switcher.switchTo(long);
    assert.equal(r.notices.length, 1);
    const ms = r.session.expiration.getTime() - Date.now();
    assert.ok(ms <= 3600_000 && ms > 3500_000, `expires in ${ms} ms`);
  });

  it('ends the session when its credentials expire, and the fake refuses them afterwards', async () => {
    fake.setIssuedCredentialLifetime(2);
    const r = await switcher.switchTo(roles.get('s3-Full-Access')!);
    const ended = new Promise<string>((resolve) => store.onDidChange((c) => resolve(c.kind)));
    assert.equal(await ended, 'expired');
    assert.equal(store.current, undefined);
    // The response's Expiration has whole seconds, so the extension ends the session up to a second
    // before AWS stops honouring it; wait out that second.
    await new Promise((r) => setTimeout(r, 1100));
    await assert.rejects(
      gateway.getCallerIdentity({ region: 'us-east-1', credentials: { kind: 'static', credentials: r.session } }),
      (e: Error) => e.name === 'ExpiredToken',
    );
  });

  it('times out a hung STS within the configured timeout and keeps the session', async () => {
    const before = await switcher.switchTo(roles.get('s3-Full-Access')!);
    fake.injectFault({ service: 'sts', action: 'AssumeRole', kind: 'timeout', times: 5 });
    const s2 = new Switcher({ gateway: () => gateway, callOptions: () => ({ region: 'us-east-1', timeoutMs: 700 }), askMfaCode: async () => undefined, store, profiles: () => profiles });
    const err = await s2.switchTo(roles.get('team-path-role')!).then(() => undefined, (e) => e);
    assert.ok(err instanceof HopError);
    assert.equal(translateError(err.cause)!.kind, 'timeout');
    assert.equal(store.current, before.session);
  });

  it('rejects a response with a malformed Expiration and keeps the session', async () => {
    const before = await switcher.switchTo(roles.get('s3-Full-Access')!);
    fake.injectFault({ service: 'sts', action: 'AssumeRole', kind: 'badExpiration' });
    const err = await switcher.switchTo(roles.get('team-path-role')!).then(() => undefined, (e) => e);
    assert.ok(err instanceof HopError);
    assert.equal(translateError(err.cause)!.kind, 'malformed');
    assert.equal(store.current, before.session);
  });
});
