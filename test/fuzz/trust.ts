// A second, independent judge for src/core/trust.ts: a differential test against a maintained public IAM
// policy simulator, @cloud-copilot/iam-simulate (dev dependency only; AGPL-3.0, so it never enters a bundle
// or the .vsix: test/unit/lazy.test.ts and test/e2e/packaging.e2e.ts check that).
//
// Each case is a generated trust policy and caller. Our verdict is turned into claims about the simulator's
// allow/deny under matching request contexts (sts:AssumeRole on the role ARN, the trust policy as the resource
// policy, with or without an identity policy that allows sts:AssumeRole on the role):
// - assumable:        allowed with the identity policy (and without it, when the trust policy names you
//                     by ARN in your own account);
// - needsMfa:         not allowed in the plain context, allowed once MFA is in the context;
// - needsExternalId:  likewise with sts:ExternalId;
// - needsPermission:  allowed with the identity policy, not allowed without it (in the context it needs);
// - notTrusted:       never allowed, in any of the four contexts, even with the identity policy;
// - undecidable:      when it depends on a condition key, the simulator's answer changes with that key's value.
// Case i of seed S is generated from (S, i) alone: `npx tsx test/fuzz/trust.ts --seed S --only i`.
// Known, documented differences (docs/trust-evaluation.md) are counted apart, never silently passed.

import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { callerContext, evaluateTrust, type CallerContext, type TrustEvaluation } from '../../src/core/trust';
import type { Verdict } from '../../src/core/types';
import { verdictPresentation } from '../../src/core/verdictText';
import { prng } from '../helpers/prng';

export const TRUST_SEED = 0x7a57_d1ff;

const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const EXT = 'ext-1234';

