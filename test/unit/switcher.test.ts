import { strict as assert } from 'node:assert';
import type { AwsGateway } from '../../src/core/gateway';
import { FakeGateway } from '../helpers/fakeGateway';
import { FakeClock } from '../../src/core/clock';
import { CancelledError, ConfigError, isCancelled } from '../../src/core/errors';
import { loadProfiles } from '../../src/core/profiles';
import { rolesFromProfiles } from '../../src/core/roles';
import { Redactor } from '../../src/core/redact';
import { SessionStore } from '../../src/core/session';
import { HopError, Switcher } from '../../src/core/switcher';
import { role } from '../helpers/builders';

const MFA = 'arn:aws:iam::111111111111:mfa/test-user';

function setup(mfa: () => Promise<string | undefined> = async () => '123456', opts: { now?: () => number; mfaSessionSeconds?: number } = {}) {
  const gw = new FakeGateway();
  if (opts.now) gw.now = opts.now;
  const store = new SessionStore(new FakeClock(Date.now()));
  const redactor = new Redactor();
  const committed: string[] = [];
  const switcher = new Switcher({
    gateway: () => gw as unknown as AwsGateway,
    callOptions: () => ({ region: 'us-east-1', timeoutMs: 5000, mfaSessionSeconds: opts.mfaSessionSeconds }),
    askMfaCode: mfa,
    store,
    redactor,
    beforeCommit: async (s) => void committed.push(s.assumedRoleArn),
    profiles: () => new Map(),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return { gw, store, switcher, redactor, committed };
}

describe('Switcher', () => {
  it('assumes with a session name derived from the caller and commits', async () => {
    const { gw, store, switcher, committed } = setup();
    const r = await switcher.switchTo(role());
    assert.equal(r.session.sessionName, 'test-user');
    assert.equal(store.current, r.session);
    assert.deepEqual(gw.calls.map((c) => c.op), ['GetCallerIdentity', 'AssumeRole']);
    assert.deepEqual(gw.calls[1].creds, { kind: 'profile', profile: 'default' });
    assert.equal(gw.calls[1].params?.durationSeconds, 3600);
    assert.deepEqual(committed, ['arn:aws:sts::111111111111:assumed-role/s3-Full-Access/test-user']);
  });

  it('a profileKeys base signs the first hop with the keys the catalog read, and redacts them', async () => {
    const gw = new FakeGateway();
    const redactor = new Redactor();
    const { profiles } = loadProfiles({
      configText: '[profile self]\nrole_arn = arn:aws:iam::111111111111:role/s3-Full-Access\nsource_profile = self\n',
      credentialsText: '[self]\naws_access_key_id = AKIASELF000000000000\naws_secret_access_key = self-secret-0123456789\naws_session_token = self-token-0123456789\n',
      paths: { config: '/c', credentials: '/k' },
    });
    const r = rolesFromProfiles(profiles).roles[0];
    const switcher = new Switcher({ gateway: () => gw as unknown as AwsGateway, callOptions: () => ({ region: 'us-east-1', timeoutMs: 5000 }), askMfaCode: async () => undefined, store: new SessionStore(new FakeClock(Date.now())), redactor, profiles: () => profiles });
    await switcher.switchTo(r);
    const keys = { kind: 'static', credentials: { accessKeyId: 'AKIASELF000000000000', secretAccessKey: 'self-secret-0123456789', sessionToken: 'self-token-0123456789' } };
    assert.deepEqual(gw.calls.map((c) => [c.op, c.creds]), [['GetCallerIdentity', keys], ['AssumeRole', keys]]);
    const redacted = redactor.redact('x self-secret-0123456789 self-token-0123456789');
    assert.ok(!redacted.includes('self-secret') && !redacted.includes('self-token'), redacted);
  });

  it('a profileKeys base whose profile lost its keys fails with a ConfigError that names the file, not a secret', async () => {
    const gw = new FakeGateway();
    const store = new SessionStore(new FakeClock(Date.now()));
    const switcher = new Switcher({ gateway: () => gw as unknown as AwsGateway, callOptions: () => ({ region: 'us-east-1', timeoutMs: 5000 }), askMfaCode: async () => undefined, store, profiles: () => new Map() });
    const r = role({ base: { kind: 'profileKeys', profile: 'gone' } });
    await assert.rejects(switcher.switchTo(r), (e: unknown) => {
      const cause = (e as HopError).cause ?? e;
      assert.ok(cause instanceof ConfigError, String(cause));
      assert.match((cause as ConfigError).message, /profile "gone" no longer has aws_access_key_id and aws_secret_access_key/);
      return true;
    });
    assert.deepEqual([gw.calls.length, store.current], [0, undefined]);
  });

  it('caches the caller identity: a second switch costs one AssumeRole', async () => {
    const { gw, switcher } = setup();
    await switcher.switchTo(role());
    await switcher.switchTo(role());
    assert.deepEqual(gw.calls.map((c) => c.op), ['GetCallerIdentity', 'AssumeRole', 'AssumeRole']);
  });

  it('assumes every hop in order, each with the previous credentials', async () => {
    const { gw, store, switcher } = setup();
    const chained = role({
      roleArn: 'arn:aws:iam::222222222222:role/chained-deploy',
      hops: [
        { roleArn: 'arn:aws:iam::111111111111:role/s3-Full-Access', profile: 's3-Full-Access' },
        { roleArn: 'arn:aws:iam::222222222222:role/chained-deploy', profile: 'chained-deploy' },
      ],
    });
    const r = await switcher.switchTo(chained);
    assert.equal(store.depth, 2);
    assert.equal(r.session.sourceIdentityArn, 'arn:aws:sts::111111111111:assumed-role/s3-Full-Access/test-user');
    const second = gw.calls.filter((c) => c.op === 'AssumeRole')[1];
    assert.equal(second.creds.kind, 'static');
    assert.equal((second.creds as { credentials: { accessKeyId: string } }).credentials.accessKeyId, store.sessions[0].accessKeyId);
  });

  it('names the failing hop and keeps the previous session', async () => {
    const { gw, store, switcher } = setup();
    const first = await switcher.switchTo(role());
    gw.failNext = [Object.assign(new Error('denied'), { name: 'AccessDenied' })];
    const chained = role({ id: 'c', hops: [{ roleArn: 'arn:aws:iam::111111111111:role/a', profile: 'a' }, { roleArn: 'arn:aws:iam::222222222222:role/b', profile: 'b' }] });
    await assert.rejects(switcher.switchTo(chained), (e: unknown) => e instanceof HopError && e.hop.index === 0 && e.hop.profile === 'a');
    assert.equal(store.current, first.session);
  });

  it('retries once at 3600 s when the requested duration is over the role maximum', async () => {
    const { gw, switcher } = setup();
    gw.failNext = [Object.assign(new Error('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'), { name: 'ValidationError' })];
    const r = await switcher.switchTo(role({ hops: [{ roleArn: 'arn:aws:iam::111111111111:role/s3-Full-Access', durationSeconds: 43200 }] }));
    const durations = gw.calls.filter((c) => c.op === 'AssumeRole').map((c) => c.params?.durationSeconds);
    assert.deepEqual(durations, [43200, 3600]);
    assert.equal(r.notices.length, 1);
    assert.match(r.notices[0], /retried with 3600 s/);
  });

  it('prompts for MFA once, opens an MFA session with the code, and assumes with it (code redacted)', async () => {
    const { gw, switcher, redactor } = setup(async () => '654321');
    const r = await switcher.switchTo(role({ hops: [{ roleArn: 'arn:aws:iam::111111111111:role/mfa-admin', mfaSerial: MFA }] }));
    assert.deepEqual(gw.calls.map((c) => c.op), ['GetCallerIdentity', 'GetSessionToken', 'AssumeRole']);
    assert.deepEqual(gw.calls[1].token, { durationSeconds: 3600, serialNumber: MFA, tokenCode: '654321' });
    const p = gw.calls[2].params!;
    assert.deepEqual([p.tokenCode, p.serialNumber], [undefined, undefined]);
    assert.deepEqual(gw.calls[2].creds, { kind: 'static', credentials: gw.mfaCredentials[0] });
    assert.equal(r.session.viaMfaSession, true);
    assert.equal(redactor.redact('code 654321'), 'code «redacted»');
    assert.equal(redactor.redact(gw.mfaCredentials[0].secretAccessKey), '«redacted»');
  });

  it('one MFA code for five roles with the same MFA device, until the MFA session ends', async () => {
    let asked = 0;
    const clock = new FakeClock(Date.now());
    const { gw, switcher } = setup(async () => (asked++, '123456'), { now: () => clock.now(), mfaSessionSeconds: 3600 });
    for (let i = 1; i <= 5; i++) await switcher.switchTo(role({ roleArn: `arn:aws:iam::111111111111:role/mfa-${i}`, hops: [{ roleArn: `arn:aws:iam::111111111111:role/mfa-${i}`, mfaSerial: MFA }] }));
    assert.deepEqual([asked, gw.calls.filter((c) => c.op === 'GetSessionToken').length, gw.calls.filter((c) => c.op === 'AssumeRole').length], [1, 1, 5]);
    clock.advance(3600_000 - 30_000); // less than a minute of the MFA session left: ask again
    await switcher.switchTo(role({ hops: [{ roleArn: 'arn:aws:iam::111111111111:role/mfa-1', mfaSerial: MFA }] }));
    assert.deepEqual([asked, gw.calls.filter((c) => c.op === 'GetSessionToken').length], [2, 2]);
  });

  it('forgets the MFA session back at the base identity and when caches are reset', async () => {
    let asked = 0;
    const { switcher } = setup(async () => (asked++, '123456'));
    const mfaRole = role({ hops: [{ roleArn: 'arn:aws:iam::111111111111:role/mfa-admin', mfaSerial: MFA }] });
    await switcher.switchTo(mfaRole);
    await switcher.switchBack();
    await switcher.switchTo(mfaRole);
    switcher.resetCaches();
    await switcher.switchTo(mfaRole);
    await switcher.clear();
    await switcher.switchTo(mfaRole);
    assert.equal(asked, 4);
  });

  it('hands its MFA sessions to the next window (restore on): no new code there while they last', async () => {
    let asked = 0;
    const clock = new FakeClock(Date.now());
    const a = setup(async () => (asked++, '123456'), { now: () => clock.now() });
    const mfaRole = role({ hops: [{ roleArn: 'arn:aws:iam::111111111111:role/mfa-admin', mfaSerial: MFA }] });
    await a.switcher.switchTo(mfaRole);
    const saved = JSON.parse(JSON.stringify(a.switcher.exportMfaSessions()));
    assert.equal(saved.length, 1);
    const b = setup(async () => (asked++, '654321'), { now: () => clock.now() });
    b.switcher.importMfaSessions(saved);
    await b.switcher.switchTo(mfaRole);
    assert.deepEqual([asked, b.gw.calls.filter((c) => c.op === 'GetSessionToken').length], [1, 0]);
    assert.ok(!b.redactor.redact(saved[0].credentials.secretAccessKey).includes('mfa-secret'), 'restored secrets are redacted');
    // an MFA session that has ended is not taken back
    clock.advance(3600_000);
    const c = setup(async () => (asked++, '111111'), { now: () => clock.now() });
    c.switcher.importMfaSessions(saved);
    c.switcher.importMfaSessions([{ key: 'x' } as never, null as never]);
    await c.switcher.switchTo(mfaRole);
    assert.equal(asked, 2);
  });

  it('sends the code with AssumeRole when MFA sessions are off, or the base is not an IAM user', async () => {
    const off = setup(async () => '111111', { mfaSessionSeconds: 0 });
    await off.switcher.switchTo(role({ hops: [{ roleArn: 'arn:aws:iam::111111111111:role/mfa-admin', mfaSerial: MFA }] }));
    assert.deepEqual(off.gw.calls.map((c) => [c.op, c.params?.tokenCode]), [['GetCallerIdentity', undefined], ['AssumeRole', '111111']]);
    const roleBase = setup(async () => '222222');
    roleBase.gw.callerArn = 'arn:aws:sts::111111111111:assumed-role/Sso_Dev/alice';
    await roleBase.switcher.switchTo(role({ hops: [{ roleArn: 'arn:aws:iam::111111111111:role/mfa-admin', mfaSerial: MFA }] }));
    assert.deepEqual(roleBase.gw.calls.map((c) => [c.op, c.params?.tokenCode]), [['GetCallerIdentity', undefined], ['AssumeRole', '222222']]);
  });

  it('asks a role session for at most 3600 s up front: later hops, chains, and a base that is an assumed role', async () => {
    const long = 43200;
    const multi = setup();
    const r = await multi.switcher.switchTo(role({ hops: [{ roleArn: 'arn:aws:iam::111111111111:role/a', durationSeconds: long }, { roleArn: 'arn:aws:iam::111111111111:role/b', durationSeconds: long }] }));
    assert.deepEqual(multi.gw.calls.filter((c) => c.op === 'AssumeRole').map((c) => c.params?.durationSeconds), [long, 3600]);
    assert.deepEqual(r.chain.map((x) => x.chained ?? false), [false, true]);
    await multi.switcher.chainFrom(role({ roleArn: 'arn:aws:iam::111111111111:role/c', hops: [{ roleArn: 'arn:aws:iam::111111111111:role/c', durationSeconds: long }] }));
    assert.equal(multi.gw.calls.at(-1)?.params?.durationSeconds, 3600);
    const fromRole = setup();
    fromRole.gw.callerArn = 'arn:aws:sts::111111111111:assumed-role/Sso_Dev/alice';
    const s = await fromRole.switcher.switchTo(role({ hops: [{ roleArn: 'arn:aws:iam::111111111111:role/a', durationSeconds: long }] }));
    assert.deepEqual([fromRole.gw.calls.at(-1)?.params?.durationSeconds, s.session.chained], [3600, true]);
    assert.ok(!fromRole.gw.failures.length, 'no call failed');
  });

  it('treats a cancelled MFA prompt as a silent cancellation', async () => {
    const { store, switcher } = setup(async () => undefined);
    await assert.rejects(switcher.switchTo(role({ hops: [{ roleArn: 'arn:aws:iam::111111111111:role/mfa-admin', mfaSerial: 'x' }] })), (e) => isCancelled(e));
    assert.equal(store.current, undefined);
  });

  it('uses the session name and external id from the profile without asking STS who you are', async () => {
    const { gw, switcher } = setup();
    await switcher.switchTo(role({ hops: [{ roleArn: 'arn:aws:iam::111111111111:role/partner-access', externalId: 'demo-external-id', roleSessionName: 'me' }] }));
    assert.deepEqual(gw.calls.map((c) => c.op), ['AssumeRole']);
    assert.equal(gw.calls[0].params?.externalId, 'demo-external-id');
    assert.equal(gw.calls[0].params?.roleSessionName, 'me');
  });

  it('last intent wins: a newer switch cancels the one in flight', async () => {
    const { gw, store, switcher } = setup();
    let release!: () => void;
    gw.hold = new Promise<void>((r) => (release = r));
    const first = switcher.switchTo(role({ id: 'first' }));
    await new Promise((r) => setImmediate(r));
    const second = switcher.switchTo(role({ id: 'second', roleArn: 'arn:aws:iam::111111111111:role/other' }));
    gw.hold = undefined;
    release();
    await assert.rejects(first, (e) => e instanceof CancelledError || isCancelled(e));
    const r = await second;
    assert.equal(store.current, r.session);
    assert.equal(store.current?.role.id, 'second');
  });

  it('switch back during an assume cancels the assume and keeps the stack popped', async () => {
    const { gw, store, switcher } = setup();
    await switcher.switchTo(role({ id: 'one' }));
    let release!: () => void;
    gw.hold = new Promise<void>((r) => (release = r));
    const pending = switcher.switchTo(role({ id: 'two' }));
    await new Promise((r) => setImmediate(r));
    const back = switcher.switchBack();
    release();
    await assert.rejects(pending, (e) => isCancelled(e));
    assert.equal(await back, undefined);
    assert.equal(store.current, undefined);
  });

  it('rejects a response without a valid Expiration and commits nothing', async () => {
    const { gw, store, switcher } = setup();
    gw.assumeRole = async (_o, params) => ({
      credentials: { accessKeyId: 'ASIAX', secretAccessKey: 's', sessionToken: 't', expiration: new Date('nope') },
      assumedRoleArn: `arn:aws:sts::111111111111:assumed-role/x/${params.roleSessionName}`,
      assumedRoleId: 'x',
    });
    await assert.rejects(switcher.switchTo(role()), (e: unknown) => e instanceof HopError && (e.cause as Error).name === 'MalformedResponse');
    assert.equal(store.current, undefined);
  });

  it('chainFrom assumes with the active session and pushes on top', async () => {
    const { gw, store, switcher } = setup();
    const first = await switcher.switchTo(role());
    await switcher.chainFrom(role({ id: 'chained', roleArn: 'arn:aws:iam::222222222222:role/chained-deploy', hops: [{ roleArn: 'arn:aws:iam::222222222222:role/chained-deploy' }] }));
    assert.equal(store.depth, 2);
    const last = gw.calls[gw.calls.length - 1];
    assert.equal((last.creds as { credentials: { accessKeyId: string } }).credentials.accessKeyId, first.session.accessKeyId);
    assert.equal(await switcher.switchBack(), first.session);
  });
});
