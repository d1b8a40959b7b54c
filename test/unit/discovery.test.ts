import * as assert from 'node:assert/strict';
import type {
  AssumeRoleOutput,
  AwsGateway,
  CallOptions,
  CallerIdentity,
  IamRoleSummary,
  OrgAccount,
  SimulationResult,
} from '../../src/core/gateway';
import { DiscoveryCache, discoverRoles, type DiscoveryOptions } from '../../src/core/discovery';
import type { RoleDefinition } from '../../src/core/types';

const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const USER = `arn:aws:iam::${A}:user/alice`;

type Op = 'ListRoles' | 'ListAccountAliases' | 'ListAccounts' | 'SimulatePrincipalPolicy';

function awsError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

function trust(principal: unknown, condition?: Record<string, unknown>): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }] });
}

function role(name: string, trustPolicy: string | undefined, path = '/', account = A): IamRoleSummary {
  return { arn: `arn:aws:iam::${account}:role${path}${name}`, roleName: name, path, roleId: `AROA${name.toUpperCase()}`, trustPolicy };
}

/** In-memory AwsGateway: every call resolves on the microtask queue, nothing is timed. */
class FakeGateway implements AwsGateway {
  readonly log: string[] = [];
  readonly simulateCalls: Array<{ source: string; arns: string[] }> = [];
  readonly denied = new Set<Op>();
  listRolesError?: Error;
  aliases = ['sandbox'];
  accounts: OrgAccount[] = [];
  /** Identity-policy decision per role ARN (default: allowed). */
  decide: (arn: string) => SimulationResult['decision'] = () => 'allowed';

  constructor(
    public identity: CallerIdentity,
    public roles: IamRoleSummary[],
  ) {}

  async getCallerIdentity(_opts: CallOptions): Promise<CallerIdentity> {
    this.log.push('GetCallerIdentity');
    return this.identity;
  }
  async assumeRole(): Promise<AssumeRoleOutput> {
    throw new Error('not used');
  }
  async getSessionToken(): Promise<never> {
    throw new Error('not used by discovery');
  }
  async *listRoles(_opts: CallOptions, pageSize = 100): AsyncIterable<IamRoleSummary[]> {
    for (let i = 0; i === 0 || i < this.roles.length; i += pageSize) {
      this.log.push(`ListRoles(${pageSize})`);
      if (this.denied.has('ListRoles')) throw awsError('AccessDenied', 'not authorized to perform: iam:ListRoles');
      if (this.listRolesError) throw this.listRolesError;
      yield this.roles.slice(i, i + pageSize);
    }
  }
  async listAccountAliases(): Promise<string[]> {
    this.log.push('ListAccountAliases');
    if (this.denied.has('ListAccountAliases')) throw awsError('AccessDenied', 'not authorized');
    return this.aliases;
  }
  async simulateAssumeRole(_opts: CallOptions, policySourceArn: string, roleArns: readonly string[]): Promise<SimulationResult[]> {
    this.simulateCalls.push({ source: policySourceArn, arns: [...roleArns] });
    if (this.denied.has('SimulatePrincipalPolicy')) throw awsError('AccessDenied', 'not authorized');
    return roleArns.map((resourceArn) => ({ resourceArn, decision: this.decide(resourceArn) }));
  }
  async *listAccounts(): AsyncIterable<OrgAccount[]> {
    this.log.push('ListAccounts');
    if (this.denied.has('ListAccounts')) throw awsError('AccessDeniedException', 'not authorized');
    yield this.accounts;
  }
  reset(): void {}
}

const CALL: CallOptions = { region: 'us-east-1', credentials: { kind: 'default' } };

function options(gateway: AwsGateway, extra: Partial<DiscoveryOptions> = {}): DiscoveryOptions {
  return { gateway, call: CALL, base: { kind: 'default' }, organizationRoleNames: ['OrganizationAccountAccessRole'], ...extra };
}

const verdicts = (roles: readonly RoleDefinition[]): Record<string, string | undefined> =>
  Object.fromEntries(roles.map((r) => [r.roleName, r.verdict?.kind]));