class Rand {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

function mix(seed: number, i: number): number {
  let h = (seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

// ---------------------------------------------------------------- generation

interface GenCaller {
  /** What GetCallerIdentity would return. */
  readonly arn: string;
  /** The ARN trust policies match (the role ARN, with its path, for a session). */
  readonly principalArn: string;
  readonly accountId: string;
  readonly type: 'User' | 'AssumedRole';
  /** Tags, when the evaluator is told them; absent: the evaluator doesn't know them. */
  readonly tags?: Readonly<Record<string, string>>;
  /** The principal's real tags, as AWS would put them in the request. */
  readonly realTags: Readonly<Record<string, string>>;
  readonly sourceIdentity?: string;
}

export interface TrustCase {
  readonly index: number;
  readonly roleArn: string;
  readonly policy: { Version: string; Statement: Record<string, unknown>[] };
  readonly caller: GenCaller;
}

function genCaller(r: Rand): GenCaller {
  const accountId = r.chance(0.7) ? A : B;
  const realTags: Record<string, string> = r.chance(0.6) ? { team: r.pick(['dev', 'ops']), env: r.pick(['prod', 'test']) } : {};
  const tagsKnown = r.chance(0.7);
  const sourceIdentity = r.chance(0.3) ? r.pick(['alice', 'bob']) : undefined;
  if (r.chance(0.5)) {
    const path = r.pick(['/', '/ops/']);
    const arn = `arn:aws:iam::${accountId}:user${path}${r.pick(['alice', 'bob'])}`;
    return { arn, principalArn: arn, accountId, type: 'User', realTags, ...(tagsKnown ? { tags: realTags } : {}), ...(sourceIdentity ? { sourceIdentity } : {}) };
  }
  const path = r.pick(['/', '/team/']);
  const name = r.pick(['Dev', 'Deploy']);
  return {
    arn: `arn:aws:sts::${accountId}:assumed-role/${name}/session-1`,
    principalArn: `arn:aws:iam::${accountId}:role${path}${name}`,
    accountId,
    type: 'AssumedRole',
    realTags,
    ...(tagsKnown ? { tags: realTags } : {}),
    ...(sourceIdentity ? { sourceIdentity } : {}),
  };
}

function principalValue(r: Rand, c: GenCaller): unknown {
  const other = `arn:aws:iam::${c.accountId}:user/${c.principalArn.endsWith('/alice') ? 'bob' : 'alice'}`;
  const forms: Array<() => unknown> = [
    () => '*',
    () => ({ AWS: '*' }),
    () => ({ AWS: c.accountId }),
    () => ({ AWS: `arn:aws:iam::${c.accountId}:root` }),
    () => ({ AWS: r.pick([B, C, A]) }),
    () => ({ AWS: c.principalArn }),
    () => ({ AWS: c.arn }),
    () => ({ AWS: other }),
    () => ({ AWS: [other, c.principalArn] }),
    () => ({ AWS: [`arn:aws:iam::${C}:root`, other] }),
    () => ({ Service: 'ec2.amazonaws.com' }),
    () => ({ Service: 'lambda.amazonaws.com', AWS: c.principalArn }),
  ];
  return r.pick(forms)();
}

function condition(r: Rand, c: GenCaller): Record<string, Record<string, unknown>> {
  const tag = r.pick(['team', 'env', 'missing']);
  const forms: Array<() => [string, string, unknown]> = [
    () => ['Bool', 'aws:MultiFactorAuthPresent', r.pick(['true', true])],
    () => ['BoolIfExists', 'aws:MultiFactorAuthPresent', 'true'],
    () => ['NumericLessThan', 'aws:MultiFactorAuthAge', '3600'],
    () => ['Null', 'aws:MultiFactorAuthPresent', 'false'],
    () => ['StringEquals', 'sts:ExternalId', EXT],
    () => ['StringLike', 'sts:ExternalId', 'ext-*'],
    () => ['Null', 'sts:ExternalId', 'false'],
    () => ['StringEquals', 'aws:PrincipalArn', r.chance(0.6) ? c.principalArn : `arn:aws:iam::${c.accountId}:user/someone`],
    () => ['StringNotEquals', 'aws:PrincipalArn', r.chance(0.5) ? c.principalArn : `arn:aws:iam::${c.accountId}:user/someone`],
    () => ['StringLike', 'aws:PrincipalArn', r.pick([`arn:aws:iam::${c.accountId}:role/team/*`, `arn:aws:iam::*:user/*`, `arn:aws:iam::${c.accountId}:*`, 'arn:aws:iam::*:role/D?v'])],
    () => ['ArnLike', 'aws:PrincipalArn', r.pick([`arn:aws:iam::${c.accountId}:role/*`, 'arn:aws:iam::*:user/*', 'arn:aws:*:user/alice'])],
    () => ['ArnEquals', 'aws:PrincipalArn', c.principalArn],
    () => ['ArnNotLike', 'aws:PrincipalArn', r.pick([`arn:aws:iam::${c.accountId}:user/*`, 'arn:aws:iam::*:role/*'])],
    () => ['StringEquals', 'aws:PrincipalAccount', r.pick([c.accountId, C])],
    () => ['StringEquals', 'aws:PrincipalType', r.pick(['User', 'AssumedRole'])],
    () => ['StringEquals', `aws:PrincipalTag/${tag}`, r.pick(['dev', 'ops', 'prod'])],
    () => ['StringEqualsIfExists', `aws:PrincipalTag/${tag}`, r.pick(['dev', 'prod'])],
    () => ['StringNotEquals', `aws:PrincipalTag/${tag}`, r.pick(['dev', 'test'])],
    () => ['ForAnyValue:StringEquals', `aws:PrincipalTag/${tag}`, ['dev', 'prod']],
    () => ['Null', `aws:PrincipalTag/${tag}`, r.pick(['true', 'false'])],
    () => ['StringEquals', 'sts:SourceIdentity', r.pick(['alice', 'bob'])],
    () => ['StringLike', 'sts:SourceIdentity', 'a*'],
    () => ['IpAddress', 'aws:SourceIp', '10.0.0.0/8'],
  ];
  const out: Record<string, Record<string, unknown>> = {};
  const n = 1 + r.int(2);
  for (let i = 0; i < n; i++) {
    const [op, key, value] = r.pick(forms)();
    (out[op] ??= {})[key] = value;
  }
  return out;
}

function statement(r: Rand, c: GenCaller): Record<string, unknown> {
  const deny = r.chance(0.22);
  const s: Record<string, unknown> = { Effect: deny ? 'Deny' : 'Allow' };
  if (r.chance(0.3)) s.Sid = r.pick(['Team', 'Partner', 'Guard']);
  if (deny && r.chance(0.3)) {
    // NotPrincipal with Deny (AWS: not allowed in trust policies today; evaluated here all the same).
    const all = [c.principalArn, ...(c.arn !== c.principalArn ? [c.arn] : []), `arn:aws:iam::${c.accountId}:root`];
    s.NotPrincipal = { AWS: r.chance(0.5) ? all : r.pick([[`arn:aws:iam::${C}:root`], [c.principalArn], [c.principalArn, `arn:aws:iam::${c.accountId}:root`]]) };
  } else {
    s.Principal = principalValue(r, c);
  }
  const action = r.pick<unknown>(['sts:AssumeRole', 'sts:AssumeRole', 'sts:*', '*', 'sts:Assume*', ['sts:TagSession', 'sts:AssumeRole'], 'sts:AssumeRoleWithSAML', 'sts:TagSession']);
  if (r.chance(0.08)) s.NotAction = r.pick(['sts:TagSession', 'sts:*']);
  else s.Action = action;
  if (r.chance(deny ? 0.8 : 0.55)) s.Condition = condition(r, c);
  return s;
}

export function generateTrustCase(seed: number, index: number): TrustCase {
  const r = new Rand(prng(mix(seed, index)));
  const caller = genCaller(r);
  const roleArn = r.chance(0.7) ? `arn:aws:iam::${A}:role/Target` : `arn:aws:iam::${C}:role/Target`;
  const n = 1 + r.int(3);
  const Statement: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) Statement.push(statement(r, caller));
  return { index, roleArn, policy: { Version: '2012-10-17', Statement }, caller };
}

// ---------------------------------------------------------------- the simulator

type SimResult = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

interface Ctx {
  readonly mfa: boolean;
  readonly externalId: boolean;
  /** Overrides of context keys (undefined: leave the key out). */
  readonly overrides?: Readonly<Record<string, string | undefined>>;
}

function contextFor(c: GenCaller, ctx: Ctx): Record<string, string | string[]> {
  const vars: Record<string, string | string[]> = {
    'aws:PrincipalArn': c.principalArn,
    'aws:PrincipalAccount': c.accountId,
    'aws:PrincipalType': c.type,
  };
  // AssumeRole with SerialNumber/TokenCode: MFA present and fresh. Without: long-term user keys carry no
  // MFA key at all, temporary credentials carry "false" (the same rule as src/core/trust.ts, from AWS docs).
  if (ctx.mfa) {
    vars['aws:MultiFactorAuthPresent'] = 'true';
    vars['aws:MultiFactorAuthAge'] = '0';
  } else if (c.type === 'AssumedRole') {
    vars['aws:MultiFactorAuthPresent'] = 'false';
  }
  if (ctx.externalId) vars['sts:ExternalId'] = EXT;
  for (const [k, v] of Object.entries(c.realTags)) vars[`aws:PrincipalTag/${k}`] = v;
  if (c.sourceIdentity) vars['sts:SourceIdentity'] = c.sourceIdentity;
  for (const [k, v] of Object.entries(ctx.overrides ?? {})) {
    if (v === undefined) delete vars[k];
    else vars[k] = v;
  }
  return vars;
}

async function simulate(tc: TrustCase, ctx: Ctx, identityAllows: boolean): Promise<SimResult> {
  const accountId = tc.roleArn.split(':')[4]!;
  const sim: Simulation = {
    request: {
      principal: tc.caller.arn,
      action: 'sts:AssumeRole',
      resource: { resource: tc.roleArn, accountId },
      contextVariables: contextFor(tc.caller, ctx),
    },
    identityPolicies: identityAllows
      ? [{ name: 'AllowAssume', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: tc.roleArn }] } }]
      : [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: tc.policy,
  };
  const res = await runSimulation(sim, {});
  if (res.resultType === 'error') throw new Error(`simulator rejected case ${tc.index}: ${JSON.stringify(res.errors)}`);
  return res.overallResult as SimResult;
}

