// Every fault from AWS gets the same three checks: a clear message with a next step, the previous
// session intact, and the extension still working afterwards. Real SDK -> fake AWS over HTTP.
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { createAwsGateway } from '../../src/aws/gateway';
import type { AwsGateway } from '../../src/core/gateway';
import { systemClock } from '../../src/core/clock';
import { translateError } from '../../src/core/errorText';
import { Redactor } from '../../src/core/redact';
import { SessionStore } from '../../src/core/session';
import { HopError, Switcher } from '../../src/core/switcher';
import type { RoleDefinition } from '../../src/core/types';
import { startFakeAws, type FakeAws, type FaultSpec } from '../fake-aws/index';
import { role } from '../helpers/builders';

describe('faults from AWS', function () {
  this.timeout(60_000);
  let fake: FakeAws;
  let gateway: AwsGateway;
  let store: SessionStore;
  let switcher: Switcher;
  let skews: number[];
  let endpoint: string;
  let mfa: string | undefined;
  let timeoutMs: number;
  const pathRole = () => role({ id: 'path', roleArn: 'arn:aws:iam::111111111111:role/team/path-role', hops: [{ roleArn: 'arn:aws:iam::111111111111:role/team/path-role' }] });
  const saved = { ...process.env };

  before(async () => {
    fake = await startFakeAws();
    // The base profile "default" resolves to test-user's keys through the SDK's own ini provider.
    const keys = fake.userKeys('test-user');
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    process.env.AWS_ACCESS_KEY_ID = keys.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = keys.secretAccessKey;
  });
  after(async () => {
    await fake.close();
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  beforeEach(async () => {
    skews = [];
    endpoint = fake.endpoint;
    mfa = undefined;
    timeoutMs = 1500;
    fake.clearFaults();
    fake.setClockSkew(0);
    gateway = createAwsGateway({ onClockSkew: (ms) => skews.push(ms) });
    store = new SessionStore(systemClock);
    switcher = new Switcher({
      gateway: () => gateway,
      callOptions: () => ({ region: 'us-east-1', endpoint, timeoutMs }),
      askMfaCode: async () => mfa,
      store,
      redactor: new Redactor(),
      profiles: () => new Map(),
    });
    // A session to protect. Base credentials come from the environment here.
    await switcher.switchTo(role({ base: { kind: 'environment' } }));
  });
  afterEach(() => {
    store.dispose();
    gateway.reset();
  });

  async function expectFailure(next: RegExp, kind: string, r: RoleDefinition = { ...pathRole(), base: { kind: 'environment' } }) {
    const before = store.current;
    const err = await switcher.switchTo(r).then(() => undefined, (e) => e);
    assert.ok(err instanceof HopError, `expected a HopError, got ${err}`);
    const t = translateError(err.cause, { roleLabel: r.label, baseProfile: 'default', region: 'us-east-1', endpoint })!;
    assert.equal(t.kind, kind, t.message);
    assert.match(t.message, next);
    assert.equal(store.current, before, 'the previous session is intact');
    // ... and the extension still works afterwards.
    fake.clearFaults();
    endpoint = fake.endpoint;
    const ok = await switcher.switchTo({ ...pathRole(), base: { kind: 'environment' } });
    assert.equal(store.current, ok.session);
    return err;
  }

  const fault = (f: FaultSpec) => fake.injectFault({ service: 'sts', action: 'AssumeRole', ...f });

  it('1. HTTP 500: retried, then reported', async () => {
    fault({ kind: 'http500', times: 3 });
    const before = fake.calls.length;
    await expectFailure(/server error .*try again/i, 'server');
    assert.ok(fake.calls.length - before >= 3, 'the SDK retried');
  });

  it('1b. HTTP 503: retried, then reported', async () => {
    fault({ kind: 'http503', times: 3 });
    await expectFailure(/try again/i, 'server');
  });

  it('2. throttling: retried with backoff, then reported', async () => {
    timeoutMs = 20_000; // the SDK's backoff between attempts takes a few seconds
    fault({ kind: 'throttle', times: 3 });
    const before = fake.calls.length;
    await expectFailure(/throttling.*wait/i, 'throttled');
    assert.ok(fake.calls.length - before >= 3, 'the SDK retried');
  });

  it('3. a timeout with no answer: cancelled within the configured timeout', async () => {
    fault({ kind: 'timeout', times: 5 });
    await expectFailure(/did not answer in time.*requestTimeoutSeconds/, 'timeout');
  });

  it('4. connection refused', async () => {
    const closed = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(port));
      });
    });
    endpoint = `http://127.0.0.1:${closed}`;
    await expectFailure(/could not reach STS.*roleSwitcher\.endpointUrl/, 'network');
  });

  it('5. malformed XML', async () => {
    fault({ kind: 'malformedXml' });
    await expectFailure(/could not be read.*no session was created/, 'malformed');
  });

  it('6. an oversized body is refused', async () => {
    fault({ kind: 'oversized' });
    await expectFailure(/large response.*refused/, 'malformed');
  });

  it('7. ExpiredToken on the base credentials', async () => {
    fault({ kind: 'expiredToken' });
    await expectFailure(/base credentials have expired.*profile "default"/, 'expiredBase');
  });

  it('8. clock skew: corrected by the SDK and reported, not a crash', async () => {
    fake.setClockSkew(10 * 60_000);
    const r = await switcher.switchTo({ ...pathRole(), base: { kind: 'environment' } });
    assert.equal(store.current, r.session);
    assert.equal(skews.length, 1);
    assert.ok(Math.abs(skews[0]) >= 9 * 60_000, `offset ${skews[0]}`);
  });

  it('9. a wrong MFA code', async () => {
    mfa = '000000';
    const mfaRole = role({ id: 'mfa', roleArn: 'arn:aws:iam::111111111111:role/mfa-admin', hops: [{ roleArn: 'arn:aws:iam::111111111111:role/mfa-admin', mfaSerial: 'arn:aws:iam::111111111111:mfa/test-user' }], base: { kind: 'environment' } });
    await expectFailure(/MFA code was not accepted/, 'mfa', mfaRole);
  });

  it('10. RegionDisabledException suggests another endpoint', async () => {
    fault({ kind: 'regionDisabled' });
    await expectFailure(/not activated in region us-east-1.*global endpoint/, 'regionDisabled');
  });

  it('missing fields in a successful response are a failure, never a session', async () => {
    fault({ kind: 'missingFields' });
    await expectFailure(/could not be read/, 'malformed');
  });

  it('keeps secrets out of every fault message', async () => {
    const secrets = () => fake.issuedSecrets();
    fault({ kind: 'malformedXml' });
    const err = await switcher.switchTo({ ...pathRole(), base: { kind: 'environment' } }).then(() => undefined, (e) => e);
    const text = translateError((err as HopError).cause)!.message;
    for (const s of secrets()) assert.ok(!text.includes(s));
    assert.ok(!text.includes(fake.userKeys('test-user').secretAccessKey));
  });
});
