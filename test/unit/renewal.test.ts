import { strict as assert } from 'node:assert';
import { FakeClock } from '../../src/core/clock';
import type { AwsGateway } from '../../src/core/gateway';
import { FIRST_RETRY_MS, RenewalScheduler } from '../../src/core/renewal';
import { SessionStore, type SessionChange } from '../../src/core/session';
import { Switcher } from '../../src/core/switcher';
import type { Session } from '../../src/core/types';
import { role } from '../helpers/builders';
import { FakeGateway } from '../helpers/fakeGateway';

const MIN = 60_000;
const MFA = 'arn:aws:iam::111111111111:mfa/test-user';

/** A real Switcher over the in-memory STS and a fake clock, plus the scheduler under test. */
function setup(opts: { mfa?: (renewal?: { remainingMs: number }) => Promise<string | undefined>; mfaSessionSeconds?: number } = {}) {
  const clock = new FakeClock(Date.UTC(2026, 11, 1, 9, 0, 0));
  const gw = new FakeGateway();
  gw.now = () => clock.now();
  const store = new SessionStore(clock);
  const changes: SessionChange['kind'][] = [];
  store.onDidChange((c) => changes.push(c.kind));
  const prompts: Array<{ remainingMs: number } | undefined> = [];
  const switcher = new Switcher({
    gateway: () => gw as unknown as AwsGateway,
    callOptions: () => ({ region: 'us-east-1', timeoutMs: 5000, mfaSessionSeconds: opts.mfaSessionSeconds }),
    askMfaCode: async (_serial, _hop, renewal) => {
      prompts.push(renewal);
      return opts.mfa ? opts.mfa(renewal) : '123456';
    },
    store,
    profiles: () => new Map(),
    now: () => clock.now(),
  });
  const failures: Array<{ error: unknown; session: Session }> = [];
  const scheduler = new RenewalScheduler({
    store,
    clock,
    leadMs: () => 5 * MIN,
    renew: () => switcher.renew(),
    onFailure: (error, session) => failures.push({ error, session }),
  });
  /** Lets the promise chains of a renewal run (the fake gateway answers without timers). */
  const settle = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  return { clock, gw, store, switcher, scheduler, changes, failures, prompts, settle };
}

const assumes = (gw: FakeGateway) => gw.calls.filter((c) => c.op === 'AssumeRole').length;

