// The core's IAM Identity Center lifecycle (device flow, tokens, CLI cache, discovery) through the real
// AWS SDK v3 against the local fake's SSO OIDC and portal APIs. Time: the flow's sleeps move the fake's
// Identity Center clock (POST /__admin/sso/advance) and our FakeClock together, so a 600 s code or an
// 8 h token is tested without waiting.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FakeClock } from '../../src/core/clock';
import { SsoCliCache } from '../../src/core/ssoCache';
import { runDeviceFlow, SsoSignInError, type DeviceCodePrompt } from '../../src/core/ssoDeviceFlow';
import { discoverSso } from '../../src/core/ssoDiscovery';
import { SsoTokenManager } from '../../src/core/ssoTokens';
import { SsoSignInRequiredError, type SsoCallOptions, type SsoPortal } from '../../src/core/ssoTypes';
import { loadScenario, DEFAULT_SCENARIO_PATH, startFakeAws, type FakeAws } from '../fake-aws';
import { generateIdentityCenter } from '../fake-aws/ssoScenario';
import { MemoryTokenStore } from '../helpers/fakeSsoGateway';
import { createSsoGateway } from '../../src/aws/sso';

const START_URL = 'https://corp-org.awsapps.com/start';
const PORTAL: SsoPortal = { id: 'session:corp', startUrl: START_URL, region: 'us-east-1', source: 'sso-session', sessionName: 'corp', scopes: ['sso:account:access'] };
const ACCOUNTS = 40;

