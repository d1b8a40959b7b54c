// The fault matrix, extended to renewal (issue 11): while the background renewal of the active session
// fails (5xx, throttling, a hung STS, expired base credentials), the session stays in the store and
// keeps working as long as it is valid, the user hears about it once, and the session ends cleanly at
// its expiration. A fault that clears lets a retry renew the session.
// Real SDK gateway + core Switcher/SessionStore/RenewalScheduler -> the local fake AWS over HTTP, with
// short-lived credentials so the whole renew-fail-expire cycle takes seconds.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAwsGateway } from '../../src/aws/gateway';
import type { AwsGateway } from '../../src/core/gateway';
import { systemClock } from '../../src/core/clock';
import { translateError } from '../../src/core/errorText';
import { loadProfiles, readAwsFiles } from '../../src/core/profiles';
import { Redactor } from '../../src/core/redact';
import { RenewalScheduler } from '../../src/core/renewal';
import { rolesFromProfiles } from '../../src/core/roles';
import { SessionStore, type SessionChange } from '../../src/core/session';
import { HopError, Switcher } from '../../src/core/switcher';
import type { RoleDefinition, Session } from '../../src/core/types';
import { startFakeAws, writeAwsHome, type CallRecord, type FakeAws, type FaultKind } from '../fake-aws/index';

/** Lifetime of the credentials the fake issues, and the scheduler's lead: renewal is due at ~half-life. */
const LIFETIME_S = 8;
const LEAD_MS = 6000;
const TIMEOUT_MS = 1000;