describe('RenewalScheduler', () => {
  it('renews the active session 5 minutes before it expires, in place and quietly', async () => {
    const t = setup();
    const first = (await t.switcher.switchTo(role())).session;
    t.clock.advance(55 * MIN - 1);
    await t.settle();
    assert.equal(assumes(t.gw), 1, 'nothing before the lead time');
    t.clock.advance(1);
    await t.settle();
    assert.equal(assumes(t.gw), 2);
    const now = t.store.current!;
    assert.notEqual(now.accessKeyId, first.accessKeyId);
    assert.equal(now.role, first.role);
    assert.equal(now.expiration.getTime(), t.clock.now() + 3600_000);
    assert.deepEqual(t.changes, ['switched', 'renewed']);
    // and again, an hour later: the renewed session has its own timer
    t.clock.advance(55 * MIN);
    await t.settle();
    assert.deepEqual([assumes(t.gw), t.changes.at(-1)], [3, 'renewed']);
  });

  it('renews a session shorter than the lead time at its half-life, not in a tight loop', async () => {
    const t = setup();
    t.gw.durationOverride = 120; // the fake issues 2-minute sessions
    await t.switcher.switchTo(role());
    t.clock.advance(59_000);
    await t.settle();
    assert.equal(assumes(t.gw), 1);
    t.clock.advance(1_000);
    await t.settle();
    assert.equal(assumes(t.gw), 2);
    t.clock.advance(59_000);
    await t.settle();
    assert.equal(assumes(t.gw), 2, 'the renewed 2-minute session waits for its own half-life');
    t.clock.advance(1_000);
    await t.settle();
    assert.equal(assumes(t.gw), 3);
  });

  it('never runs two renewals at once', async () => {
    const t = setup();
    await t.switcher.switchTo(role());
    let release!: () => void;
    t.gw.hold = new Promise((r) => (release = r));
    t.clock.advance(55 * MIN);
    await t.settle();
    void t.scheduler.renewNow();
    void t.scheduler.renewNow();
    await t.settle();
    assert.equal(assumes(t.gw), 2, 'one renewal in flight, no second one');
    assert.equal(t.scheduler.renewing, true);
    release();
    t.gw.hold = undefined;
    await t.settle();
    assert.deepEqual([t.changes, t.scheduler.renewing], [['switched', 'renewed'], false]);
  });

  it('a switch during a renewal wins: the renewal commits nothing', async () => {
    const t = setup();
    await t.switcher.switchTo(role());
    let release!: () => void;
    t.gw.hold = new Promise((r) => (release = r));
    t.clock.advance(55 * MIN);
    await t.settle();
    const other = role({ roleArn: 'arn:aws:iam::111111111111:role/other', hops: [{ roleArn: 'arn:aws:iam::111111111111:role/other' }] });
    const switching = t.switcher.switchTo(other);
    release();
    t.gw.hold = undefined;
    await switching;
    await t.settle();
    assert.equal(t.store.current?.role.roleArn, other.roleArn);
    assert.deepEqual(t.changes, ['switched', 'switched']);
  });

  it('a failing renewal keeps the session, retries with backoff, and is reported once', async () => {
    const t = setup();
    const first = (await t.switcher.switchTo(role())).session;
    const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
    t.gw.failNext = [throttled(), throttled(), throttled()];
    t.clock.advance(55 * MIN);
    await t.settle();
    assert.equal(t.store.current, first, 'the session stays while valid');
    t.clock.advance(FIRST_RETRY_MS);
    await t.settle();
    t.clock.advance(2 * FIRST_RETRY_MS);
    await t.settle();
    assert.equal(assumes(t.gw), 4, 'first try plus two retries so far');
    assert.equal(t.failures.length, 1, 'said once, not once per retry');
    assert.equal((t.failures[0].error as { cause?: Error }).cause?.name ?? (t.failures[0].error as Error).name, 'Throttling');
    t.clock.advance(4 * FIRST_RETRY_MS);
    await t.settle();
    assert.equal(assumes(t.gw), 5);
    assert.notEqual(t.store.current, first);
    assert.deepEqual(t.changes, ['switched', 'renewed']);
  });

  it('a renewal that keeps failing lets the session end at its expiration', async () => {
    const t = setup();
    await t.switcher.switchTo(role());
    t.gw.failNext = Array.from({ length: 50 }, () => Object.assign(new Error('expired'), { name: 'ExpiredToken' }));
    t.clock.advance(55 * MIN);
    for (let i = 0; i < 20; i++) {
      t.clock.advance(30_000);
      await t.settle();
    }
    assert.equal(t.store.current, undefined);
    assert.deepEqual([t.changes.at(-1), t.failures.length], ['expired', 1]);
    assert.ok(assumes(t.gw) < 12, `backoff, not a tight loop (${assumes(t.gw)} calls)`);
  });

  it('renews an MFA role with the MFA session while it lasts, without a new code', async () => {
    const t = setup({ mfaSessionSeconds: 4 * 3600 });
    await t.switcher.switchTo(role({ hops: [{ roleArn: 'arn:aws:iam::111111111111:role/mfa-admin', mfaSerial: MFA }] }));
    assert.equal(t.prompts.length, 1);
    t.clock.advance(55 * MIN);
    await t.settle();
    assert.deepEqual([t.prompts.length, assumes(t.gw), t.changes], [1, 2, ['switched', 'renewed']]);
  });

  it('asks for a code, saying so, when the MFA session has ended; dismissing lets the session run out', async () => {
    let answer: string | undefined = undefined;
    const t = setup({ mfaSessionSeconds: 900, mfa: async () => answer });
    answer = '123456';
    await t.switcher.switchTo(role({ hops: [{ roleArn: 'arn:aws:iam::111111111111:role/mfa-admin', mfaSerial: MFA }] }));
    answer = undefined; // the user ignores the renewal prompt
    t.clock.advance(55 * MIN);
    await t.settle();
    assert.deepEqual(t.prompts[1], { remainingMs: 5 * MIN });
    assert.ok(t.store.current, 'still valid for 5 minutes');
    t.clock.advance(5 * MIN);
    await t.settle();
    assert.deepEqual([t.store.current, t.changes, t.failures.length], [undefined, ['switched', 'expired'], 0]);
  });

  it('renews a chain built by chaining from the active session, step by step', async () => {
    const t = setup();
    await t.switcher.switchTo(role());
    const next = role({ roleArn: 'arn:aws:iam::222222222222:role/deploy', hops: [{ roleArn: 'arn:aws:iam::222222222222:role/deploy' }] });
    await t.switcher.chainFrom(next);
    assert.equal(t.store.depth, 2);
    const before = t.store.sessions.map((s) => s.accessKeyId);
    t.clock.advance(55 * MIN);
    await t.settle();
    const after = t.store.sessions;
    assert.equal(after.length, 2);
    assert.ok(after.every((s, i) => s.accessKeyId !== before[i]), 'both steps assumed again');
    const last = t.gw.calls.filter((c) => c.op === 'AssumeRole').at(-1)!;
    assert.deepEqual(last.creds, { kind: 'static', credentials: { accessKeyId: after[0].accessKeyId, secretAccessKey: after[0].secretAccessKey, sessionToken: after[0].sessionToken, expiration: after[0].expiration } });
    assert.equal(after[1].chained, true);
  });

  it('does not renew what it cannot assume again, and stops with dispose', async () => {
    const t = setup();
    t.store.replace([{ ...(await t.switcher.switchTo(role())).session, step: undefined }]);
    t.clock.advance(60 * MIN);
    await t.settle();
    assert.equal(assumes(t.gw), 1);
    const u = setup();
    await u.switcher.switchTo(role());
    u.scheduler.dispose();
    u.clock.advance(55 * MIN);
    await u.settle();
    assert.equal(assumes(u.gw), 1);
  });
});
