import * as assert from 'node:assert/strict';
import { FakeClock } from '../../src/core/clock';
import { isCancelled } from '../../src/core/errors';
import { runDeviceFlow, SsoSignInCancelledError, SsoSignInError, SSO_CLIENT_NAME, type DeviceCodePrompt, type DeviceFlowOptions } from '../../src/core/ssoDeviceFlow';
import type { SsoPortal } from '../../src/core/ssoTypes';
import { awsError, FakeSsoGateway } from '../helpers/fakeSsoGateway';

const PORTAL: SsoPortal = { id: 'session:corp', startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', source: 'sso-session', sessionName: 'corp' };
const LEGACY: SsoPortal = { id: 'url:https://old.awsapps.com/start', startUrl: 'https://old.awsapps.com/start', region: 'us-east-1', source: 'legacy-profile' };

function setup(extra: Partial<DeviceFlowOptions> = {}) {
  const clock = new FakeClock();
  const gw = new FakeSsoGateway();
  gw.now = () => clock.now();
  const sleeps: number[] = [];
  const prompts: DeviceCodePrompt[] = [];
  const logs: string[] = [];
  const opts: DeviceFlowOptions = {
    gateway: gw,
    clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    onCode: (p) => prompts.push(p),
    log: (l) => logs.push(l),
    ...extra,
  };
  return { clock, gw, sleeps, prompts, logs, opts };
}

describe('sso device flow', () => {
  it('registers, shows the code, polls at the interval while pending, and returns a signIn record', async () => {
    const { clock, gw, sleeps, prompts, logs, opts } = setup();
    gw.devicePolls = [awsError('AuthorizationPendingException'), awsError('AuthorizationPendingException'), 'ok'];
    const t0 = clock.now();
    const rec = await runDeviceFlow(PORTAL, opts);
    assert.deepStrictEqual(gw.ops(), ['RegisterClient', 'StartDeviceAuthorization', 'CreateToken', 'CreateToken', 'CreateToken']);
    assert.deepStrictEqual(gw.calls[0].params, { clientName: SSO_CLIENT_NAME, scopes: ['sso:account:access'] });
    assert.equal(gw.calls[0].opts.region, 'eu-west-1');
    assert.deepStrictEqual(gw.calls[1].params, { clientId: 'client-1', clientSecret: 'client-secret-1'.padEnd(60, 'c'), startUrl: PORTAL.startUrl });
    assert.equal(gw.calls[2].params?.grantType, 'urn:ietf:params:oauth:grant-type:device_code');
    assert.equal(gw.calls[2].params?.deviceCode, 'device-code-2');
    assert.deepStrictEqual(sleeps, [5000, 5000, 5000]);
    assert.deepStrictEqual(prompts, [{ userCode: 'ABCD-EFGH', verificationUri: 'https://device.sso.example/', verificationUriComplete: 'https://device.sso.example/?user_code=ABCD-EFGH', expiresIn: 600 }]);
    assert.equal(rec.origin, 'signIn');
    assert.equal(rec.portalId, PORTAL.id);
    assert.equal(rec.expiresAt.getTime(), t0 + 15_000 + 3600_000);
    assert.ok(rec.refreshToken?.startsWith('refresh-token-'));
    assert.equal(rec.registration?.clientId, 'client-1');
    assert.deepStrictEqual(rec.registration?.scopes, ['sso:account:access']);
    const secrets = [rec.accessToken, rec.refreshToken!, rec.registration!.clientSecret, 'device-code-2'];
    for (const l of logs) for (const s of secrets) assert.ok(!l.includes(s), `log line leaks a secret: ${l}`);
  });

  it("asks for the portal's own scopes", async () => {
    const { gw, opts } = setup();
    gw.devicePolls = ['ok'];
    await runDeviceFlow({ ...PORTAL, scopes: ['sso:account:access', 'codewhisperer:completions'] }, opts);
    assert.deepStrictEqual(gw.calls[0].params?.scopes, ['sso:account:access', 'codewhisperer:completions']);
  });

  it('uses interval 5 s when the service sends none, and the given interval otherwise', async () => {
    const a = setup();
    a.gw.auth = { ...a.gw.auth, interval: 0 };
    a.gw.devicePolls = [awsError('AuthorizationPendingException'), 'ok'];
    await runDeviceFlow(LEGACY, a.opts);
    assert.deepStrictEqual(a.sleeps, [5000, 5000]);
    const b = setup();
    b.gw.auth = { ...b.gw.auth, interval: 2 };
    b.gw.devicePolls = [awsError('AuthorizationPendingException'), 'ok'];
    await runDeviceFlow(LEGACY, b.opts);
    assert.deepStrictEqual(b.sleeps, [2000, 2000]);
  });

  it('slow_down adds 5 s to the interval, for every later poll', async () => {
    const { gw, sleeps, opts } = setup();
    gw.devicePolls = [awsError('SlowDownException'), awsError('AuthorizationPendingException'), awsError('SlowDownException'), 'ok'];
    await runDeviceFlow(PORTAL, opts);
    assert.deepStrictEqual(sleeps, [5000, 10000, 10000, 15000]);
  });

  it('reuses a stored registration that is valid and has the same scopes', async () => {
    const { clock, gw, opts } = setup();
    gw.devicePolls = ['ok'];
    const registration = { clientId: 'kept', clientSecret: 'kept-secret', expiresAt: new Date(clock.now() + 30 * 86400_000), scopes: ['sso:account:access'] };
    const rec = await runDeviceFlow(PORTAL, { ...opts, registration });
    assert.deepStrictEqual(gw.ops(), ['StartDeviceAuthorization', 'CreateToken']);
    assert.equal(gw.calls[0].params?.clientId, 'kept');
    assert.equal(rec.registration, registration);
  });

  it('a kept registration the service refuses is replaced once, and the flow goes on', async () => {
    const { clock, gw, opts } = setup();
    gw.devicePolls = ['ok'];
    const start = gw.startDeviceAuthorization.bind(gw);
    gw.startDeviceAuthorization = async (o, p) => {
      if (p.clientId === 'revoked') {
        gw.calls.push({ op: 'StartDeviceAuthorization', opts: o, params: { ...p } });
        throw awsError('InvalidClientException');
      }
      return start(o, p);
    };
    const rec = await runDeviceFlow(PORTAL, { ...opts, registration: { clientId: 'revoked', clientSecret: 'x', expiresAt: new Date(clock.now() + 30 * 86400_000), scopes: ['sso:account:access'] } });
    assert.deepStrictEqual(gw.ops(), ['StartDeviceAuthorization', 'RegisterClient', 'StartDeviceAuthorization', 'CreateToken']);
    assert.equal(rec.registration?.clientId, 'client-1');
  });

  it('registers again when the stored registration is (nearly) expired or its scopes changed', async () => {
    const { clock, gw, opts } = setup();
    gw.devicePolls = ['ok', 'ok'];
    await runDeviceFlow(PORTAL, { ...opts, registration: { clientId: 'old', clientSecret: 'x', expiresAt: new Date(clock.now() + 60_000), scopes: ['sso:account:access'] } });
    await runDeviceFlow({ ...PORTAL, scopes: ['sso:account:access', 'other'] }, { ...opts, registration: { clientId: 'old', clientSecret: 'x', expiresAt: new Date(clock.now() + 30 * 86400_000), scopes: ['sso:account:access'] } });
    assert.deepStrictEqual(gw.ops().filter((o) => o === 'RegisterClient').length, 2);
  });

  it('ExpiredTokenException stops with kind expired', async () => {
    const { gw, opts } = setup();
    gw.devicePolls = [awsError('AuthorizationPendingException'), awsError('ExpiredTokenException')];
    await assert.rejects(runDeviceFlow(PORTAL, opts), (e: unknown) => {
      assert.ok(e instanceof SsoSignInError);
      assert.equal(e.kind, 'expired');
      assert.match(e.message, /the code expired; sign in again/);
      assert.ok(!isCancelled(e));
      return true;
    });
    assert.equal(gw.ops().filter((o) => o === 'CreateToken').length, 2);
  });

  it('AccessDeniedException stops with kind denied', async () => {
    const { gw, opts } = setup();
    gw.devicePolls = [awsError('AccessDeniedException')];
    await assert.rejects(runDeviceFlow(PORTAL, opts), (e: unknown) => e instanceof SsoSignInError && e.kind === 'denied' && /denied in the browser/.test(e.message));
  });

  it('stops at the deadline of expiresIn when the user never answers, without polling after it', async () => {
    const { clock, gw, sleeps, opts } = setup();
    gw.auth = { ...gw.auth, expiresIn: 23, interval: 5 };
    gw.devicePolls = Array.from({ length: 100 }, () => awsError('AuthorizationPendingException'));
    const t0 = clock.now();
    await assert.rejects(runDeviceFlow(PORTAL, opts), (e: unknown) => e instanceof SsoSignInError && e.kind === 'expired');
    assert.equal(gw.ops().filter((o) => o === 'CreateToken').length, 4);
    assert.deepStrictEqual(sleeps, [5000, 5000, 5000, 5000, 3000]);
    assert.equal(clock.now() - t0, 23_000);
  });

  it('other errors are thrown as they are', async () => {
    const { gw, opts } = setup();
    gw.devicePolls = [awsError('InvalidClientException', 'bad client')];
    await assert.rejects(runDeviceFlow(PORTAL, opts), (e: unknown) => (e as Error).name === 'InvalidClientException');
  });

  it('cancellation while waiting stops at once: no further call, no timer left, a CancelledError of kind cancelled', async () => {
    const clock = new FakeClock();
    const gw = new FakeSsoGateway();
    gw.devicePolls = Array.from({ length: 10 }, () => awsError('AuthorizationPendingException'));
    const ac = new AbortController();
    // The default sleep: a timer on the (fake) clock that the signal interrupts.
    const p = runDeviceFlow(PORTAL, { gateway: gw, clock, signal: ac.signal, onCode: () => undefined });
    for (let i = 0; i < 20 && gw.ops().length < 2; i++) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    assert.equal(clock.pendingTimers, 1);
    clock.advance(5000);
    for (let i = 0; i < 20 && gw.ops().length < 3; i++) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    assert.deepStrictEqual(gw.ops(), ['RegisterClient', 'StartDeviceAuthorization', 'CreateToken']);
    ac.abort();
    await assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof SsoSignInCancelledError);
      assert.equal(e.kind, 'cancelled');
      assert.ok(isCancelled(e));
      return true;
    });
    assert.equal(clock.pendingTimers, 0);
    clock.advance(60_000);
    await new Promise((r) => setImmediate(r));
    assert.equal(gw.ops().length, 3);
  });

  it('an already aborted signal makes no call at all', async () => {
    const { gw, opts } = setup();
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(runDeviceFlow(PORTAL, { ...opts, signal: ac.signal }), (e: unknown) => e instanceof SsoSignInCancelledError);
    assert.deepStrictEqual(gw.ops(), []);
  });

  it('cancellation during a call is reported as the cancellation, and the signal reaches the call', async () => {
    const { gw, opts } = setup();
    const ac = new AbortController();
    gw.devicePolls = [];
    gw.createToken = async (o) => {
      assert.equal(o.abortSignal, ac.signal);
      ac.abort();
      throw Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    };
    await assert.rejects(runDeviceFlow(PORTAL, { ...opts, signal: ac.signal }), (e: unknown) => e instanceof SsoSignInCancelledError);
  });
});