/** Polls `cond` until it holds; fails with `what` at the deadline. No fixed sleeps. */
async function until(cond: () => boolean, what: string, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${withinMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const failedAssume = (c: CallRecord) => c.service === 'sts' && c.action === 'AssumeRole' && (c.status === 0 || c.status >= 400);
const okAssume = (c: CallRecord) => c.service === 'sts' && c.action === 'AssumeRole' && c.status === 200;

describe('renewal under faults from AWS', function () {
  this.timeout(30_000);
  let fake: FakeAws;
  let dir: string;
  let roles: Map<string, RoleDefinition>;
  let profiles: ReturnType<typeof loadProfiles>['profiles'];
  let gateway: AwsGateway;
  let store: SessionStore;
  let switcher: Switcher;
  let scheduler: RenewalScheduler;
  let changes: SessionChange[];
  let failures: Array<{ error: unknown; session: Session }>;
  let log: string[];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const savedEnv = { ...process.env };

  before(async () => {
    fake = await startFakeAws();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-renewal-faults-'));
    const home = writeAwsHome(dir, fake);
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    Object.assign(process.env, home.env);
    const loaded = loadProfiles(await readAwsFiles(process.env, dir));
    assert.deepEqual(loaded.errors, []);
    profiles = loaded.profiles;
    const r = rolesFromProfiles(loaded.profiles);
    assert.deepEqual(r.errors, []);
    roles = new Map(r.roles.map((x) => [x.label, x]));
    process.on('unhandledRejection', onUnhandled);
  });

  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
  });

  beforeEach(() => {
    fake.clearFaults();
    fake.setIssuedCredentialLifetime(LIFETIME_S);
    unhandled.length = 0;
    // One attempt per call, so a fault is one failed renewal and a hung STS fails after TIMEOUT_MS.
    gateway = createAwsGateway({ maxAttempts: 1 });
    store = new SessionStore(systemClock);
    changes = [];
    store.onDidChange((c) => changes.push(c));
    switcher = new Switcher({
      gateway: () => gateway,
      callOptions: () => ({ region: 'us-east-1', timeoutMs: TIMEOUT_MS }),
      askMfaCode: async () => undefined,
      store,
      redactor: new Redactor(),
      profiles: () => profiles,
    });
    failures = [];
    log = [];
    scheduler = new RenewalScheduler({
      store,
      clock: systemClock,
      leadMs: () => LEAD_MS,
      renew: () => switcher.renew(),
      onFailure: (error, session) => failures.push({ error, session }),
      log: (line) => log.push(line),
    });
  });

  afterEach(() => {
    scheduler.dispose();
    store.dispose();
    gateway.reset();
    fake.clearFaults();
    fake.setIssuedCredentialLifetime(null);
  });

  /** Switches to s3-Full-Access (succeeds), then makes every following AssumeRole fail with `kind`. */
  async function switchThenBreak(kind: FaultKind): Promise<{ session: Session; mark: number }> {
    const { session } = await switcher.switchTo(roles.get('s3-Full-Access')!);
    assert.equal(store.current, session);
    const left = session.expiration.getTime() - Date.now();
    assert.ok(left > LEAD_MS / 2 && left <= LIFETIME_S * 1000, `the fake issued a ${LIFETIME_S} s session (${left} ms left)`);
    const mark = fake.calls.length;
    fake.injectFault({ service: 'sts', action: 'AssumeRole', kind, times: 1000 });
    return { session, mark };
  }

  /** Waits until the scheduler has tried to renew and failed (the fake saw it and onFailure was told). */
  async function untilRenewalFailed(session: Session, mark: number): Promise<void> {
    const within = session.expiration.getTime() - Date.now();
    await until(() => fake.calls.slice(mark).some(failedAssume), 'a failed AssumeRole from the scheduler', within);
    await until(() => failures.length > 0, 'onFailure', TIMEOUT_MS + 3000);
  }

  /** The session is still the active one, still valid, and its credentials still work at AWS. */
  async function assertStillUsable(session: Session): Promise<void> {
    assert.equal(store.current, session, 'the store keeps the session while it is valid');
    assert.equal(store.current?.accessKeyId, session.accessKeyId);
    assert.ok(session.expiration.getTime() > Date.now(), 'checked while the session is valid');
    const who = await gateway.getCallerIdentity({ region: 'us-east-1', timeoutMs: 5000, credentials: { kind: 'static', credentials: session } });
    assert.equal(who.arn, session.assumedRoleArn, 'the session is usable while the renewal fails');
  }

  /** The store ends the session at its expiration: 'expired', nothing active, no unhandled rejection. */
  async function assertEndsCleanly(session: Session): Promise<void> {
    const within = session.expiration.getTime() - Date.now() + 3000;
    await until(() => changes.some((c) => c.kind === 'expired'), "the store's 'expired' event", within);
    assert.equal(store.current, undefined, 'no active session after the expiration');
    assert.equal(store.depth, 0);
    const expired = changes.find((c) => c.kind === 'expired') as Extract<SessionChange, { kind: 'expired' }>;
    assert.equal(expired.session, session, 'the session that expired is the original one');
    assert.deepEqual(changes.map((c) => c.kind), ['switched', 'expired'], 'never renewed, never replaced');
    assert.equal(scheduler.renewing, false);
    // Let any late promise settle before checking for unhandled rejections.
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
  }

  const matrix: Array<{ kind: FaultKind; translated: string; label: string }> = [
    { kind: 'http503', translated: 'server', label: 'HTTP 503' },
    { kind: 'throttle', translated: 'throttled', label: 'throttling' },
    { kind: 'timeout', translated: 'timeout', label: 'a timeout with no answer' },
    { kind: 'expiredToken', translated: 'expiredBase', label: 'ExpiredToken on the base credentials' },
  ];

  for (const { kind, translated, label } of matrix) {
    it(`${label} during renewal: the session stays usable while valid, is reported once, then ends cleanly`, async () => {
      const { session, mark } = await switchThenBreak(kind);
      await untilRenewalFailed(session, mark);

      await assertStillUsable(session);

      assert.equal(failures.length, 1, 'onFailure was called once');
      assert.equal(failures[0].session, session);
      const err = failures[0].error;
      assert.ok(err instanceof HopError, `expected a HopError, got ${String(err)}`);
      const t = translateError(err.cause, { roleLabel: 's3-Full-Access', baseProfile: 'default', region: 'us-east-1' });
      assert.equal(t?.kind, translated, t?.message);

      await assertEndsCleanly(session);
      assert.equal(failures.length, 1, 'still reported only once after the expiration');
      // The first retry (15 s) is later than the expiration, so the scheduler did not try again: no tight loop.
      assert.equal(fake.calls.slice(mark).filter((c) => c.action === 'AssumeRole').length, 1, 'one renewal attempt');
      assert.ok(fake.calls.slice(mark).filter((c) => c.action === 'AssumeRole').every(failedAssume));
      assert.ok(log.some((l) => /failed .*no time left to retry/.test(l)), log.join('\n'));
    });
  }

  it('a fault that clears after the first failure: the next attempt renews the session', async () => {
    const { session, mark } = await switchThenBreak('http503');
    await untilRenewalFailed(session, mark);
    assert.equal(store.current, session, 'the session stays after the failure');
    assert.equal(failures.length, 1);

    fake.clearFaults();
    // The scheduler's own first retry (FIRST_RETRY_MS, 15 s) comes after this short session has
    // expired; "Renew Now" is the same retry, on demand.
    await scheduler.renewNow();
    await until(() => changes.some((c) => c.kind === 'renewed'), "the store's 'renewed' event", 3000);

    const renewed = store.current!;
    assert.ok(renewed, 'a session is active');
    assert.notEqual(renewed.accessKeyId, session.accessKeyId, 'new credentials');
    assert.equal(renewed.role.roleArn, session.role.roleArn, 'the same role');
    assert.ok(renewed.expiration.getTime() > session.expiration.getTime(), 'a later expiration');
    assert.deepEqual(changes.map((c) => c.kind), ['switched', 'renewed']);
    assert.ok(fake.calls.slice(mark).some(okAssume), 'AssumeRole succeeded after the fault cleared');
    assert.equal(failures.length, 1, 'no new report for the success');
    const who = await gateway.getCallerIdentity({ region: 'us-east-1', timeoutMs: 5000, credentials: { kind: 'static', credentials: renewed } });
    assert.equal(who.arn, renewed.assumedRoleArn);
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
  });
});