describe('discovery', () => {
  const seedRoles = (): IamRoleSummary[] => [
    role('direct', trust({ AWS: USER })),
    role('account', trust({ AWS: `arn:aws:iam::${A}:root` })),
    role('mfa', trust({ AWS: A }, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } })),
    role('external', trust({ AWS: A }, { StringEquals: { 'sts:ExternalId': 'x-1' } })),
    role('service', trust({ Service: 'lambda.amazonaws.com' })),
    role('other', trust({ AWS: `arn:aws:iam::${A}:user/bob` })),
    role('denied-by-policy', trust({ AWS: A })),
    role('broken', '{"Statement": ['),
    role('no-policy', undefined),
  ];

  it('lists page by page, reporting each page through onRoles', async () => {
    const gw = new FakeGateway({ arn: USER, account: A, userId: 'AIDA1' }, seedRoles());
    const batches: string[][] = [];
    const result = await discoverRoles(options(gw, { pageSize: 4, onRoles: (r) => batches.push(r.map((x) => x.id)), includeServiceRoles: true }));
    assert.deepStrictEqual(batches, [
      ['direct', 'account', 'mfa', 'external'],
      ['service', 'other', 'denied-by-policy', 'broken'],
      ['no-policy'],
    ].map((names) => names.map((n) => `discovered:arn:aws:iam::${A}:role/${n}`)));
    assert.deepStrictEqual(gw.log.filter((l) => l.startsWith('ListRoles')), ['ListRoles(4)', 'ListRoles(4)', 'ListRoles(4)']);
    assert.equal(result.roles.length, 9);
    assert.equal(result.accountAlias, 'sandbox');
    assert.deepStrictEqual(result.skipped, []);
  });

  it('builds role definitions with the base, one hop and a verdict', async () => {
    const gw = new FakeGateway({ arn: USER, account: A, userId: 'AIDA1' }, [role('direct', trust({ AWS: USER }), '/team/')]);
    const result = await discoverRoles(options(gw, { base: { kind: 'profile', profile: 'dev' } }));
    const arn = `arn:aws:iam::${A}:role/team/direct`;
    assert.deepStrictEqual(result.roles, [{
      id: `discovered:${arn}`,
      origin: 'discovered',
      label: 'direct',
      roleArn: arn,
      accountId: A,
      partition: 'aws',
      roleName: 'direct',
      hops: [{ roleArn: arn }],
      base: { kind: 'profile', profile: 'dev' },
      verdict: { kind: 'assumable', reason: 'Statement 1 of the trust policy allows you: it names arn:aws:iam::111111111111:user/alice.' },
    }]);
    assert.equal(result.summaries.get(arn)?.roleName, 'direct');
  });

  it('combines trust policies with the simulated identity policy', async () => {
    const gw = new FakeGateway({ arn: USER, account: A, userId: 'AIDA1' }, seedRoles());
    gw.decide = (arn) => (arn.endsWith('/denied-by-policy') ? 'implicitDeny' : 'allowed');
    const result = await discoverRoles(options(gw));
    assert.deepStrictEqual(verdicts(result.roles), {
      direct: 'assumable',
      account: 'assumable',
      mfa: 'needsMfa',
      external: 'needsExternalId',
      service: 'notTrusted',
      other: 'notTrusted',
      'denied-by-policy': 'notTrusted',
      broken: 'undecidable',
      'no-policy': 'undecidable',
    });
    const ev = result.evaluations.get(`arn:aws:iam::${A}:role/service`);
    assert.equal(ev?.serviceRole, true);
    assert.equal(result.evaluations.get(`arn:aws:iam::${A}:role/account`)?.simulation, 'allowed');
    // only roles the trust policy lets in are simulated, as the caller itself
    assert.deepStrictEqual(gw.simulateCalls, [{ source: USER, arns: ['direct', 'account', 'mfa', 'external', 'denied-by-policy'].map((n) => `arn:aws:iam::${A}:role/${n}`) }]);
  });

  it('hides service roles from onRoles unless asked, but keeps them in the result', async () => {
    const gw = new FakeGateway({ arn: USER, account: A, userId: 'AIDA1' }, seedRoles());
    const seen: string[] = [];
    const result = await discoverRoles(options(gw, { onRoles: (r) => seen.push(...r.map((x) => x.roleName)) }));
    assert.equal(seen.includes('service'), false);
    assert.equal(seen.length, 8);
    assert.ok(result.roles.some((r) => r.roleName === 'service'));
  });

  it('batches SimulatePrincipalPolicy over resource ARNs', async () => {
    const many = Array.from({ length: 250 }, (_, i) => role(`r${i}`, trust({ AWS: A })));
    const gw = new FakeGateway({ arn: USER, account: A, userId: 'AIDA1' }, many);
    const result = await discoverRoles(options(gw, { pageSize: 1000 }));
    assert.deepStrictEqual(gw.simulateCalls.map((c) => c.arns.length), [100, 100, 50]);
    assert.ok(result.roles.every((r) => r.verdict?.kind === 'assumable'));
    const gw2 = new FakeGateway({ arn: USER, account: A, userId: 'AIDA1' }, many);
    await discoverRoles(options(gw2, { pageSize: 120, simulationBatchSize: 50 }));
    assert.deepStrictEqual(gw2.simulateCalls.map((c) => c.arns.length), [50, 50, 20, 50, 50, 20, 10]);
  });

  it('does not simulate when simulate is false: delegated roles depend on your IAM policy', async () => {
    const gw = new FakeGateway({ arn: USER, account: A, userId: 'AIDA1' }, seedRoles());
    const result = await discoverRoles(options(gw, { simulate: false }));
    assert.equal(gw.simulateCalls.length, 0);
    const account = result.roles.find((r) => r.roleName === 'account');
    assert.deepStrictEqual(account?.verdict, {
      kind: 'needsPermission',
      reason: 'Statement 1 trusts your account, so you also need an IAM policy that allows sts:AssumeRole on this role.',
      trustedVia: 'account',
    });
    assert.equal(result.roles.find((r) => r.roleName === 'direct')?.verdict?.kind, 'assumable');
  });

  describe('AccessDenied degrades, one skipped line each', () => {
    const run = async (denied: Op[]) => {
      const gw = new FakeGateway({ arn: USER, account: A, userId: 'AIDA1' }, seedRoles());
      gw.accounts = [{ id: A, name: 'Sandbox', status: 'ACTIVE' }, { id: B, name: 'Prod', status: 'ACTIVE' }];
      for (const d of denied) gw.denied.add(d);
      const result = await discoverRoles(options(gw, { pageSize: 3 }));
      return { gw, result };
    };

    it('iam:ListRoles', async () => {
      const { result } = await run(['ListRoles']);
      assert.deepStrictEqual(result.skipped, ['Skipped listing roles: you are not allowed iam:ListRoles']);
      assert.deepStrictEqual(result.roles.map((r) => r.id), [`org:arn:aws:iam::${B}:role/OrganizationAccountAccessRole`]);
      assert.equal(result.accountAlias, 'sandbox');
    });

    it('iam:ListAccountAliases', async () => {
      const { result } = await run(['ListAccountAliases']);
      assert.deepStrictEqual(result.skipped, ['Skipped the account alias: you are not allowed iam:ListAccountAliases']);
      assert.equal(result.accountAlias, undefined);
      assert.equal(result.roles.length, 10);
    });

    it('organizations:ListAccounts', async () => {
      const { result } = await run(['ListAccounts']);
      assert.deepStrictEqual(result.skipped, ['Skipped listing organization accounts: you are not allowed organizations:ListAccounts']);
      assert.deepStrictEqual(result.accounts, []);
      assert.ok(result.roles.every((r) => r.origin === 'discovered'));
    });

    it('iam:SimulatePrincipalPolicy: tried once, then "needs your IAM permission"', async () => {
      const { gw, result } = await run(['SimulatePrincipalPolicy']);
      assert.deepStrictEqual(result.skipped, ['Skipped checking your IAM policy: you are not allowed iam:SimulatePrincipalPolicy']);
      assert.equal(gw.simulateCalls.length, 1);
      assert.deepStrictEqual(verdicts(result.roles.filter((r) => r.origin === 'discovered')), {
        direct: 'assumable',
        account: 'needsPermission',
        mfa: 'needsPermission',
        external: 'needsPermission',
        service: 'notTrusted',
        other: 'notTrusted',
        'denied-by-policy': 'needsPermission',
        broken: 'undecidable',
        'no-policy': 'undecidable',
      });
      assert.match(result.roles.find((r) => r.roleName === 'account')!.verdict!.reason, /you also need an IAM policy that allows sts:AssumeRole/);
    });

    it('everything at once, in a fixed order', async () => {
      const { result } = await run(['ListRoles', 'ListAccountAliases', 'ListAccounts', 'SimulatePrincipalPolicy']);
      assert.deepStrictEqual(result.skipped, [
        'Skipped listing roles: you are not allowed iam:ListRoles',
        'Skipped the account alias: you are not allowed iam:ListAccountAliases',
        'Skipped listing organization accounts: you are not allowed organizations:ListAccounts',
      ]);
      assert.deepStrictEqual(result.roles, []);
    });

    it('an account outside any organization', async () => {
      const gw = new FakeGateway({ arn: USER, account: A, userId: 'AIDA1' }, []);
      gw.listAccounts = async function* () {
        yield* [];
        throw awsError('AWSOrganizationsNotInUseException', 'not in an organization');
      };
      const result = await discoverRoles(options(gw));
      assert.deepStrictEqual(result.skipped, ['Skipped listing organization accounts: your account is not in an organization']);
    });
  });

  it('fails on other ListRoles errors', async () => {
    const gw = new FakeGateway({ arn: USER, account: A, userId: 'AIDA1' }, seedRoles());
    gw.listRolesError = awsError('ExpiredToken', 'The security token included in the request is expired');
    await assert.rejects(discoverRoles(options(gw)), { name: 'ExpiredToken' });
  });

  it('stops when the call is aborted', async () => {
    const gw = new FakeGateway({ arn: USER, account: A, userId: 'AIDA1' }, seedRoles());
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(discoverRoles(options(gw, { call: { ...CALL, abortSignal: ac.signal } })), { name: 'AbortError' });
  });

  it('offers organization candidate roles, unverified, in active member accounts', async () => {
    const gw = new FakeGateway({ arn: USER, account: A, userId: 'AIDA1' }, [role('OrganizationAccountAccessRole', trust({ AWS: A }))]);
    gw.accounts = [
      { id: A, name: 'Sandbox', status: 'ACTIVE' },
      { id: B, name: 'Prod', status: 'ACTIVE' },
      { id: C, name: 'Old', status: 'SUSPENDED' },
    ];
    const batches: RoleDefinition[][] = [];
    const result = await discoverRoles(options(gw, { organizationRoleNames: ['OrganizationAccountAccessRole', 'ReadOnly'], onRoles: (r) => batches.push(r) }));
    const org = result.roles.filter((r) => r.origin === 'organization');
    assert.deepStrictEqual(org.map((r) => [r.id, r.label, r.accountName, r.verdict?.kind]), [
      [`org:arn:aws:iam::${B}:role/OrganizationAccountAccessRole`, 'OrganizationAccountAccessRole', 'Prod', 'unverified'],
      [`org:arn:aws:iam::${B}:role/ReadOnly`, 'ReadOnly', 'Prod', 'unverified'],
    ]);
    assert.match(org[0]!.verdict!.reason, /unverified until assumed/);
    assert.deepStrictEqual(org[0]!.hops, [{ roleArn: `arn:aws:iam::${B}:role/OrganizationAccountAccessRole` }]);
    assert.deepStrictEqual(result.accounts.map((a) => a.name), ['Sandbox', 'Prod', 'Old']);
    assert.deepStrictEqual(batches.at(-1), org);
  });

  it('learns the path of an assumed-role caller from ListRoles and corrects earlier pages', async () => {
    const session = `arn:aws:sts::${A}:assumed-role/Dev/alice`;
    const gw = new FakeGateway({ arn: session, account: A, userId: 'AROADEV:alice' }, [
      role('trusts-dev', trust({ AWS: `arn:aws:iam::${A}:role/team/Dev` })),
      role('trusts-dev-arn-like', trust({ AWS: A }, { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/team/*` } })),
      role('Dev', trust({ AWS: USER }), '/team/'),
    ]);
    const batches: Array<Record<string, string | undefined>> = [];
    const result = await discoverRoles(options(gw, { pageSize: 2, onRoles: (r) => batches.push(verdicts(r)) }));
    assert.deepStrictEqual(batches, [
      { 'trusts-dev': 'undecidable', 'trusts-dev-arn-like': 'undecidable' },
      { Dev: 'notTrusted' },
      { 'trusts-dev': 'assumable', 'trusts-dev-arn-like': 'assumable' },
    ]);
    assert.equal(result.caller.principalArn, `arn:aws:iam::${A}:role/team/Dev`);
    assert.deepStrictEqual(verdicts(result.roles), { 'trusts-dev': 'assumable', 'trusts-dev-arn-like': 'assumable', Dev: 'notTrusted' });
    assert.deepStrictEqual(gw.simulateCalls.map((c) => c.source), [`arn:aws:iam::${A}:role/team/Dev`]);
  });

  it('root callers see every role as not trusted', async () => {
    const gw = new FakeGateway({ arn: `arn:aws:iam::${A}:root`, account: A, userId: A }, seedRoles());
    const result = await discoverRoles(options(gw));
    assert.ok(result.roles.every((r) => r.verdict?.kind === 'notTrusted' || r.verdict?.kind === 'undecidable'));
    assert.equal(result.roles.find((r) => r.roleName === 'account')?.verdict?.reason, 'Roles may not be assumed by root accounts: sign in as an IAM user or role.');
    assert.equal(gw.simulateCalls.length, 0);
  });

  it('yields to the event loop between chunks of a page', async () => {
    let evaluated = 0;
    const many = Array.from({ length: 600 }, (_, i) => {
      const r = role(`r${i}`, undefined);
      const policy = trust({ AWS: USER });
      return Object.defineProperty({ ...r }, 'trustPolicy', { get: () => (evaluated++, policy), enumerable: true }) as IamRoleSummary;
    });
    const gw = new FakeGateway({ arn: USER, account: A, userId: 'AIDA1' }, many);
    let seenInBetween = -1;
    const p = discoverRoles(options(gw, { pageSize: 1000, chunkSize: 250, simulate: false }));
    setImmediate(() => (seenInBetween = evaluated));
    const result = await p;
    assert.equal(result.roles.length, 600);
    assert.ok(seenInBetween > 0 && seenInBetween < 600 * 2, `saw ${seenInBetween}`);
    assert.ok(seenInBetween < evaluated);
  });

  describe('DiscoveryCache', () => {
    it('returns results per caller until the TTL passes', () => {
      let t = 0;
      const cache = new DiscoveryCache(1000, () => t);
      const r = { caller: {} } as never;
      cache.set(USER, r);
      assert.equal(cache.get(USER), r);
      assert.equal(cache.get('arn:aws:iam::111111111111:user/bob'), undefined);
      t = 999;
      assert.equal(cache.get(USER), r);
      t = 1000;
      assert.equal(cache.get(USER), undefined);
      cache.set(USER, r);
      cache.clear();
      assert.equal(cache.get(USER), undefined);
    });

    it('discoverRoles uses it, honours forceRefresh, and re-lists after the TTL', async () => {
      let t = 0;
      const cache = new DiscoveryCache(60_000, () => t);
      const gw = new FakeGateway({ arn: USER, account: A, userId: 'AIDA1' }, seedRoles());
      const listings = () => gw.log.filter((l) => l.startsWith('ListRoles')).length;
      const first = await discoverRoles(options(gw, { cache }));
      assert.equal(listings(), 1);
      t = 30_000;
      const batches: number[] = [];
      const second = await discoverRoles(options(gw, { cache, onRoles: (r) => batches.push(r.length) }));
      assert.equal(second, first);
      assert.deepStrictEqual(batches, [8]);
      assert.equal(listings(), 1);
      await discoverRoles(options(gw, { cache, forceRefresh: true }));
      assert.equal(listings(), 2);
      t = 90_001;
      const third = await discoverRoles(options(gw, { cache }));
      assert.notEqual(third, first);
      assert.equal(listings(), 3);
      // another caller has its own entry
      gw.identity = { arn: `arn:aws:iam::${A}:user/bob`, account: A, userId: 'AIDA2' };
      await discoverRoles(options(gw, { cache }));
      assert.equal(listings(), 4);
    });
  });
});