// ---------------------------------------------------------------- comparison

export type Outcome =
  | { readonly kind: 'agree' }
  | { readonly kind: 'known'; readonly which: KnownDifference; readonly detail: string }
  | { readonly kind: 'skipped'; readonly why: string }
  | { readonly kind: 'disagree'; readonly detail: string };

/** Differences written down in docs/trust-evaluation.md, with the AWS documentation that decides them. */
export type KnownDifference =
  /** Principal "*" (or an Allow that is NotPrincipal-shaped) in the role's own account: the simulator lets
   *  the caller in without an identity policy; AWS documents no such rule for role trust policies. */
  | 'starSameAccount'
  /** "Can't tell", yet the simulator's answer is the same whatever the hidden key: two conditions on that
   *  key (in one statement, or in an Allow and a Deny) are tied, which the evaluator, one condition at a
   *  time, doesn't see. Never a false yes or no: only a "can't tell" that could have been a "no". */
  | 'correlatedHiddenConditions';

const PLAIN: Ctx = { mfa: false, externalId: false };
const MFA: Ctx = { mfa: true, externalId: false };
const EXTID: Ctx = { mfa: false, externalId: true };
const BOTH: Ctx = { mfa: true, externalId: true };
const ALL = [PLAIN, MFA, EXTID, BOTH];

