// Discovery through the real SDK v3 gateway against the local fake AWS: for every role of the seeds
// scenario and each kind of caller, the verdict must agree with what AssumeRole then does.
import { strict as assert } from 'node:assert';
import { createAwsGateway, type SdkGateway } from '../../src/aws/gateway';
import type { AssumeRoleParams, CallOptions } from '../../src/core/gateway';
import { discoverRoles, type DiscoveryResult } from '../../src/core/discovery';
import { callerContext, combineWithSimulation, evaluateTrust } from '../../src/core/trust';
import type { Verdict } from '../../src/core/types';
import { generateScenario, loadScenario, startFakeAws, type FakeAws, type ScenarioDoc } from '../fake-aws';

const MFA_SERIAL = 'arn:aws:iam::111111111111:mfa/test-user';
const MFA_CODE = '123456';
const EXTERNAL_ID = 'demo-external-id';

interface ScenarioRole {
  arn: string;
  name: string;
  trustPolicy: string;
  externalId: string;
}

/** The ExternalId a trust policy asks for (StringEquals sts:ExternalId), else the seeds' demo value. */
function externalIdOf(trustPolicy: object): string {
  const st = (trustPolicy as { Statement?: unknown }).Statement;
  for (const s of Array.isArray(st) ? st : [st]) {
    const v = (s as { Condition?: { StringEquals?: Record<string, unknown> } })?.Condition?.StringEquals?.['sts:ExternalId'];
    if (typeof v === 'string') return v;
  }
  return EXTERNAL_ID;
}

function scenarioRoles(doc: ScenarioDoc): ScenarioRole[] {
  return doc.accounts.flatMap((a) =>
    (a.roles ?? []).map((r) => ({
      arn: `arn:aws:iam::${a.id}:role${r.path ?? '/'}${r.name}`,
      name: r.name,
      trustPolicy: JSON.stringify(r.trustPolicy),
      externalId: externalIdOf(r.trustPolicy),
    })),
  );
}

function rolePath(doc: ScenarioDoc, accountId: string, roleName: string): string | undefined {
  const r = doc.accounts.find((a) => a.id === accountId)?.roles?.find((x) => x.name === roleName);
  return r ? (r.path ?? '/') : undefined;
}