describe('IAM Identity Center against the fake (device flow, tokens, CLI cache, discovery)', function () {
  this.timeout(60_000);
  let fake: FakeAws;
  let gateway: ReturnType<typeof createSsoGateway>;
  let clock: FakeClock;
  let logs: string[];
  let call: SsoCallOptions;

  async function admin(route: string, body?: unknown, method = 'POST'): Promise<Record<string, unknown>> {
    const res = await fetch(`${fake.endpoint}/__admin/sso/${route}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const doc = (await res.json()) as Record<string, unknown>;
    assert.equal(res.status, 200, JSON.stringify(doc));
    return doc;
  }
  /** The flow's sleep: our clock and the fake's Identity Center clock move together, at once. */
  const sleeps: number[] = [];
  let sleepHook: (ms: number, n: number) => number = (ms) => ms;
  let afterSleep: (ms: number) => Promise<void> = async () => undefined;
  async function sleep(ms: number): Promise<void> {
    sleeps.push(ms);
    const moved = sleepHook(ms, sleeps.length);
    clock.advance(moved);
    await admin('advance', { ms: moved });
    await afterSleep(ms);
  }

  before(async () => {
    const doc = loadScenario(DEFAULT_SCENARIO_PATH);
    doc.identityCenter = { ...generateIdentityCenter({ accounts: ACCOUNTS, permissionSets: 3, startUrl: START_URL }), interval: 1 };
    fake = await startFakeAws({ scenario: doc });
    call = { region: 'us-east-1', endpoint: fake.endpoint };
  });
  after(async () => {
    await fake?.close();
  });
  beforeEach(async () => {
    // One attempt per call: the retries under throttling are the core's own backoff, not the SDK's.
    gateway = createSsoGateway({ maxAttempts: 1 });
    // Our clock starts where the fake's Identity Center clock is (earlier tests advanced it).
    clock = new FakeClock(Date.now() + Number((await admin('state', undefined, 'GET')).offsetMs ?? 0));
    logs = [];
    sleeps.length = 0;
    sleepHook = (ms) => ms;
    afterSleep = async () => undefined;
    await admin('load', undefined, 'DELETE');
  });
  afterEach(() => gateway.reset());

  const flow = (onCode: (p: DeviceCodePrompt) => void | Promise<void>) => {
    let pending: Promise<void> | undefined;
    const p = runDeviceFlow(PORTAL, { gateway, callOptions: () => call, clock, sleep, log: (l) => logs.push(l), onCode: (c) => void (pending = Promise.resolve(onCode(c))) });
    return p.finally(() => pending);
  };

  function assertNoSecretsLogged() {
    const secrets = fake.issuedSecrets();
    assert.ok(secrets.length > 0);
    for (const l of logs) for (const s of secrets) assert.ok(!l.includes(s), `a log line leaks a secret: ${l}`);
  }

  it('approve: the code is shown, polling waits for the approval, the token lists accounts', async () => {
    const prompts: DeviceCodePrompt[] = [];
    const rec = await flow(async (p) => {
      prompts.push(p);
      await admin('approve', { userCode: p.userCode });
    });
    assert.equal(prompts.length, 1);
    assert.match(prompts[0].userCode, /^[A-Z]{4}-[A-Z]{4}$/);
    assert.equal(prompts[0].verificationUriComplete, `${prompts[0].verificationUri}?user_code=${prompts[0].userCode}`);
    assert.equal(rec.origin, 'signIn');
    assert.ok(rec.refreshToken, 'sso:account:access gives a refresh token');
    assert.ok(rec.registration && rec.registration.expiresAt.getTime() > clock.now() + 80 * 86400_000);
    assert.deepStrictEqual(sleeps, [1000]);
    const pages: number[] = [];
    for await (const page of gateway.listAccounts(call, rec.accessToken)) pages.push(page.length);
    assert.equal(pages.reduce((a, b) => a + b, 0), ACCOUNTS);
    assertNoSecretsLogged();
  });

  it('deny: stops with kind denied', async () => {
    await assert.rejects(
      flow(async (p) => void (await admin('deny', { userCode: p.userCode }))),
      (e: unknown) => e instanceof SsoSignInError && e.kind === 'denied' && /denied in the browser/.test(e.message),
    );
  });

  it('slow_down: a poll that came too early adds 5 s to the interval, and the flow then succeeds', async () => {
    // The second wait is cut short (a poll 0.5 s after the previous one): the fake answers slow_down.
    sleepHook = (ms, n) => (n === 2 ? ms / 2 : ms);
    let code = '';
    // The user approves while the flow waits the slowed-down interval.
    afterSleep = async (ms) => {
      if (ms === 6000) await admin('approve', { userCode: code });
    };
    const before = fake.calls.length;
    const r = await flow((p) => void (code = p.userCode));
    assert.ok(r.accessToken);
    assert.deepStrictEqual(sleeps, [1000, 1000, 6000]);
    const polls = fake.calls.slice(before).filter((c) => c.action === 'CreateToken').map((c) => c.errorCode ?? 'ok');
    assert.deepStrictEqual(polls, ['AuthorizationPendingException', 'SlowDownException', 'ok']);
  });

  it('expiry: the code expires before approval, the flow stops with kind expired', async () => {
    await assert.rejects(
      flow(async () => void (await admin('expire', { what: 'deviceCodes' }))),
      (e: unknown) => e instanceof SsoSignInError && e.kind === 'expired',
    );
  });

  it('refresh: near expiry the manager refreshes over the wire; a revoked refresh token asks to sign in', async () => {
    const store = new MemoryTokenStore();
    const mgr = new SsoTokenManager(store, gateway, clock, { callOptions: () => call, sleep, log: (l) => logs.push(l) });
    await admin('auto-approve', { afterMs: 0 });
    try {
      await mgr.signIn(PORTAL, { showCode: () => undefined });
    } finally {
      await admin('auto-approve', { afterMs: null });
    }
    const first = store.records.get(PORTAL.id)!;
    assert.equal(await mgr.token(PORTAL), first.accessToken);
    // 8 h tokens: 7 h 57 min later the token has 3 min left.
    clock.advance(7 * 3600_000 + 57 * 60_000);
    await admin('advance', { ms: 7 * 3600_000 + 57 * 60_000 });
    const refreshed = await mgr.token(PORTAL);
    assert.notEqual(refreshed, first.accessToken);
    assert.equal(store.records.get(PORTAL.id)?.accessToken, refreshed);
    assert.notEqual(store.records.get(PORTAL.id)?.refreshToken, first.refreshToken, 'the rotated refresh token is stored');
    const pages: number[] = [];
    for await (const page of gateway.listAccounts(call, refreshed)) pages.push(page.length);
    assert.ok(pages.length > 0);
    assert.equal(await mgr.state(PORTAL), 'signedIn');
    // Revoked in the portal, and the access token runs out: the refresh fails with InvalidGrant.
    await admin('revoke', { all: true });
    clock.advance(8 * 3600_000);
    await admin('advance', { ms: 8 * 3600_000 });
    await assert.rejects(mgr.token(PORTAL), SsoSignInRequiredError);
    assert.equal(store.records.size, 0);
    assert.equal(await mgr.state(PORTAL), 'signedOut');
    assertNoSecretsLogged();
  });

  it('sign out: Logout ends the portal session', async () => {
    const store = new MemoryTokenStore();
    const mgr = new SsoTokenManager(store, gateway, clock, { callOptions: () => call, sleep });
    await admin('auto-approve', { afterMs: 0 });
    try {
      await mgr.signIn(PORTAL, { showCode: () => undefined });
    } finally {
      await admin('auto-approve', { afterMs: null });
    }
    const token = await mgr.token(PORTAL);
    await mgr.signOut(PORTAL);
    assert.equal(store.records.size, 0);
    await assert.rejects(gateway.listAccountRoles(call, token, '500000000001'), (e: unknown) => (e as Error).name === 'UnauthorizedException');
  });

  describe('the AWS CLI cache', () => {
    let home: string;
    beforeEach(() => (home = mkdtempSync(path.join(tmpdir(), 'sso-int-home-'))));
    afterEach(() => rmSync(home, { recursive: true, force: true }));

    it("reads a valid token of the CLI's (a temp HOME with a cache file) and discovers with it", async () => {
      await admin('auto-approve', { afterMs: 0 });
      let cliToken: string;
      try {
        cliToken = (await flow(() => undefined)).accessToken;
      } finally {
        await admin('auto-approve', { afterMs: null });
      }
      // What `aws sso login --sso-session corp` leaves behind.
      const cache = new SsoCliCache({ home, now: () => clock.now(), log: (l) => logs.push(l) });
      const file = cache.filePath(PORTAL);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify({ startUrl: START_URL, region: 'us-east-1', accessToken: cliToken, expiresAt: new Date(clock.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z') }));
      const store = new MemoryTokenStore();
      const mgr = new SsoTokenManager(store, gateway, clock, { callOptions: () => call, cliCache: cache });
      assert.equal(await mgr.state(PORTAL), 'signedIn');
      const token = await mgr.token(PORTAL);
      assert.equal(token, cliToken);
      assert.equal(store.sets, 0, 'read only: not copied into our store');
      const r = await discoverSso({ gateway, portal: PORTAL, accessToken: token, callOptions: () => call });
      assert.equal(r.accounts.length, ACCOUNTS);
      assert.equal(r.roles.length, ACCOUNTS * 3);
      assertNoSecretsLogged();
    });
  });

  it('discovery under 10% throttling: every account and permission set, 0 errors', async () => {
    await admin('auto-approve', { afterMs: 0 });
    let token: string;
    try {
      token = (await flow(() => undefined)).accessToken;
    } finally {
      await admin('auto-approve', { afterMs: null });
    }
    await admin('load', { service: 'sso', rate: 0.1 });
    const before = fake.calls.length;
    const progress: Array<[number, number]> = [];
    let accountsFirst = false;
    const r = await discoverSso({
      gateway,
      portal: PORTAL,
      accessToken: token,
      callOptions: () => call,
      baseDelayMs: 5,
      maxDelayMs: 50,
      onAccounts: (a) => (accountsFirst = progress.length === 0 && a.length === ACCOUNTS),
      onProgress: (d, t) => progress.push([d, t]),
      log: (l) => logs.push(l),
    });
    assert.deepStrictEqual(r.errors, []);
    assert.equal(r.roles.length, ACCOUNTS * 3);
    assert.deepStrictEqual(new Set(r.roles.map((x) => x.roleName)), new Set(['AdministratorAccess', 'ReadOnlyAccess', 'PowerUserAccess']));
    assert.ok(accountsFirst);
    assert.deepStrictEqual(progress[progress.length - 1], [ACCOUNTS, ACCOUNTS]);
    const throttled = fake.calls.slice(before).filter((c) => c.errorCode === 'TooManyRequestsException').length;
    assert.ok(throttled >= 4, `the fake throttled ${throttled} calls`);
    assertNoSecretsLogged();
  });
});