/** Keys whose value the evaluator can't see (for this caller), with candidate values to try. */
function hiddenKeys(tc: TrustCase, caller: CallerContext): Map<string, (string | undefined)[]> {
  const keys = new Map<string, (string | undefined)[]>();
  const text = JSON.stringify(tc.policy);
  if (text.includes('aws:SourceIp')) keys.set('aws:SourceIp', ['10.1.2.3', '192.0.2.1']);
  if (text.includes('sts:SourceIdentity')) keys.set('sts:SourceIdentity', ['alice', 'bob', undefined]);
  if (!caller.tags) {
    for (const t of ['team', 'env', 'missing']) {
      if (text.includes(`aws:PrincipalTag/${t}`)) keys.set(`aws:PrincipalTag/${t}`, ['dev', 'ops', 'prod', 'test', undefined]);
    }
  }
  return keys;
}

function* assignments(keys: Map<string, (string | undefined)[]>): Generator<Record<string, string | undefined>> {
  const entries = [...keys.entries()];
  const idx = entries.map(() => 0);
  for (;;) {
    yield Object.fromEntries(entries.map(([k, vs], i) => [k, vs[idx[i]!]]));
    let i = 0;
    while (i < entries.length) {
      idx[i]!++;
      if (idx[i]! < entries[i]![1].length) break;
      idx[i] = 0;
      i++;
    }
    if (i === entries.length) return;
  }
}

/** The context a verdict says is enough: plain for "assumable", with MFA / ExternalId as the verdict says. */
function needed(v: Verdict, ev: TrustEvaluation): Ctx {
  if (v.kind === 'assumable') return PLAIN;
  const mfa = v.kind === 'needsMfa' || ev.requiresMfa || (v.alsoNeeds ?? []).includes('MFA');
  const ext = v.kind === 'needsExternalId' || ev.requiresExternalId || (v.alsoNeeds ?? []).includes('ExternalId');
  return mfa && ext ? BOTH : mfa ? MFA : ext ? EXTID : PLAIN;
}

/** The evaluator under test; replaceable so a test can show that a wrong one is caught. */
export type Evaluate = (policy: string, roleArn: string, caller: CallerContext) => TrustEvaluation;