describe('core/discovery (SDK v3 gateway → fake AWS)', function () {
  this.timeout(60_000);
  let fake: FakeAws;
  let gw: SdkGateway;
  let scenario: ScenarioDoc;
  let roles: ScenarioRole[];

  before(async () => {
    fake = await startFakeAws();
    gw = createAwsGateway();
    scenario = loadScenario(undefined);
    roles = scenarioRoles(scenario);
  });
  after(async () => {
    gw?.reset();
    await fake?.close();
  });

  const call = (credentials: CallOptions['credentials']): CallOptions => ({ region: 'us-east-1', endpoint: fake.endpoint, credentials, timeoutMs: 5000 });
  const userCall = (name: string): CallOptions => call({ kind: 'static', credentials: fake.userKeys(name) });

  /** The verdict for every scenario role: discovery's where it listed the role, else trust + simulation as discovery does it. */
  async function verdictsFor(c: CallOptions, result: DiscoveryResult, list = roles, doc = scenario): Promise<Map<string, Verdict>> {
    const caller = result.caller.pathKnown === false
      ? callerContext(result.caller.arn, (acct, name) => rolePath(doc, acct, name))
      : result.caller;
    const out = new Map<string, Verdict>();
    for (const r of list) {
      const listed = result.roles.find((x) => x.roleArn === r.arn);
      if (listed?.verdict) {
        out.set(r.arn, listed.verdict);
        continue;
      }
      const ev = evaluateTrust(r.trustPolicy, r.arn, caller);
      let sim: 'allowed' | 'explicitDeny' | 'implicitDeny' | undefined;
      if (caller.kind === 'user' || caller.kind === 'assumedRole') {
        try {
          sim = (await gw.simulateAssumeRole(c, caller.principalArn, [r.arn]))[0]?.decision;
        } catch (e) {
          assert.equal((e as Error).name, 'AccessDenied');
        }
      }
      out.set(r.arn, combineWithSimulation(ev, sim, ev.sameAccount));
    }
    return out;
  }

  async function tryAssume(c: CallOptions, roleArn: string, extra: Partial<AssumeRoleParams> = {}): Promise<'ok' | string> {
    try {
      await gw.assumeRole(c, { roleArn, roleSessionName: 'discovery-it', ...extra });
      return 'ok';
    } catch (e) {
      return (e as Error).name;
    }
  }

  /** AssumeRole agrees with each verdict; returns role name -> verdict kind. */
  async function checkAgreement(c: CallOptions, verdicts: Map<string, Verdict>, list = roles): Promise<Record<string, string>> {
    const kinds: Record<string, string> = {};
    for (const r of list) {
      const v = verdicts.get(r.arn)!;
      kinds[r.name] = v.kind;
      const plain = await tryAssume(c, r.arn);
      const msg = `${r.name}: verdict ${v.kind} (${v.reason}), AssumeRole ${plain}`;
      switch (v.kind) {
        case 'assumable':
          assert.equal(plain, 'ok', msg);
          break;
        case 'notTrusted':
          assert.equal(plain, 'AccessDenied', msg);
          break;
        case 'needsMfa':
          assert.equal(plain, 'AccessDenied', msg);
          assert.equal(await tryAssume(c, r.arn, { serialNumber: MFA_SERIAL, tokenCode: MFA_CODE }), 'ok', msg);
          break;
        case 'needsExternalId':
          assert.equal(plain, 'AccessDenied', msg);
          assert.equal(await tryAssume(c, r.arn, { externalId: r.externalId }), 'ok', msg);
          break;
        case 'needsPermission':
          // the trust policy lets the caller in; the identity policy (not checked) decides
          assert.ok(plain === 'ok' || plain === 'AccessDenied', msg);
          assert.ok(v.trustedVia !== undefined, msg);
          break;
        case 'undecidable':
          assert.ok(plain === 'ok' || plain === 'AccessDenied', msg);
          break;
        default:
          assert.fail(msg);
      }
    }
    return kinds;
  }

  it('IAM user test-user: discovers its account and every verdict holds', async () => {
    const c = userCall('test-user');
    const batches: number[] = [];
    const result = await discoverRoles({ gateway: gw, call: c, base: { kind: 'default' }, organizationRoleNames: ['OrganizationAccountAccessRole'], pageSize: 3, onRoles: (r) => batches.push(r.length) });
    assert.deepStrictEqual(result.skipped, []);
    assert.equal(result.accountAlias, 'seeds-sandbox');
    assert.deepStrictEqual(result.accounts.map((a) => [a.id, a.name]), [['111111111111', 'Seeds Sandbox'], ['222222222222', 'Seeds Prod']]);
    assert.deepStrictEqual(
      result.roles.filter((r) => r.origin === 'organization').map((r) => [r.roleArn, r.verdict?.kind]),
      [['arn:aws:iam::222222222222:role/OrganizationAccountAccessRole', 'unverified']],
    );
    // 8 roles in pages of 3, the service role left out of onRoles, then the organization candidate
    assert.deepStrictEqual([batches.length, batches.reduce((a, b) => a + b, 0), batches.at(-1)], [4, 8, 1]);
    const kinds = await checkAgreement(c, await verdictsFor(c, result));
    assert.deepStrictEqual(kinds, {
      's3-Full-Access': 'assumable',
      'mfa-admin': 'needsMfa',
      'partner-access': 'needsExternalId',
      'path-role': 'assumable',
      'lambda-exec': 'notTrusted',
      'other-team': 'notTrusted',
      'deny-test-user': 'notTrusted',
      'long-session': 'assumable',
      'cross-account-readonly': 'assumable',
      'chained-deploy': 'notTrusted',
    });
    assert.equal(result.evaluations.get('arn:aws:iam::111111111111:role/lambda-exec')?.serviceRole, true);
  });

  it('assumed-role session of s3-Full-Access: degrades to what it may do, and every verdict holds', async () => {
    const session = await gw.assumeRole(userCall('test-user'), { roleArn: 'arn:aws:iam::111111111111:role/s3-Full-Access', roleSessionName: 'discovery-it-base' });
    const c = call({ kind: 'static', credentials: session.credentials });
    const result = await discoverRoles({ gateway: gw, call: c, base: { kind: 'default' }, organizationRoleNames: ['OrganizationAccountAccessRole'] });
    assert.equal(result.caller.kind, 'assumedRole');
    assert.deepStrictEqual(result.skipped, [
      'Skipped listing roles: you are not allowed iam:ListRoles',
      'Skipped the account alias: you are not allowed iam:ListAccountAliases',
      'Skipped listing organization accounts: you are not allowed organizations:ListAccounts',
    ]);
    const kinds = await checkAgreement(c, await verdictsFor(c, result));
    // trusted by path-role / cross-account-readonly only as test-user; chained-deploy names this role
    assert.equal(kinds['path-role'], 'notTrusted');
    assert.equal(kinds['cross-account-readonly'], 'notTrusted');
    assert.equal(kinds['chained-deploy'], 'needsPermission');
  });

  it('limited-user: nothing allowed, nothing claimed', async () => {
    const c = userCall('limited-user');
    const result = await discoverRoles({ gateway: gw, call: c, base: { kind: 'default' }, organizationRoleNames: ['OrganizationAccountAccessRole'] });
    assert.deepStrictEqual(result.roles, []);
    assert.equal(result.skipped.length, 3);
    const kinds = await checkAgreement(c, await verdictsFor(c, result));
    assert.equal(Object.values(kinds).includes('assumable'), false);
    assert.equal(kinds['path-role'], 'notTrusted');
    assert.equal(kinds['s3-Full-Access'], 'needsPermission');
  });

  it('assumed-role session of a role with a path (/team/path-role), which has no permissions', async () => {
    const session = await gw.assumeRole(userCall('test-user'), { roleArn: 'arn:aws:iam::111111111111:role/team/path-role', roleSessionName: 'discovery-it-path' });
    const c = call({ kind: 'static', credentials: session.credentials });
    const result = await discoverRoles({ gateway: gw, call: c, base: { kind: 'default' }, organizationRoleNames: [] });
    assert.equal(result.caller.kind, 'assumedRole');
    assert.ok(result.skipped.includes('Skipped listing roles: you are not allowed iam:ListRoles'));
    const kinds = await checkAgreement(c, await verdictsFor(c, result));
    assert.equal(Object.values(kinds).includes('assumable'), false);
  });

  it('a generated scenario of 300 roles: every verdict holds for test-user', async () => {
    const doc = generateScenario({ roles: 300, seed: 7 });
    const big = await startFakeAws({ scenario: doc });
    const bigGw = createAwsGateway();
    try {
      const c: CallOptions = { region: 'us-east-1', endpoint: big.endpoint, credentials: { kind: 'static', credentials: big.userKeys('test-user') }, timeoutMs: 5000 };
      const result = await discoverRoles({ gateway: bigGw, call: c, base: { kind: 'default' }, organizationRoleNames: [], pageSize: 100 });
      assert.deepStrictEqual(result.skipped, []);
      const list = scenarioRoles(doc);
      const saved = gw;
      gw = bigGw;
      try {
        const kinds = await checkAgreement(c, await verdictsFor(c, result, list, doc), list);
        const counts: Record<string, number> = {};
        for (const k of Object.values(kinds)) counts[k] = (counts[k] ?? 0) + 1;
        // discovery decides nearly everything for a caller that may simulate
        assert.ok((counts.needsPermission ?? 0) === 0 && (counts.undecidable ?? 0) === 0, JSON.stringify(counts));
        assert.ok(counts.assumable! > 0 && counts.needsMfa! > 0 && counts.needsExternalId! > 0 && counts.notTrusted! > 0, JSON.stringify(counts));
      } finally {
        gw = saved;
      }
    } finally {
      bigGw.reset();
      await big.close();
    }
  });
});
