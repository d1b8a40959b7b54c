import * as assert from 'node:assert/strict';
import {
  callerContext,
  combineWithSimulation,
  evaluateTrust,
  parseTrustPolicy,
  type CallerContext,
  type TrustEvaluation,
} from '../../src/core/trust';

const A = '111111111111';
const B = '222222222222';
const ROLE = `arn:aws:iam::${A}:role/Target`;
const CROSS_ROLE = `arn:aws:iam::${B}:role/Target`;
const ALICE = `arn:aws:iam::${A}:user/alice`;
const DEV_ROLE = `arn:aws:iam::${A}:role/team/Dev`;

const paths = (acct: string, name: string): string | undefined => (acct === A && name === 'Dev' ? '/team/' : undefined);
const user = callerContext(ALICE);
const userWithTags: CallerContext = { ...user, tags: { Team: 'dev', Env: 'prod' } };
const session = callerContext(`arn:aws:sts::${A}:assumed-role/Dev/alice-session`, paths);
const sessionNoPath = callerContext(`arn:aws:sts::${A}:assumed-role/Dev/alice-session`);
const root = callerContext(`arn:aws:iam::${A}:root`);
const federated = callerContext(`arn:aws:sts::${A}:federated-user/bob`);

type Stmt = Record<string, unknown>;
const policy = (...statements: Stmt[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (principal: unknown, extra: Stmt = {}): Stmt => ({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra });
const deny = (principal: unknown, extra: Stmt = {}): Stmt => ({ Effect: 'Deny', Principal: principal, Action: 'sts:AssumeRole', ...extra });
const allowAlice = (cond?: Stmt): Stmt => allow({ AWS: ALICE }, cond ? { Condition: cond } : {});
const allowAccount = (cond?: Stmt): Stmt => allow({ AWS: A }, cond ? { Condition: cond } : {});

interface Case {
  name: string;
  policy: string;
  caller?: CallerContext;
  role?: string;
  /** verdict.kind before simulation */
  verdict: string;
  /** trustVerdict.kind, when it differs from verdict */
  trust?: string;
  serviceRole?: boolean;
  delegates?: boolean;
  reason?: RegExp;
}

const cases: Case[] = [
  // ---- principal forms
  { name: 'account id delegates to identity policy', policy: policy(allowAccount()), verdict: 'needsPermission', trust: 'assumable', delegates: true, reason: /you also need an IAM policy that allows sts:AssumeRole/ },
  { name: 'account root ARN delegates', policy: policy(allow({ AWS: `arn:aws:iam::${A}:root` })), verdict: 'needsPermission', trust: 'assumable', delegates: true },
  { name: 'user ARN names the caller: enough in the same account', policy: policy(allowAlice()), verdict: 'assumable', delegates: false, reason: /^Statement 1 / },
  { name: 'another user ARN', policy: policy(allow({ AWS: `arn:aws:iam::${A}:user/bob` })), verdict: 'notTrusted', reason: /No statement/ },
  { name: 'user ARN is case-sensitive', policy: policy(allow({ AWS: `arn:aws:iam::${A}:user/Alice` })), verdict: 'notTrusted' },
  { name: 'role ARN with path matches an assumed-role caller', policy: policy(allow({ AWS: DEV_ROLE })), caller: session, verdict: 'assumable' },
  { name: 'role ARN without the path does not match a caller with a path', policy: policy(allow({ AWS: `arn:aws:iam::${A}:role/Dev` })), caller: session, verdict: 'notTrusted' },
  { name: 'role ARN with the caller path not known yet is undecidable', policy: policy(allow({ AWS: DEV_ROLE })), caller: sessionNoPath, verdict: 'undecidable' },
  { name: 'assumed-role session ARN named directly', policy: policy(allow({ AWS: `arn:aws:sts::${A}:assumed-role/Dev/alice-session` })), caller: session, verdict: 'assumable' },
  { name: 'Principal "*" needs the identity policy too', policy: policy(allow('*')), verdict: 'needsPermission', trust: 'assumable', delegates: true },
  { name: 'Principal {"AWS":"*"}', policy: policy(allow({ AWS: '*' })), verdict: 'needsPermission', trust: 'assumable', delegates: true },
  { name: 'array of principals including the caller', policy: policy(allow({ AWS: [`arn:aws:iam::${A}:user/bob`, ALICE] })), verdict: 'assumable' },
  { name: 'array with account and caller prefers the caller', policy: policy(allow({ AWS: [A, ALICE] })), verdict: 'assumable', delegates: false },
  { name: 'Service principal: service role', policy: policy(allow({ Service: 'ec2.amazonaws.com' })), verdict: 'notTrusted', serviceRole: true, reason: /ec2\.amazonaws\.com/ },
  { name: 'Federated principal: service role', policy: policy(allow({ Federated: `arn:aws:iam::${A}:saml-provider/Okta` }, { Action: 'sts:AssumeRoleWithSAML' })), verdict: 'notTrusted', serviceRole: true },
  { name: 'Service and AWS in one statement is for people', policy: policy(allow({ Service: 'ec2.amazonaws.com', AWS: ALICE })), verdict: 'assumable', serviceRole: false },
  { name: 'single statement object instead of an array', policy: JSON.stringify({ Version: '2012-10-17', Statement: allowAlice() }), verdict: 'assumable' },

  // ---- Deny and NotPrincipal
  { name: 'explicit Deny wins over Allow', policy: policy(allowAccount(), deny({ AWS: ALICE })), verdict: 'notTrusted', reason: /^Statement 2 .*explicitly denies/ },
  { name: 'Deny names the statement by Sid', policy: policy(allowAlice(), deny({ AWS: ALICE }, { Sid: 'NoAlice' })), verdict: 'notTrusted', reason: /^Statement "NoAlice"/ },
  { name: 'Deny for someone else does not matter', policy: policy(allowAlice(), deny({ AWS: `arn:aws:iam::${A}:user/bob` })), verdict: 'assumable' },
  { name: 'NotPrincipal Deny excluding the caller and its account', policy: policy(allowAlice(), { Effect: 'Deny', NotPrincipal: { AWS: [ALICE, `arn:aws:iam::${A}:root`] }, Action: 'sts:AssumeRole' }), verdict: 'assumable' },
  { name: 'NotPrincipal Deny not listing the caller', policy: policy(allowAlice(), { Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${A}:user/bob` }, Action: 'sts:AssumeRole' }), verdict: 'notTrusted' },
  { name: 'NotPrincipal Deny listing only the user is undecidable', policy: policy(allowAlice(), { Effect: 'Deny', NotPrincipal: { AWS: ALICE }, Action: 'sts:AssumeRole' }), verdict: 'undecidable' },

  // ---- Action / NotAction
  { name: 'Action array', policy: policy(allowAlice({}), { Effect: 'Allow', Principal: { AWS: ALICE }, Action: ['sts:TagSession', 'sts:AssumeRole'] }), verdict: 'assumable' },
  { name: 'Action sts:*', policy: policy(allow({ AWS: ALICE }, { Action: 'sts:*' })), verdict: 'assumable' },
  { name: 'Action sts:Assume*', policy: policy(allow({ AWS: ALICE }, { Action: 'sts:Assume*' })), verdict: 'assumable' },
  { name: 'Action * and case-insensitive action names', policy: policy(allow({ AWS: ALICE }, { Action: ['*'] })), verdict: 'assumable' },
  { name: 'Action STS:assumerole (action names ignore case)', policy: policy(allow({ AWS: ALICE }, { Action: 'STS:assumerole' })), verdict: 'assumable' },
  { name: 'Action sts:AssumeRoleWithWebIdentity only', policy: policy(allow({ AWS: ALICE }, { Action: 'sts:AssumeRoleWithWebIdentity' })), verdict: 'notTrusted' },
  { name: 'NotAction that leaves sts:AssumeRole', policy: policy({ Effect: 'Allow', Principal: { AWS: ALICE }, NotAction: 'sts:TagSession' }), verdict: 'assumable' },
  { name: 'NotAction sts:* excludes it', policy: policy({ Effect: 'Allow', Principal: { AWS: ALICE }, NotAction: 'sts:*' }), verdict: 'notTrusted' },

  // ---- String / Arn operators on aws:PrincipalArn and aws:PrincipalAccount
  { name: 'StringEquals aws:PrincipalArn met', policy: policy(allowAccount({ StringEquals: { 'aws:PrincipalArn': ALICE } })), verdict: 'needsPermission', trust: 'assumable' },
  { name: 'StringEquals aws:PrincipalArn unmet', policy: policy(allowAccount({ StringEquals: { 'aws:PrincipalArn': `arn:aws:iam::${A}:user/bob` } })), verdict: 'notTrusted' },
  { name: 'StringEquals values are case-sensitive', policy: policy(allowAlice({ StringEquals: { 'aws:PrincipalArn': ALICE.toUpperCase() } })), verdict: 'notTrusted' },
  { name: 'condition key names are case-insensitive', policy: policy(allowAlice({ StringEquals: { 'AWS:PRINCIPALARN': ALICE } })), verdict: 'assumable' },
  { name: 'operators are case-sensitive: stringequals is undecidable', policy: policy(allowAlice({ stringequals: { 'aws:PrincipalArn': ALICE } })), verdict: 'undecidable' },
  { name: 'StringNotEquals another ARN is met', policy: policy(allowAlice({ StringNotEquals: { 'aws:PrincipalArn': [`arn:aws:iam::${A}:user/bob`, `arn:aws:iam::${A}:user/eve`] } })), verdict: 'assumable' },
  { name: 'StringNotEquals own ARN (NOR over values) is unmet', policy: policy(allowAlice({ StringNotEquals: { 'aws:PrincipalArn': [`arn:aws:iam::${A}:user/bob`, ALICE] } })), verdict: 'notTrusted' },
  { name: 'StringEqualsIgnoreCase', policy: policy(allowAlice({ StringEqualsIgnoreCase: { 'aws:PrincipalArn': ALICE.toUpperCase() } })), verdict: 'assumable' },
  { name: 'StringLike with * and ?', policy: policy(allowAlice({ StringLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:user/al?c*` } })), verdict: 'assumable' },
  { name: 'StringNotLike own ARN is unmet', policy: policy(allowAlice({ StringNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:user/*` } })), verdict: 'notTrusted' },
  { name: 'StringLike on a role path', policy: policy(allowAccount({ StringLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/team/*` } })), caller: session, verdict: 'needsPermission', trust: 'assumable' },
  { name: 'aws:PrincipalArn with the role path not known yet is undecidable', policy: policy(allowAccount({ StringLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/team/*` } })), caller: sessionNoPath, verdict: 'undecidable', trust: 'undecidable' },
  { name: 'ArnEquals', policy: policy(allowAlice({ ArnEquals: { 'aws:PrincipalArn': ALICE } })), verdict: 'assumable' },
  { name: 'ArnLike with wildcard account', policy: policy(allowAlice({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/alice' } })), verdict: 'assumable' },
  { name: 'ArnLike * does not span ARN parts', policy: policy(allowAlice({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:*:user/alice' } })), verdict: 'notTrusted' },
  { name: 'ArnNotEquals own ARN is unmet', policy: policy(allowAlice({ ArnNotEquals: { 'aws:PrincipalArn': ALICE } })), verdict: 'notTrusted' },
  { name: 'ArnNotLike another user is met', policy: policy(allowAlice({ ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:user/b*` } })), verdict: 'assumable' },
  { name: 'StringEquals aws:PrincipalAccount', policy: policy(allow('*', { Condition: { StringEquals: { 'aws:PrincipalAccount': A } } })), verdict: 'needsPermission', trust: 'assumable' },
  { name: 'StringEquals aws:PrincipalAccount of another account', policy: policy(allow('*', { Condition: { StringEquals: { 'aws:PrincipalAccount': B } } })), verdict: 'notTrusted' },

  // ---- tags, IfExists, set operators, Null
  { name: 'aws:PrincipalTag with tags not known is undecidable', policy: policy(allowAlice({ StringEquals: { 'aws:PrincipalTag/Team': 'dev' } })), verdict: 'undecidable' },
  { name: 'aws:PrincipalTag with known tags (tag key ignores case)', policy: policy(allowAlice({ StringEquals: { 'aws:PrincipalTag/team': 'dev' } })), caller: userWithTags, verdict: 'assumable' },
  { name: 'StringEqualsIfExists on an absent tag is met', policy: policy(allowAlice({ StringEqualsIfExists: { 'aws:PrincipalTag/Missing': 'x' } })), caller: userWithTags, verdict: 'assumable' },
  { name: 'StringEquals on an absent tag is unmet', policy: policy(allowAlice({ StringEquals: { 'aws:PrincipalTag/Missing': 'x' } })), caller: userWithTags, verdict: 'notTrusted' },
  { name: 'StringNotEquals on an absent key is met', policy: policy(allowAlice({ StringNotEquals: { 'aws:PrincipalTag/Missing': 'x' } })), caller: userWithTags, verdict: 'assumable' },
  { name: 'ForAnyValue:StringEquals', policy: policy(allowAlice({ 'ForAnyValue:StringEquals': { 'aws:PrincipalTag/Env': ['dev', 'prod'] } })), caller: userWithTags, verdict: 'assumable' },
  { name: 'ForAnyValue on an absent key is unmet', policy: policy(allowAlice({ 'ForAnyValue:StringEquals': { 'aws:PrincipalTag/Missing': ['x'] } })), caller: userWithTags, verdict: 'notTrusted' },
  { name: 'ForAllValues on an absent key is met', policy: policy(allowAlice({ 'ForAllValues:StringLike': { 'aws:PrincipalTag/Missing': ['x*'] } })), caller: userWithTags, verdict: 'assumable' },
  { name: 'ForAllValues:StringLike on a present key', policy: policy(allowAlice({ 'ForAllValues:StringLike': { 'aws:PrincipalArn': [`arn:aws:iam::${A}:user/*`] } })), verdict: 'assumable' },
  { name: 'Null true on an absent key', policy: policy(allowAlice({ Null: { 'aws:PrincipalTag/Missing': 'true' } })), caller: userWithTags, verdict: 'assumable' },
  { name: 'Null false on an absent key', policy: policy(allowAlice({ Null: { 'aws:PrincipalTag/Missing': 'false' } })), caller: userWithTags, verdict: 'notTrusted' },
  { name: 'Null false on sts:ExternalId needs an ExternalId', policy: policy(allowAlice({ Null: { 'sts:ExternalId': 'false' } })), verdict: 'needsExternalId' },

  // ---- MFA and ExternalId
  { name: 'Bool aws:MultiFactorAuthPresent true needs MFA', policy: policy(allowAlice({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } })), verdict: 'needsMfa', reason: /MFA/ },
  { name: 'Bool with a JSON boolean value', policy: policy(allowAlice({ Bool: { 'aws:MultiFactorAuthPresent': true } })), verdict: 'needsMfa' },
  { name: 'Deny BoolIfExists MFA false needs MFA', policy: policy(allowAlice(), deny({ AWS: '*' }, { Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } })), verdict: 'needsMfa', reason: /^Statement 2 denies you unless/ },
  { name: 'Deny Bool MFA false does not catch long-term keys (key absent)', policy: policy(allowAlice(), deny({ AWS: '*' }, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } })), verdict: 'assumable' },
  { name: 'Deny Bool MFA false catches a session without MFA', policy: policy(allow({ AWS: DEV_ROLE }), deny({ AWS: '*' }, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } })), caller: session, verdict: 'needsMfa' },
  { name: 'NumericLessThan aws:MultiFactorAuthAge', policy: policy(allowAlice({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } })), verdict: 'needsMfa' },
  { name: 'sts:ExternalId StringEquals', policy: policy(allowAccount({ StringEquals: { 'sts:ExternalId': 'demo-external-id' } })), verdict: 'needsPermission', trust: 'needsExternalId' },
  { name: 'sts:ExternalId with the caller named', policy: policy(allowAlice({ StringEquals: { 'sts:ExternalId': 'x1' } })), verdict: 'needsExternalId', reason: /ExternalId/ },
  { name: 'MFA and ExternalId together', policy: policy(allowAlice({ Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'sts:ExternalId': 'x1' } })), verdict: 'needsMfa', reason: /MFA and an ExternalId/ },
  { name: 'MFA in one statement, plain in another: plain wins', policy: policy(allowAlice({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }), allowAlice()), verdict: 'assumable' },

  // ---- undecidable: never a false yes
  { name: 'aws:PrincipalOrgID is undecidable', policy: policy(allow('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } })), verdict: 'undecidable', trust: 'undecidable' },
  { name: 'unknown key is undecidable', policy: policy(allowAlice({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })), verdict: 'undecidable' },
  { name: 'unknown operator on a known key is undecidable', policy: policy(allowAlice({ StringMatches: { 'aws:PrincipalArn': ALICE } })), verdict: 'undecidable' },
  { name: 'policy variable is undecidable', policy: policy(allowAlice({ StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/${aws:username}' } })), verdict: 'undecidable' },
  { name: 'Deny with an undecidable condition makes it undecidable', policy: policy(allowAlice(), deny({ AWS: '*' }, { Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } } })), verdict: 'undecidable' },
  { name: 'undecidable Allow next to a failing one is undecidable', policy: policy(allow({ AWS: `arn:aws:iam::${A}:user/bob` }), allowAlice({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } })), verdict: 'undecidable' },
  { name: 'undecidable Allow when another allows plainly: still assumable', policy: policy(allowAlice(), allowAlice({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } })), verdict: 'assumable' },
  { name: 'malformed JSON is undecidable', policy: '{"Statement": [', verdict: 'undecidable', reason: /not valid JSON/ },
  { name: 'no Statement is undecidable', policy: '{"Version":"2012-10-17"}', verdict: 'undecidable' },
  { name: 'bad Effect is undecidable', policy: policy({ Effect: 'Maybe', Principal: { AWS: ALICE }, Action: 'sts:AssumeRole' }), verdict: 'undecidable' },

  // ---- callers and accounts
  { name: 'root caller never assumes', policy: policy(allowAccount()), caller: root, verdict: 'notTrusted', trust: 'assumable', reason: /root accounts/ },
  { name: 'federated-user caller cannot call AssumeRole', policy: policy(allowAccount()), caller: federated, verdict: 'notTrusted', trust: 'assumable', reason: /federated-user/ },
  { name: 'federated-user ARN is matched as itself', policy: policy(allow({ AWS: `arn:aws:sts::${A}:federated-user/bob` })), caller: federated, verdict: 'notTrusted', trust: 'assumable' },
  { name: 'cross-account: trust naming the caller still needs the identity policy', policy: policy(allowAlice()), role: CROSS_ROLE, verdict: 'needsPermission', trust: 'assumable', delegates: false, reason: /another account/ },
  { name: 'cross-account: trust naming the caller account', policy: policy(allowAccount()), role: CROSS_ROLE, verdict: 'needsPermission', trust: 'assumable', delegates: true },
  { name: 'cross-account: trust naming its own account only', policy: policy(allow({ AWS: B })), role: CROSS_ROLE, verdict: 'notTrusted' },
];

function summary(ev: TrustEvaluation, c: Case): Record<string, unknown> {
  const out: Record<string, unknown> = { verdict: ev.verdict.kind, trust: ev.trustVerdict.kind };
  if (c.serviceRole !== undefined) out.serviceRole = ev.serviceRole;
  if (c.delegates !== undefined) out.delegates = ev.delegatesToIdentityPolicy;
  return out;
}

describe('trust: evaluateTrust', () => {
  for (const c of cases) {
    it(c.name, () => {
      const ev = evaluateTrust(c.policy, c.role ?? ROLE, c.caller ?? user);
      const want: Record<string, unknown> = { verdict: c.verdict, trust: c.trust ?? c.verdict };
      if (c.serviceRole !== undefined) want.serviceRole = c.serviceRole;
      if (c.delegates !== undefined) want.delegates = c.delegates;
      assert.deepStrictEqual(summary(ev, c), want, ev.verdict.reason);
      if (c.reason) assert.match(ev.verdict.reason, c.reason);
      // every verdict is one sentence
      assert.match(ev.verdict.reason, /^[A-Z].*\.$/);
    });
  }

  const dependsOn: Array<[string, string, CallerContext, string | undefined]> = [
    ['condition key the evaluator cannot see', policy(allowAlice({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })), user, 'aws:SourceIp'],
    ['organization', policy(allow('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } })), user, 'aws:PrincipalOrgID'],
    ['principal tags not known', policy(allowAlice({ StringEquals: { 'aws:PrincipalTag/Team': 'dev' } })), user, 'aws:PrincipalTag/Team'],
    ['a Deny on an undecidable key', policy(allowAlice(), deny({ AWS: '*' }, { Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } } })), user, 'aws:PrincipalOrgID'],
    ['the role path of a session', policy(allow({ AWS: DEV_ROLE })), sessionNoPath, "your role's path"],
    ['a policy variable', policy(allowAlice({ StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/${aws:username}' } })), user, 'aws:PrincipalArn'],
    ['NotPrincipal', policy(allowAlice(), { Effect: 'Deny', NotPrincipal: { AWS: ALICE }, Action: 'sts:AssumeRole' }), user, 'its NotPrincipal'],
    ['an invalid statement names nothing', policy({ Effect: 'Maybe', Principal: { AWS: ALICE }, Action: 'sts:AssumeRole' }), user, undefined],
  ];
  for (const [name, p, caller, want] of dependsOn) {
    it(`undecidable says what it depends on: ${name}`, () => {
      const v = evaluateTrust(p, ROLE, caller).verdict;
      assert.deepStrictEqual([v.kind, v.dependsOn], ['undecidable', want], v.reason);
      if (want) assert.ok(v.reason.includes(`it depends on ${want}`), v.reason);
    });
  }

  it('has at least 40 table cases', () => {
    assert.ok(cases.length >= 40);
  });

  it('reports each statement and condition', () => {
    const ev = evaluateTrust(
      policy(
        { Sid: 'People', ...allowAccount({ StringEquals: { 'sts:ExternalId': 'x1' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } }) },
        deny({ AWS: `arn:aws:iam::${A}:user/bob` }),
        allow({ Service: 'ec2.amazonaws.com' }),
      ),
      ROLE,
      user,
    );
    assert.deepStrictEqual(
      ev.statements.map((s) => ({ index: s.index, sid: s.sid, effect: s.effect, principal: s.principalMatch, outcome: s.outcome, conditions: s.conditions.map((c) => [c.operator, c.key, c.outcome]) })),
      [
        { index: 1, sid: 'People', effect: 'Allow', principal: true, outcome: 'needsMfa', conditions: [['StringEquals', 'sts:ExternalId', 'needsExternalId'], ['Bool', 'aws:MultiFactorAuthPresent', 'needsMfa']] },
        { index: 2, sid: undefined, effect: 'Deny', principal: false, outcome: 'noMatch', conditions: [] },
        { index: 3, sid: undefined, effect: 'Allow', principal: false, outcome: 'service', conditions: [] },
      ],
    );
    assert.deepStrictEqual([ev.requiresMfa, ev.requiresExternalId, ev.serviceRole], [true, true, false]);
  });

  it('accepts a parsed policy and evaluates it for many callers', () => {
    const parsed = parseTrustPolicy(policy(allow({ AWS: [ALICE, DEV_ROLE] })));
    assert.deepStrictEqual(
      [user, session, root].map((c) => evaluateTrust(parsed, ROLE, c).verdict.kind),
      ['assumable', 'assumable', 'notTrusted'],
    );
  });

  it('parseTrustPolicy throws on malformed JSON', () => {
    assert.throws(() => parseTrustPolicy('not json'));
    assert.throws(() => parseTrustPolicy('[]'));
  });
});

describe('trust: callerContext', () => {
  it('IAM user with a path', () => {
    const c = callerContext('arn:aws:iam::111111111111:user/ops/alice');
    assert.deepStrictEqual([c.kind, c.principalArn, c.accountId, c.partition, c.name], ['user', 'arn:aws:iam::111111111111:user/ops/alice', A, 'aws', 'alice']);
  });
  it('assumed role gets its role ARN with the path from the lookup', () => {
    assert.deepStrictEqual([session.kind, session.principalArn, session.pathKnown], ['assumedRole', DEV_ROLE, true]);
    assert.deepStrictEqual([sessionNoPath.principalArn, sessionNoPath.pathKnown], [`arn:aws:iam::${A}:role/Dev`, false]);
  });
  it('other partitions, federated users and root', () => {
    const cn = callerContext('arn:aws-cn:sts::111111111111:assumed-role/R/s', () => '/');
    assert.deepStrictEqual([cn.partition, cn.principalArn], ['aws-cn', 'arn:aws-cn:iam::111111111111:role/R']);
    assert.deepStrictEqual([federated.kind, federated.principalArn], ['federatedUser', `arn:aws:sts::${A}:federated-user/bob`]);
    assert.deepStrictEqual([root.kind, root.principalArn], ['root', `arn:aws:iam::${A}:root`]);
  });
  it('rejects what is not a caller ARN', () => {
    assert.throws(() => callerContext('arn:aws:s3:::bucket'));
    assert.throws(() => callerContext('nonsense'));
  });
});

describe('trust: combineWithSimulation', () => {
  const ev = (p: string, role = ROLE, caller = user): TrustEvaluation => evaluateTrust(p, role, caller);
  const rows: Array<[string, TrustEvaluation, 'allowed' | 'explicitDeny' | 'implicitDeny' | undefined, boolean, string]> = [
    ['account + allowed', ev(policy(allowAccount())), 'allowed', true, 'assumable'],
    ['account + implicit deny', ev(policy(allowAccount())), 'implicitDeny', true, 'notTrusted'],
    ['account + not simulated', ev(policy(allowAccount())), undefined, true, 'needsPermission'],
    ['caller named, same account + implicit deny', ev(policy(allowAlice())), 'implicitDeny', true, 'assumable'],
    ['caller named + explicit deny', ev(policy(allowAlice())), 'explicitDeny', true, 'notTrusted'],
    ['cross-account named + not simulated', ev(policy(allowAlice()), CROSS_ROLE), undefined, false, 'needsPermission'],
    ['cross-account named + allowed', ev(policy(allowAlice()), CROSS_ROLE), 'allowed', false, 'assumable'],
    ['cross-account named + implicit deny', ev(policy(allowAlice()), CROSS_ROLE), 'implicitDeny', false, 'notTrusted'],
    ['needs MFA + allowed', ev(policy(allowAccount({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }))), 'allowed', true, 'needsMfa'],
    ['needs ExternalId + allowed', ev(policy(allowAccount({ StringEquals: { 'sts:ExternalId': 'x1' } }))), 'allowed', true, 'needsExternalId'],
    ['"*" + implicit deny in the same account is undecidable', ev(policy(allow('*'))), 'implicitDeny', true, 'undecidable'],
    ['not trusted stays not trusted', ev(policy(allow({ AWS: B }))), 'allowed', true, 'notTrusted'],
    ['undecidable trust + allowed stays undecidable', ev(policy(allow('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }))), 'allowed', true, 'undecidable'],
    ['undecidable trust + explicit deny is not trusted', ev(policy(allow('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }))), 'explicitDeny', true, 'notTrusted'],
    ['root stays not trusted', ev(policy(allowAccount()), ROLE, root), 'allowed', true, 'notTrusted'],
  ];
  for (const [name, e, sim, same, want] of rows) {
    it(name, () => {
      const v = combineWithSimulation(e, sim, same);
      assert.equal(v.kind, want, v.reason);
      assert.match(v.reason, /^[A-Z].*\.$/);
    });
  }
  it('names the granting statement', () => {
    const v = combineWithSimulation(ev(policy({ Sid: 'Team', ...allowAccount() })), 'allowed', true);
    assert.deepStrictEqual(v, { kind: 'assumable', reason: 'Policy simulation: your IAM policy allows sts:AssumeRole on this role, and statement "Team" trusts your account.' });
  });
  it('a simulation replaces "needs your IAM permission" with allowed or denied, and says so', () => {
    const e = ev(policy({ Sid: 'Team', ...allowAccount() }));
    assert.deepStrictEqual(e.verdict, {
      kind: 'needsPermission',
      reason: 'Statement "Team" trusts your account, so you also need an IAM policy that allows sts:AssumeRole on this role.',
      trustedVia: 'account',
    });
    const denied = combineWithSimulation(e, 'implicitDeny', true);
    assert.equal(denied.kind, 'notTrusted');
    assert.match(denied.reason, /^Policy simulation: your IAM policy does not allow sts:AssumeRole/);
    const mfa = combineWithSimulation(ev(policy(allowAccount({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }))), 'allowed', true);
    assert.deepStrictEqual([mfa.kind, /^Policy simulation: .* only with MFA\.$/.test(mfa.reason)], ['needsMfa', true]);
  });
  it('an undecided Allow naming you by ARN next to an account grant: a denying simulation leaves it open', () => {
    // Found by the differential test (test/fuzz/trust.ts, seed 0x7a57d1ff case 585): the ARN statement needs no
    // identity policy in your own account, so "your IAM policy does not allow it" does not make it "not trusted".
    const e = ev(policy(allowAlice({ StringLike: { 'sts:SourceIdentity': 'a*' } }), allowAccount()));
    assert.deepStrictEqual([e.verdict.kind, e.verdict.dependsOn], ['needsPermission', 'sts:SourceIdentity']);
    assert.match(e.verdict.reason, /, unless statement 1 lets you in on its own \(it depends on sts:SourceIdentity\)\.$/);
    const denied = combineWithSimulation(e, 'implicitDeny', true);
    assert.deepStrictEqual([denied.kind, denied.dependsOn], ['undecidable', 'sts:SourceIdentity']);
    assert.equal(combineWithSimulation(e, 'allowed', true).kind, 'assumable');
    // across accounts the identity policy is needed whatever statement 1 says
    assert.equal(combineWithSimulation(ev(policy(allowAlice({ StringLike: { 'sts:SourceIdentity': 'a*' } }), allowAccount()), CROSS_ROLE), 'implicitDeny', false).kind, 'notTrusted');
  });
  it('"*" in your own account: you may need your IAM permission, and the reason says AWS does not document it', () => {
    const e = ev(policy(allow('*')));
    assert.equal(e.verdict.kind, 'needsPermission');
    assert.match(e.verdict.reason, /you may also need an IAM policy .*AWS does not document whether "\*" is enough/);
  });
  it('needs your IAM permission carries MFA and ExternalId when the trust policy also asks for them', () => {
    const e = ev(policy(allowAccount({ Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'sts:ExternalId': 'x' } })), CROSS_ROLE);
    assert.deepStrictEqual([e.verdict.kind, e.verdict.trustedVia, e.verdict.alsoNeeds], ['needsPermission', 'account', ['MFA', 'ExternalId']]);
  });
});