export async function compareCase(tc: TrustCase, evaluate: Evaluate = evaluateTrust): Promise<{ outcome: Outcome; verdict: Verdict }> {
  const caller: CallerContext = {
    ...callerContext(tc.caller.arn, () => tc.caller.principalArn.slice(tc.caller.principalArn.indexOf(':role') + ':role'.length, tc.caller.principalArn.lastIndexOf('/') + 1)),
    ...(tc.caller.tags ? { tags: tc.caller.tags } : {}),
  };
  const ev = evaluate(JSON.stringify(tc.policy), tc.roleArn, caller);
  const v = ev.verdict;
  const texts = verdictPresentation(v);
  if (/unknown/i.test(`${texts.label} ${texts.tooltip} ${texts.headline}`)) {
    return { outcome: { kind: 'disagree', detail: `verdict text says "unknown": ${texts.tooltip}` }, verdict: v };
  }
  const allowed = async (ctx: Ctx, id: boolean) => (await simulate(tc, ctx, id)) === 'Allowed';
  const fail = (detail: string): { outcome: Outcome; verdict: Verdict } => ({ outcome: { kind: 'disagree', detail: `${v.kind} (${v.reason}) but ${detail}` }, verdict: v });
  const ok = { outcome: { kind: 'agree' } as Outcome, verdict: v };
  const need = needed(v, ev);
  const byArnSameAccount = ev.sameAccount && ev.grantVia === 'arn';

  switch (v.kind) {
    case 'assumable':
    case 'needsMfa':
    case 'needsExternalId': {
      if (v.kind !== 'assumable' && (await allowed(PLAIN, true))) return fail('the simulator allows it in the plain context');
      if (!(await allowed(need, true))) return fail(`the simulator denies it with ${ctxName(need)} and an identity policy`);
      if (byArnSameAccount && !(await allowed(need, false))) return fail(`the simulator denies it with ${ctxName(need)} and no identity policy`);
      return ok;
    }
    case 'needsPermission': {
      if (need !== PLAIN && (await allowed(PLAIN, true))) return fail('the simulator allows it in the plain context');
      if (!(await allowed(need, true))) return fail(`the simulator denies it with ${ctxName(need)} and an identity policy`);
      if (await allowed(need, false)) {
        // "…unless statement N lets you in on its own (it depends on K)": no claim without the identity policy.
        if (ev.directGrantUndecided) return ok;
        if (ev.sameAccount && (ev.grantVia === 'any' || hasStarAllow(tc))) {
          return { outcome: { kind: 'known', which: 'starSameAccount', detail: v.reason }, verdict: v };
        }
        return fail(`the simulator allows it with ${ctxName(need)} and no identity policy`);
      }
      return ok;
    }
    case 'notTrusted': {
      for (const ctx of ALL) if (await allowed(ctx, true)) return fail(`the simulator allows it with ${ctxName(ctx)} and an identity policy`);
      return ok;
    }
    case 'undecidable': {
      const keys = hiddenKeys(tc, caller);
      if (v.dependsOn === undefined || !keys.has(v.dependsOn)) {
        return { outcome: { kind: 'skipped', why: `undecidable on ${v.dependsOn ?? 'the statement itself'}, not a context key` }, verdict: v };
      }
      for (const ctx of ALL) {
        const seen = new Set<boolean>();
        for (const a of assignments(keys)) seen.add(await allowed({ ...ctx, overrides: a }, true));
        if (seen.size > 1) return ok;
      }
      const key = v.dependsOn.toLowerCase();
      const uses = tc.policy.Statement.flatMap((st) => Object.values((st.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap((block) => Object.keys(block)));
      if (uses.filter((k) => k.toLowerCase() === key).length >= 2) {
        return { outcome: { kind: 'known', which: 'correlatedHiddenConditions', detail: v.reason }, verdict: v };
      }
      return fail(`the simulator's answer does not change with ${[...keys.keys()].join(', ')}`);
    }
    case 'unverified':
      return fail('discovery never gives "unverified" for a trust policy');
  }
}

/** An Allow whose Principal is "*" (or {"AWS": "*"}): the simulator lets it in without an identity policy. */
function hasStarAllow(tc: TrustCase): boolean {
  return tc.policy.Statement.some((st) => st.Effect === 'Allow' && (st.Principal === '*' || (st.Principal as { AWS?: unknown } | undefined)?.AWS === '*'));
}

function ctxName(c: Ctx): string {
  return c === PLAIN ? 'the plain context' : c === MFA ? 'MFA' : c === EXTID ? 'an ExternalId' : 'MFA and an ExternalId';
}

export interface TrustDiffResult {
  readonly seed: number;
  readonly cases: number;
  readonly agreed: number;
  readonly known: Readonly<Record<KnownDifference, number>>;
  readonly skipped: number;
  readonly disagreements: ReadonlyArray<{ index: number; detail: string; policy: string; caller: string; role: string }>;
  readonly kinds: Readonly<Record<string, number>>;
}

export async function runTrustDifferential(opts: { seed?: number; cases: number; only?: number; log?: (l: string) => void; evaluate?: Evaluate }): Promise<TrustDiffResult> {
  const seed = (opts.seed ?? TRUST_SEED) >>> 0;
  const log = opts.log ?? (() => undefined);
  let agreed = 0;
  let skipped = 0;
  let cases = 0;
  const known: Record<KnownDifference, number> = { starSameAccount: 0, correlatedHiddenConditions: 0 };
  const kinds: Record<string, number> = {};
  const disagreements: Array<{ index: number; detail: string; policy: string; caller: string; role: string }> = [];
  const first = opts.only ?? 0;
  const last = opts.only ?? opts.cases - 1;
  for (let i = first; i <= last; i++) {
    const tc = generateTrustCase(seed, i);
    const { outcome, verdict } = await compareCase(tc, opts.evaluate);
    cases++;
    kinds[verdict.kind] = (kinds[verdict.kind] ?? 0) + 1;
    if (outcome.kind === 'agree') agreed++;
    else if (outcome.kind === 'known') known[outcome.which]++;
    else if (outcome.kind === 'skipped') skipped++;
    else {
      const d = { index: i, detail: outcome.detail, policy: JSON.stringify(tc.policy), caller: `${tc.caller.arn} (matched as ${tc.caller.principalArn}${tc.caller.tags ? `, tags ${JSON.stringify(tc.caller.tags)}` : ', tags not known'})`, role: tc.roleArn };
      disagreements.push(d);
      log(`DISAGREEMENT seed=${seed} case=${i} (replay: npx tsx test/fuzz/trust.ts --seed ${seed} --only ${i})`);
      log(`  ${d.detail}`);
      log(`  caller: ${d.caller}; role: ${d.role}`);
      log(`  policy: ${d.policy}`);
    }
  }
  return { seed, cases, agreed, known, skipped, disagreements, kinds };
}

// ---------------------------------------------------------------- CLI

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

if (/[\\/]fuzz[\\/]trust\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  const only = arg('--only');
  runTrustDifferential({
    seed: Number(arg('--seed') ?? TRUST_SEED),
    cases: Number(arg('--cases') ?? 10_000),
    ...(only !== undefined ? { only: Number(only) } : {}),
    log: (l) => console.log(l),
  }).then(
    (t) => {
      console.log(
        `trust differential, seed ${t.seed}: ${t.agreed} of ${t.cases} cases agree with @cloud-copilot/iam-simulate; ` +
          `${t.skipped} undecidable on no context key (not compared); documented differences ${JSON.stringify(t.known)} ` +
          `(docs/trust-evaluation.md); verdicts ${JSON.stringify(t.kinds)}`,
      );
      console.log(`${t.cases} cases, ${t.disagreements.length} disagreements`);
      process.exitCode = t.disagreements.length > 0 ? 1 : 0;
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 2;
    },
  );
}
