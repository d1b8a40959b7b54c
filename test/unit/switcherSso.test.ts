import { strict as assert } from 'node:assert';
import type { AwsGateway } from '../../src/core/gateway';
import { FakeClock } from '../../src/core/clock';
import { Redactor } from '../../src/core/redact';
import { SessionStore } from '../../src/core/session';
import { SsoSignInRequiredError, type SsoRoleRef } from '../../src/core/ssoTypes';
import { HopError, SSO_SESSION_PLACEHOLDER, Switcher } from '../../src/core/switcher';
import type { RoleDefinition } from '../../src/core/types';
import { role } from '../helpers/builders';
import { FakeGateway, FakeSsoCredentials } from '../helpers/fakeGateway';

const REF: SsoRoleRef = { portalId: 'session:corp', accountId: '111111111111', roleName: 'Developer' };
const PS: RoleDefinition = {
  id: 'profile:dev', origin: 'sso', label: 'dev', roleArn: 'arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Developer',
  accountId: '111111111111', partition: 'aws', roleName: 'Developer', hops: [], base: { kind: 'sso', sso: REF }, profile: 'dev', sso: REF,
};
const DEPLOY = role({ id: 'profile:deploy', roleArn: 'arn:aws:iam::222222222222:role/Deploy', hops: [{ roleArn: 'arn:aws:iam::222222222222:role/Deploy', profile: 'deploy', durationSeconds: 7200 }], base: { kind: 'sso', sso: REF } });
const REAL_ARN = 'arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/jane@example.com';

function setup(withSso = true) {
  const gw = new FakeGateway();
  gw.callerArn = REAL_ARN;
  const sso = new FakeSsoCredentials();
  const store = new SessionStore(new FakeClock(Date.now()));
  const redactor = new Redactor();
  const committed: string[] = [];
  const switcher = new Switcher({
    gateway: () => gw as unknown as AwsGateway,
    callOptions: () => ({ region: 'us-east-1', timeoutMs: 5000 }),
    askMfaCode: async () => undefined,
    store,
    redactor,
    beforeCommit: async (s) => void committed.push(s.assumedRoleArn),
    profiles: () => new Map(),
    ...(withSso ? { ssoCredentials: sso.get } : {}),
  });
  return { gw, sso, store, switcher, redactor, committed };
}

