import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FakeClock } from '../../src/core/clock';
import { isCancelled } from '../../src/core/errors';
import { SsoCliCache } from '../../src/core/ssoCache';
import { SsoSignInError } from '../../src/core/ssoDeviceFlow';
import { SsoTokenManager, type SsoTokenManagerOptions } from '../../src/core/ssoTokens';
import { SsoSignInRequiredError, type SsoPortal, type SsoTokenRecord } from '../../src/core/ssoTypes';
import { awsError, FakeSsoGateway, MemoryTokenStore } from '../helpers/fakeSsoGateway';

const PORTAL: SsoPortal = { id: 'session:corp', startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', source: 'sso-session', sessionName: 'corp' };
const MIN = 60_000;

function setup(options: SsoTokenManagerOptions = {}) {
  const clock = new FakeClock();
  const gw = new FakeSsoGateway();
  gw.now = () => clock.now();
  const store = new MemoryTokenStore();
  const logs: string[] = [];
  const mgr = new SsoTokenManager(store, gw, clock, {
    log: (l) => logs.push(l),
    sleep: async (ms) => clock.advance(ms),
    ...options,
  });
  const record = (over: Partial<SsoTokenRecord> = {}): SsoTokenRecord => ({
    portalId: PORTAL.id,
    startUrl: PORTAL.startUrl,
    region: PORTAL.region,
    accessToken: 'stored-access-token',
    expiresAt: new Date(clock.now() + 60 * MIN),
    refreshToken: 'stored-refresh-token',
    registration: { clientId: 'client-x', clientSecret: 'client-secret-x', expiresAt: new Date(clock.now() + 30 * 24 * 60 * MIN), scopes: ['sso:account:access'] },
    origin: 'signIn',
    ...over,
  });
  return { clock, gw, store, logs, mgr, record };
}

function assertNoSecrets(logs: string[], secrets: string[]) {
  for (const l of logs) for (const s of secrets) assert.ok(!l.includes(s), `log leaks a secret: ${l}`);
}

describe('sso token manager', () => {
  it('returns the stored token while it has more than 5 minutes left, without a call', async () => {
    const { gw, store, mgr, record, clock } = setup();
    await store.set(record());
    assert.equal(await mgr.token(PORTAL), 'stored-access-token');
    clock.advance(54 * MIN);
    assert.equal(await mgr.token(PORTAL), 'stored-access-token');
    assert.deepStrictEqual(gw.ops(), []);
    assert.equal(await mgr.state(PORTAL), 'signedIn');
  });

  it('refreshes with the refresh token near expiry and stores the new record', async () => {
    const { gw, store, mgr, record, clock, logs } = setup();
    await store.set(record());
    clock.advance(56 * MIN);
    const t = await mgr.token(PORTAL);
    assert.ok(t.startsWith('access-token-'));
    assert.deepStrictEqual(gw.ops(), ['CreateToken(refresh)']);
    assert.deepStrictEqual(gw.calls[0].params, { clientId: 'client-x', clientSecret: 'client-secret-x', grantType: 'refresh_token', refreshToken: 'stored-refresh-token' });
    const saved = store.records.get(PORTAL.id)!;
    assert.equal(saved.accessToken, t);
    assert.equal(saved.expiresAt.getTime(), clock.now() + 3600_000);
    assert.ok(saved.refreshToken?.startsWith('refresh-token-'), 'the rotated refresh token is kept');
    assert.equal(saved.registration?.clientId, 'client-x');
    // The new token is used from now on.
    assert.equal(await mgr.token(PORTAL), t);
    assert.equal(gw.ops().length, 1);
    assertNoSecrets(logs, ['stored-access-token', 'stored-refresh-token', 'client-secret-x', t, saved.refreshToken!]);
  });

  it('keeps the old refresh token when the service does not rotate it', async () => {
    const { gw, store, mgr, record, clock } = setup();
    gw.issueRefreshToken = false;
    await store.set(record());
    clock.advance(58 * MIN);
    await mgr.token(PORTAL);
    assert.equal(store.records.get(PORTAL.id)?.refreshToken, 'stored-refresh-token');
  });

  for (const code of ['InvalidGrantException', 'UnauthorizedClientException', 'ExpiredTokenException', 'InvalidClientException']) {
    it(`a refresh failing with ${code} deletes the record and asks to sign in`, async () => {
      const { gw, store, mgr, record, clock } = setup();
      await store.set(record());
      clock.advance(57 * MIN);
      gw.refreshFailures = [awsError(code)];
      const changed: string[] = [];
      mgr.onDidChangeState((p) => changed.push(p.id));
      await assert.rejects(mgr.token(PORTAL), (e: unknown) => e instanceof SsoSignInRequiredError && e.portalId === PORTAL.id && /Sign in to IAM Identity Center/.test(e.message));
      assert.equal(store.records.size, 0);
      assert.deepStrictEqual(changed, [PORTAL.id]);
      assert.equal(await mgr.state(PORTAL), 'signedOut');
    });
  }

  it('an expired registration asks to sign in without a call', async () => {
    const { gw, store, mgr, record, clock } = setup();
    await store.set(record({ expiresAt: new Date(clock.now() + 2 * MIN), registration: { clientId: 'c', clientSecret: 's', expiresAt: new Date(clock.now() - 1) } }));
    await assert.rejects(mgr.token(PORTAL), SsoSignInRequiredError);
    assert.deepStrictEqual(gw.ops(), []);
    assert.equal(store.records.size, 0);
  });

  it('a transient refresh failure keeps using the current token while it is valid, then surfaces the error', async () => {
    const { gw, store, mgr, record, clock } = setup();
    await store.set(record());
    clock.advance(57 * MIN);
    gw.refreshFailures = [awsError('InternalServerException'), awsError('InternalServerException')];
    assert.equal(await mgr.token(PORTAL), 'stored-access-token');
    assert.equal(store.records.size, 1);
    clock.advance(4 * MIN);
    await assert.rejects(mgr.token(PORTAL), (e: unknown) => (e as Error).name === 'InternalServerException');
    assert.equal(store.records.size, 1, 'a network failure does not sign the user out');
  });

  it('no record and nothing in the CLI cache: sign in required; a record without refresh token past expiry: expired', async () => {
    const { store, mgr, record, clock } = setup();
    await assert.rejects(mgr.token(PORTAL), SsoSignInRequiredError);
    assert.equal(await mgr.state(PORTAL), 'signedOut');
    await store.set(record({ refreshToken: undefined, registration: undefined }));
    clock.advance(57 * MIN);
    assert.equal(await mgr.token(PORTAL), 'stored-access-token', 'not expired yet, and nothing better');
    clock.advance(4 * MIN);
    await assert.rejects(mgr.token(PORTAL), SsoSignInRequiredError);
    assert.equal(await mgr.state(PORTAL), 'expired');
  });

  describe('with the AWS CLI cache', () => {
    let home: string;
    beforeEach(() => (home = mkdtempSync(path.join(tmpdir(), 'sso-tokens-'))));
    afterEach(() => rmSync(home, { recursive: true, force: true }));

    function putCli(cache: SsoCliCache, token: string, expiresAt: Date) {
      const file = cache.filePath(PORTAL);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify({ startUrl: PORTAL.startUrl, region: PORTAL.region, accessToken: token, expiresAt: expiresAt.toISOString() }));
      return file;
    }

    it('falls back to a valid CLI token (read only) when there is no record of ours', async () => {
      const clock0 = new FakeClock();
      const cache = new SsoCliCache({ home, now: () => clock0.now() });
      const { gw, store, mgr, clock } = setup({ cliCache: cache });
      putCli(cache, 'cli-token', new Date(clock.now() + 30 * MIN));
      assert.equal(await mgr.token(PORTAL), 'cli-token');
      assert.equal(await mgr.state(PORTAL), 'signedIn');
      assert.equal(store.sets, 0, 'the CLI token is not copied into our store');
      assert.deepStrictEqual(gw.ops(), []);
    });

    it('prefers a refresh of our own to a valid CLI token', async () => {
      const { gw, store, mgr, record, clock } = setup();
      const cache = new SsoCliCache({ home, now: () => clock.now() });
      const m2 = new SsoTokenManager(store, gw, clock, { cliCache: cache });
      void mgr;
      await store.set(record());
      clock.advance(57 * MIN);
      putCli(cache, 'cli-token', new Date(clock.now() + 30 * MIN));
      assert.ok((await m2.token(PORTAL)).startsWith('access-token-'));
      assert.deepStrictEqual(gw.ops(), ['CreateToken(refresh)']);
    });

    it('an expired CLI token is not used, and the portal shows as expired', async () => {
      const clock0 = new FakeClock();
      const cache = new SsoCliCache({ home, now: () => clock0.now() });
      const { gw, mgr, clock } = setup({ cliCache: cache });
      putCli(cache, 'cli-token', new Date(clock.now() - MIN));
      await assert.rejects(mgr.token(PORTAL), SsoSignInRequiredError);
      assert.equal(await mgr.state(PORTAL), 'expired');
      assert.deepStrictEqual(gw.ops(), []);
    });

    it('writes through to the CLI cache only when the setting is on', async () => {
      const cache = new SsoCliCache({ home });
      let share = false;
      const { gw, mgr } = setup({ cliCache: cache, writeCliCache: () => share });
      gw.devicePolls = ['ok'];
      await mgr.signIn(PORTAL, { showCode: () => undefined });
      assert.ok(!existsSync(cache.filePath(PORTAL)), 'nothing written while the setting is off');
      share = true;
      gw.devicePolls = ['ok'];
      const rec = await mgr.signIn(PORTAL, { showCode: () => undefined });
      const doc = JSON.parse(readFileSync(cache.filePath(PORTAL), 'utf8')) as Record<string, string>;
      assert.equal(doc.accessToken, rec.accessToken);
      assert.equal(doc.refreshToken, rec.refreshToken);
      // Sign out removes the file we wrote.
      await mgr.signOut(PORTAL);
      assert.ok(!existsSync(cache.filePath(PORTAL)));
    });

    it('after sign-out the CLI token is not used in this window until the next sign-in', async () => {
      const clock0 = new FakeClock();
      const cache = new SsoCliCache({ home, now: () => clock0.now() });
      const { gw, mgr, clock } = setup({ cliCache: cache });
      putCli(cache, 'cli-token', new Date(clock.now() + 30 * MIN));
      assert.equal(await mgr.token(PORTAL), 'cli-token');
      await mgr.signOut(PORTAL);
      assert.deepStrictEqual(gw.ops(), [], 'the CLI token is not ours to revoke');
      assert.equal(await mgr.state(PORTAL), 'signedOut');
      await assert.rejects(mgr.token(PORTAL), SsoSignInRequiredError);
      gw.devicePolls = ['ok'];
      await mgr.signIn(PORTAL, { showCode: () => undefined });
      assert.ok((await mgr.token(PORTAL)).startsWith('access-token-'));
    });
  });

  it('concurrent token() calls share one refresh', async () => {
    const { gw, store, mgr, record, clock } = setup();
    await store.set(record());
    clock.advance(58 * MIN);
    let release!: () => void;
    gw.refreshHold = new Promise<void>((r) => (release = r));
    const all = Promise.all([mgr.token(PORTAL), mgr.token(PORTAL), mgr.token(PORTAL)]);
    await new Promise((r) => setImmediate(r));
    release();
    const tokens = await all;
    assert.equal(new Set(tokens).size, 1);
    assert.deepStrictEqual(gw.ops(), ['CreateToken(refresh)']);
    assert.equal(store.sets, 2);
  });

  it('a caller that aborts stops waiting; the shared refresh completes for the others', async () => {
    const { gw, store, mgr, record, clock } = setup();
    await store.set(record());
    clock.advance(58 * MIN);
    let release!: () => void;
    gw.refreshHold = new Promise<void>((r) => (release = r));
    const ac = new AbortController();
    const a = mgr.token(PORTAL, ac.signal);
    const b = mgr.token(PORTAL);
    ac.abort();
    await assert.rejects(a, (e: unknown) => isCancelled(e));
    release();
    assert.ok((await b).startsWith('access-token-'));
    assert.deepStrictEqual(gw.ops(), ['CreateToken(refresh)']);
  });

  it('signIn runs the device flow, stores the record, reuses the registration next time', async () => {
    const { gw, store, mgr } = setup();
    const codes: string[] = [];
    gw.devicePolls = [awsError('AuthorizationPendingException'), 'ok'];
    const rec = await mgr.signIn(PORTAL, { showCode: (p) => codes.push(p.userCode) });
    assert.deepStrictEqual(codes, ['ABCD-EFGH']);
    assert.deepStrictEqual(store.records.get(PORTAL.id), rec);
    assert.equal(await mgr.token(PORTAL), rec.accessToken);
    gw.devicePolls = ['ok'];
    await mgr.signIn(PORTAL, { showCode: () => undefined });
    assert.equal(gw.ops().filter((o) => o === 'RegisterClient').length, 1);
  });

  it('a denied sign-in keeps the earlier record and throws the kind', async () => {
    const { gw, store, mgr, record } = setup();
    await store.set(record());
    gw.devicePolls = [awsError('AccessDeniedException')];
    await assert.rejects(mgr.signIn(PORTAL, { showCode: () => undefined }), (e: unknown) => e instanceof SsoSignInError && e.kind === 'denied');
    assert.equal(store.records.get(PORTAL.id)?.accessToken, 'stored-access-token');
  });

  it('signOut calls Logout with the token, deletes the record, notifies; a Logout error is logged, not thrown', async () => {
    const { gw, store, mgr, record, logs } = setup();
    await store.set(record());
    const out: string[] = [];
    const sub = mgr.onDidSignOut((p) => out.push(p.id));
    gw.logoutFailure = awsError('UnauthorizedException', 'Session token stored-access-token not found');
    await mgr.signOut(PORTAL);
    assert.deepStrictEqual(gw.ops(), ['Logout']);
    assert.equal(gw.calls[0].params?.accessToken, 'stored-access-token');
    assert.equal(store.records.size, 0);
    assert.deepStrictEqual(out, [PORTAL.id]);
    assert.ok(logs.some((l) => /Logout failed \(UnauthorizedException\)/.test(l)));
    assertNoSecrets(logs, ['stored-access-token', 'stored-refresh-token', 'client-secret-x']);
    sub.dispose();
    await mgr.signOut(PORTAL);
    assert.deepStrictEqual(out, [PORTAL.id]);
    assert.equal(await mgr.state(PORTAL), 'signedOut');
  });

  it('state: signedIn while refreshable even past expiry, expired when the registration ran out', async () => {
    const { store, mgr, record, clock } = setup();
    await store.set(record());
    clock.advance(120 * MIN);
    assert.equal(await mgr.state(PORTAL), 'signedIn');
    await store.set(record({ expiresAt: new Date(clock.now() - 1), registration: { clientId: 'c', clientSecret: 's', expiresAt: new Date(clock.now() - 1) } }));
    assert.equal(await mgr.state(PORTAL), 'expired');
  });

  it('the validity window is configurable', async () => {
    const { gw, store, mgr, record, clock } = setup({ minValidityMs: 20 * MIN });
    await store.set(record());
    clock.advance(45 * MIN);
    await mgr.token(PORTAL);
    assert.deepStrictEqual(gw.ops(), ['CreateToken(refresh)']);
  });
});