async function rejects(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('Switcher: IAM Identity Center permission sets', () => {
  it('a permission set is one GetRoleCredentials (no STS call): a Session with permissionSet and a stand-in assumed-role ARN, committed and redacted', async () => {
    const { gw, sso, store, switcher, redactor, committed } = setup();
    const r = await switcher.switchTo(PS);
    assert.deepEqual(sso.calls, [{ portalId: 'session:corp', accountId: '111111111111', roleName: 'Developer' }]);
    assert.deepEqual(gw.calls, []);
    assert.equal(store.current, r.session);
    assert.deepEqual(r.session.permissionSet, REF);
    assert.equal(r.session.assumedRoleArn, `arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Developer/${SSO_SESSION_PLACEHOLDER}`);
    assert.equal(r.session.accessKeyId, 'ASIASSO0000000000001');
    assert.equal(r.session.chained, undefined);
    assert.deepEqual(r.session.step, { role: PS, chained: false });
    assert.deepEqual(committed, [r.session.assumedRoleArn]);
    const text = redactor.redact(`${r.session.secretAccessKey} ${r.session.sessionToken}`);
    assert.ok(!text.includes('sso-secret') && !text.includes('sso-token'), text);
  });

  it('a role chained from an SSO profile: the permission set signs hop 0, chained (1-hour cap), its ARN learned once', async () => {
    const { gw, sso, switcher } = setup();
    const r = await switcher.switchTo(DEPLOY);
    assert.equal(sso.calls.length, 1);
    const psCreds = { kind: 'static', credentials: { accessKeyId: 'ASIASSO0000000000001', secretAccessKey: 'sso-secret-1'.padEnd(40, 'x'), sessionToken: 'sso-token-1'.padEnd(100, 'x'), expiration: gw.calls[0] && (gw.calls[0].creds as { credentials: { expiration: Date } }).credentials.expiration } };
    assert.deepEqual(gw.calls.map((c) => [c.op, c.creds]), [['GetCallerIdentity', psCreds], ['AssumeRole', psCreds]]);
    assert.equal(gw.calls[1].params?.durationSeconds, 3600);
    assert.equal(gw.calls[1].params?.roleSessionName, 'jane@example.com');
    assert.equal(r.session.chained, true);
    assert.equal(r.session.sourceIdentityArn, REAL_ARN);
    assert.equal(r.chain.length, 1);
    gw.calls = [];
    await switcher.switchTo(DEPLOY);
    assert.deepEqual(gw.calls.map((c) => c.op), ['AssumeRole']);
    // The learned ARN is the permission set's real one from now on.
    const ps = await switcher.switchTo(PS);
    assert.equal(ps.session.assumedRoleArn, REAL_ARN);
    assert.equal(ps.session.sessionName, 'jane@example.com');
  });

  it('a failed GetRoleCredentials leaves the previous session intact, and its error passes untouched', async () => {
    const { sso, store, switcher } = setup();
    const before = (await switcher.switchTo(role())).session;
    sso.failNext.push(Object.assign(new Error('Session token not found or invalid'), { name: 'UnauthorizedException' }));
    const e = await rejects(switcher.switchTo(PS));
    assert.equal(e.name, 'UnauthorizedException');
    assert.equal(store.current, before);
    sso.failNext.push(new SsoSignInRequiredError('session:corp', 'https://corp.awsapps.com/start', 'never signed in'));
    const e2 = await rejects(switcher.switchTo(DEPLOY));
    assert.ok(e2 instanceof SsoSignInRequiredError);
    assert.equal(store.current, before);
  });

  for (const [what, answer] of [
    ['empty keys', { accessKeyId: '', secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() + 3600_000) }],
    ['no session token', { accessKeyId: 'ASIA', secretAccessKey: 's', expiration: new Date(Date.now() + 3600_000) }],
    ['an invalid expiration', { accessKeyId: 'ASIA', secretAccessKey: 's', sessionToken: 't', expiration: new Date(NaN) }],
    ['a past expiration', { accessKeyId: 'ASIA', secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() - 1000) }],
  ] as const) {
    it(`a GetRoleCredentials answer with ${what} is MalformedResponse, nothing committed`, async () => {
      const { gw, sso, store, switcher, committed } = setup();
      for (const r of [PS, DEPLOY]) {
        sso.answerNext.push(answer);
        const e = await rejects(switcher.switchTo(r));
        assert.equal(e.name, 'MalformedResponse');
        assert.match(e.message, /IAM Identity Center returned a response without a valid/);
      }
      assert.deepEqual([store.current, committed, gw.calls], [undefined, [], []]);
    });
  }

  it('renew() gets the permission set again (GetRoleCredentials), for a permission set and for a role chained from one', async () => {
    const { gw, sso, store, switcher } = setup();
    const first = (await switcher.switchTo(PS)).session;
    assert.equal(await switcher.renew(), 'renewed');
    assert.equal(sso.calls.length, 2);
    assert.notEqual(store.current, first);
    assert.equal(store.current?.accessKeyId, 'ASIASSO0000000000002');
    assert.deepEqual(store.current?.permissionSet, REF);
    await switcher.switchTo(DEPLOY);
    gw.calls = [];
    assert.equal(await switcher.renew(), 'renewed');
    assert.equal(sso.calls.length, 4);
    assert.deepEqual(gw.calls.map((c) => [c.op, (c.creds as { credentials: { accessKeyId: string } }).credentials.accessKeyId]), [['AssumeRole', 'ASIASSO0000000000004']]);
    assert.equal(store.current?.role, DEPLOY);
  });

  it('a failed renewal leaves the session as it is', async () => {
    const { sso, store, switcher } = setup();
    const s = (await switcher.switchTo(PS)).session;
    sso.failNext.push(Object.assign(new Error('expired'), { name: 'UnauthorizedException' }));
    assert.equal((await rejects(switcher.renew())).name, 'UnauthorizedException');
    assert.equal(store.current, s);
  });

  it('chainFrom a permission set session signs with its credentials; Switch Back returns to it, then to the base', async () => {
    const { gw, store, switcher } = setup();
    const ps = (await switcher.switchTo(PS)).session;
    const r = await switcher.chainFrom(role({ roleArn: 'arn:aws:iam::333333333333:role/Chained' }));
    assert.deepEqual(gw.calls.map((c) => [c.op, (c.creds as { credentials?: { accessKeyId: string } }).credentials?.accessKeyId]), [['AssumeRole', ps.accessKeyId]]);
    assert.equal(r.session.chained, true);
    assert.equal(r.session.sessionName, SSO_SESSION_PLACEHOLDER);
    assert.deepEqual(store.sessions, [ps, r.session]);
    assert.equal(await switcher.switchBack(), ps);
    assert.equal(await switcher.switchBack(), undefined);
  });

  it('callerOf an sso base: GetRoleCredentials, then GetCallerIdentity with those credentials, cached', async () => {
    const { gw, sso, switcher } = setup();
    assert.equal((await switcher.callerOf({ kind: 'sso', sso: REF })).arn, REAL_ARN);
    assert.equal((await switcher.callerOf({ kind: 'sso', sso: REF })).arn, REAL_ARN);
    assert.deepEqual([sso.calls.length, gw.calls.map((c) => c.op)], [1, ['GetCallerIdentity']]);
  });

  it('a failed GetCallerIdentity with the permission set is a HopError of hop 0, nothing committed', async () => {
    const { gw, store, switcher } = setup();
    gw.getCallerIdentity = async () => {
      throw Object.assign(new Error('denied'), { name: 'AccessDenied' });
    };
    const e = await rejects(switcher.switchTo(DEPLOY));
    assert.ok(e instanceof HopError);
    assert.equal(e.hop.roleArn, 'arn:aws:iam::222222222222:role/Deploy');
    assert.equal(store.current, undefined);
  });

  it('without ssoCredentials (no IAM Identity Center in this window) it says so', async () => {
    const { store, switcher } = setup(false);
    assert.match((await rejects(switcher.switchTo(PS))).message, /IAM Identity Center is not available/);
    assert.equal(store.current, undefined);
  });
});
