// Trust-policy evaluation against a caller: who may call sts:AssumeRole on a role.
// Pure: no vscode, no SDK. Used by discovery (thousands of roles) and by Explain Access (one role).
//
// Model. A trust policy is parsed and compiled once (parseTrustPolicy). Evaluation runs the policy under
// up to four request scenarios: plain, with MFA, with an ExternalId, with both, because those are the two
// things the caller controls in an AssumeRole request. Every statement applies as true / false / unknown
// (Kleene logic); an explicit Deny that applies wins; an unknown never turns into a "yes".
//
// AWS rules used here (docs.aws.amazon.com/IAM/latest/UserGuide):
// - reference_policies_elements_condition_operators: a key missing from the request context makes the
//   condition false, except for negated operators (true), `...IfExists` (true) and `Null`.
// - reference_policies_multi-value-conditions: values of one key are ORed, NORed for negated operators;
//   ForAllValues with a missing key is true, ForAnyValue with a missing key is false.
// - Condition key names are case-insensitive, operators and values (ARNs) case-sensitive.
// - ArnEquals and ArnLike behave the same: each of the six ARN parts is matched on its own, with * and ?.
// - AssumeRole with SerialNumber/TokenCode puts aws:MultiFactorAuthPresent=true and a fresh
//   aws:MultiFactorAuthAge in the context; long-term user keys without MFA leave the key absent, while
//   temporary credentials without MFA carry "false".
// - Root credentials can never assume a role ("Roles may not be assumed by root accounts").

import type { Verdict } from './types';

// ---------------------------------------------------------------------------------------------
// Caller

export type CallerKind = 'user' | 'assumedRole' | 'role' | 'federatedUser' | 'root';

export interface CallerContext {
  /** The ARN GetCallerIdentity returned. */
  readonly arn: string;
  readonly accountId: string;
  readonly partition: string;
  readonly kind: CallerKind;
  /** The ARN trust policies match: the role ARN with its path for assumed-role sessions. */
  readonly principalArn: string;
  /** Role name (assumedRole/role) or user name (user/federatedUser); absent for root. */
  readonly name?: string;
  /** False when the caller is a role session whose role path could not be learned yet. */
  readonly pathKnown?: boolean;
  /** Principal tags, when known; absent means unknown (aws:PrincipalTag/* conditions give unknown). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Whether the caller's own credentials carry MFA; absent means no. */
  readonly mfaPresent?: boolean;
}

interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

function splitArn(arn: string): ArnParts | undefined {
  // indexOf instead of split: this runs for every role and principal of a discovery.
  if (!arn.startsWith('arn:')) return undefined;
  const a = arn.indexOf(':', 4);
  const b = a < 0 ? -1 : arn.indexOf(':', a + 1);
  const c = b < 0 ? -1 : arn.indexOf(':', b + 1);
  const d = c < 0 ? -1 : arn.indexOf(':', c + 1);
  if (d < 0) return undefined;
  return {
    partition: arn.slice(4, a),
    service: arn.slice(a + 1, b),
    region: arn.slice(b + 1, c),
    account: arn.slice(c + 1, d),
    resource: arn.slice(d + 1),
  };
}

/** Twelve ASCII digits, without a RegExp (hot path). */
function isAccountId(s: string): boolean {
  if (s.length !== 12) return false;
  for (let i = 0; i < 12; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Role ARN → account, partition, name and path ("/" or "/a/b/"). */
export function splitRoleArn(roleArn: string): { partition: string; accountId: string; roleName: string; path: string } | undefined {
  const p = splitArn(roleArn);
  if (!p || p.service !== 'iam' || !isAccountId(p.account) || !p.resource.startsWith('role/')) return undefined;
  const rest = p.resource.slice('role/'.length);
  const slash = rest.lastIndexOf('/');
  const roleName = rest.slice(slash + 1);
  if (!roleName) return undefined;
  return { partition: p.partition, accountId: p.account, roleName, path: slash < 0 ? '/' : `/${rest.slice(0, slash + 1)}` };
}

/**
 * Who the caller is, as trust policies see it. `rolePathLookup` gives the path ("/" or "/x/y/") of the
 * caller's role for assumed-role sessions (the session ARN carries no path); without it the path is
 * assumed to be "/" and marked unknown.
 */
export function callerContext(
  callerArn: string,
  rolePathLookup?: (accountId: string, roleName: string) => string | undefined,
): CallerContext {
  const p = splitArn(callerArn);
  if (!p || !isAccountId(p.account)) throw new Error(`Not a caller ARN: ${callerArn}`);
  const base = { arn: callerArn, accountId: p.account, partition: p.partition };
  if (p.service === 'iam' && p.resource === 'root') {
    return { ...base, kind: 'root', principalArn: callerArn };
  }
  if (p.service === 'iam' && p.resource.startsWith('user/')) {
    const name = p.resource.slice(p.resource.lastIndexOf('/') + 1);
    return { ...base, kind: 'user', principalArn: callerArn, name };
  }
  if (p.service === 'iam' && p.resource.startsWith('role/')) {
    const name = p.resource.slice(p.resource.lastIndexOf('/') + 1);
    return { ...base, kind: 'role', principalArn: callerArn, name, pathKnown: true };
  }
  if (p.service === 'sts' && p.resource.startsWith('assumed-role/')) {
    const [, roleName, session] = p.resource.split('/');
    if (!roleName || !session) throw new Error(`Not a caller ARN: ${callerArn}`);
    const path = rolePathLookup?.(p.account, roleName);
    const normalized = path === undefined ? '/' : normalizePath(path);
    return {
      ...base,
      kind: 'assumedRole',
      name: roleName,
      principalArn: `arn:${p.partition}:iam::${p.account}:role${normalized}${roleName}`,
      pathKnown: path !== undefined,
    };
  }
  if (p.service === 'sts' && p.resource.startsWith('federated-user/')) {
    const name = p.resource.slice('federated-user/'.length);
    return { ...base, kind: 'federatedUser', principalArn: callerArn, name };
  }
  throw new Error(`Not a caller ARN: ${callerArn}`);
}

function normalizePath(path: string): string {
  let p = path.startsWith('/') ? path : `/${path}`;
  if (!p.endsWith('/')) p += '/';
  return p;
}

// ---------------------------------------------------------------------------------------------
// Compiled policy

/** Glob with `*` and `?`, matched without building a RegExp. */
interface Glob {
  readonly pattern: string;
  readonly wild: boolean;
}

function glob(pattern: string): Glob {
  return { pattern, wild: pattern.includes('*') || pattern.includes('?') };
}

function globMatch(g: Glob, text: string): boolean {
  if (!g.wild) return g.pattern === text;
  const p = g.pattern;
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < text.length) {
    const c = p.charCodeAt(pi);
    if (pi < p.length && (c === 63 /* ? */ || c === text.charCodeAt(ti))) {
      pi++;
      ti++;
    } else if (pi < p.length && c === 42 /* * */) {
      star = pi++;
      mark = ti;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p.charCodeAt(pi) === 42) pi++;
  return pi === p.length;
}

type BaseOp =
  | 'StringEquals' | 'StringNotEquals' | 'StringEqualsIgnoreCase' | 'StringNotEqualsIgnoreCase'
  | 'StringLike' | 'StringNotLike'
  | 'ArnEquals' | 'ArnLike' | 'ArnNotEquals' | 'ArnNotLike'
  | 'Bool' | 'Null'
  | 'NumericEquals' | 'NumericNotEquals' | 'NumericLessThan' | 'NumericLessThanEquals'
  | 'NumericGreaterThan' | 'NumericGreaterThanEquals';

const BASE_OPS: ReadonlySet<string> = new Set<BaseOp>([
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase',
  'StringLike', 'StringNotLike', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Bool', 'Null',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals',
  'NumericGreaterThan', 'NumericGreaterThanEquals',
]);

const NEGATED: ReadonlySet<string> = new Set([
  'StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'ArnNotEquals', 'ArnNotLike', 'NumericNotEquals',
]);

export interface ParsedCondition {
  /** As written, e.g. "ForAnyValue:StringLikeIfExists". */
  readonly operator: string;
  /** As written, e.g. "aws:PrincipalArn". */
  readonly key: string;
  readonly keyLower: string;
  readonly values: readonly string[];
  /** Why this condition can't be decided whatever the caller (unknown operator, policy variable…). */
  readonly unsupported?: string;
  readonly base?: BaseOp;
  readonly set?: 'any' | 'all';
  readonly ifExists: boolean;
  readonly negated: boolean;
  /** Precompiled matchers, one per value. */
  readonly globs: readonly Glob[];
  readonly arnGlobs: readonly (readonly Glob[] | undefined)[];
  readonly numbers: readonly number[];
}

export type ParsedPrincipalEntry =
  | { readonly kind: 'any' }
  | { readonly kind: 'account'; readonly accountId: string; readonly partition?: string }
  | { readonly kind: 'arn'; readonly arn: string }
  | { readonly kind: 'service'; readonly value: string }
  | { readonly kind: 'federated'; readonly value: string }
  | { readonly kind: 'other'; readonly value: string };

export interface ParsedStatement {
  /** 1-based position, as messages show it ("statement 2"). */
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** Absent when the statement has neither Principal nor NotPrincipal. */
  readonly principalMode?: 'Principal' | 'NotPrincipal';
  readonly principals: readonly ParsedPrincipalEntry[];
  /** Whether Action/NotAction covers sts:AssumeRole. */
  readonly coversAssumeRole: boolean;
  readonly conditions: readonly ParsedCondition[];
  /** A structural problem that makes the statement undecidable. */
  readonly invalid?: string;
  /** The statement as written, for display. */
  readonly raw: unknown;
}

export interface ParsedPolicy {
  readonly statements: readonly ParsedStatement[];
  readonly mentionsMfa: boolean;
  readonly mentionsExternalId: boolean;
  /** The decoded document, for display. */
  readonly document: unknown;
}

export class TrustPolicyError extends Error {
  override readonly name = 'TrustPolicyError';
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse and compile a trust policy. Throws TrustPolicyError (or SyntaxError) on malformed input. */
export function parseTrustPolicy(json: string): ParsedPolicy {
  const doc: unknown = JSON.parse(json);
  if (!isObject(doc)) throw new TrustPolicyError('The trust policy is not a JSON object.');
  const st = doc.Statement;
  if (st === undefined) throw new TrustPolicyError('The trust policy has no Statement.');
  const list = asArray(st);
  let mentionsMfa = false;
  let mentionsExternalId = false;
  const statements = list.map((raw, i) => {
    const s = compileStatement(raw, i + 1);
    for (const c of s.conditions) {
      if (c.keyLower === 'aws:multifactorauthpresent' || c.keyLower === 'aws:multifactorauthage') mentionsMfa = true;
      if (c.keyLower === 'sts:externalid') mentionsExternalId = true;
    }
    return s;
  });
  return { statements, mentionsMfa, mentionsExternalId, document: doc };
}

function actionCovers(pattern: unknown): boolean {
  return typeof pattern === 'string' && globMatch(glob(pattern.toLowerCase()), 'sts:assumerole');
}

function compileStatement(raw: unknown, index: number): ParsedStatement {
  if (!isObject(raw)) {
    return { index, effect: 'Allow', principals: [], coversAssumeRole: false, conditions: [], invalid: 'not an object', raw };
  }
  const sid = typeof raw.Sid === 'string' && raw.Sid !== '' ? raw.Sid : undefined;
  let invalid: string | undefined;
  const effect = raw.Effect === 'Deny' ? 'Deny' : 'Allow';
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') invalid = 'its Effect is neither Allow nor Deny';

  let coversAssumeRole = false;
  if (raw.Action !== undefined) coversAssumeRole = asArray(raw.Action).some(actionCovers);
  else if (raw.NotAction !== undefined) coversAssumeRole = !asArray(raw.NotAction).some(actionCovers);
  else invalid ??= 'it has no Action';

  let principalMode: 'Principal' | 'NotPrincipal' | undefined;
  let principalValue: unknown;
  if (raw.Principal !== undefined) {
    principalMode = 'Principal';
    principalValue = raw.Principal;
  } else if (raw.NotPrincipal !== undefined) {
    principalMode = 'NotPrincipal';
    principalValue = raw.NotPrincipal;
  }
  const principals: ParsedPrincipalEntry[] = [];
  if (principalValue === '*') {
    principals.push({ kind: 'any' });
  } else if (isObject(principalValue)) {
    for (const [type, value] of Object.entries(principalValue)) {
      for (const v of asArray(value)) {
        const s = typeof v === 'string' ? v : String(v);
        if (type === 'AWS') principals.push(compileAwsPrincipal(s));
        else if (type === 'Service') principals.push({ kind: 'service', value: s });
        else if (type === 'Federated') principals.push({ kind: 'federated', value: s });
        else principals.push({ kind: 'other', value: `${type}:${s}` });
      }
    }
  } else if (principalMode !== undefined) {
    invalid ??= `its ${principalMode} is not understood`;
  }

  const conditions: ParsedCondition[] = [];
  if (raw.Condition !== undefined) {
    if (!isObject(raw.Condition)) invalid ??= 'its Condition is not an object';
    else {
      for (const [operator, block] of Object.entries(raw.Condition)) {
        if (!isObject(block)) {
          conditions.push(compileCondition(operator, '(invalid)', [], 'the condition block is not an object'));
          continue;
        }
        for (const [key, value] of Object.entries(block)) conditions.push(compileCondition(operator, key, asArray(value)));
      }
    }
  }
  return { index, sid, effect, principalMode, principals, coversAssumeRole, conditions, invalid, raw };
}

function compileAwsPrincipal(s: string): ParsedPrincipalEntry {
  if (s === '*') return { kind: 'any' };
  if (isAccountId(s)) return { kind: 'account', accountId: s };
  const p = splitArn(s);
  if (p && p.service === 'iam' && p.resource === 'root' && isAccountId(p.account)) {
    return { kind: 'account', accountId: p.account, partition: p.partition };
  }
  if (p) return { kind: 'arn', arn: s };
  return { kind: 'other', value: s };
}

function compileCondition(operator: string, key: string, rawValues: unknown[], problem?: string): ParsedCondition {
  let op = operator;
  let set: 'any' | 'all' | undefined;
  if (op.startsWith('ForAnyValue:')) {
    set = 'any';
    op = op.slice('ForAnyValue:'.length);
  } else if (op.startsWith('ForAllValues:')) {
    set = 'all';
    op = op.slice('ForAllValues:'.length);
  }
  let ifExists = false;
  if (op.endsWith('IfExists')) {
    ifExists = true;
    op = op.slice(0, -'IfExists'.length);
  }
  const values: string[] = [];
  let unsupported = problem;
  for (const v of rawValues) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') values.push(String(v));
    else unsupported ??= 'a condition value is not a string, number or boolean';
  }
  const base = BASE_OPS.has(op) ? (op as BaseOp) : undefined;
  if (!base) unsupported ??= `the operator ${operator} is not evaluated here`;
  if (base === 'Null' && (ifExists || set)) unsupported ??= `the operator ${operator} is not valid`;
  const isString = base !== undefined && (base.startsWith('String') || base.startsWith('Arn'));
  if (isString && values.some((v) => v.includes('${'))) unsupported ??= 'it uses a policy variable';
  const globs: Glob[] = [];
  const arnGlobs: (readonly Glob[] | undefined)[] = [];
  const numbers: number[] = [];
  if (base === 'StringLike' || base === 'StringNotLike') for (const v of values) globs.push(glob(v));
  if (base?.startsWith('Arn')) {
    for (const v of values) {
      const parts = splitArn(v);
      arnGlobs.push(parts ? [parts.partition, parts.service, parts.region, parts.account, parts.resource].map(glob) : undefined);
    }
  }
  if (base?.startsWith('Numeric')) {
    for (const v of values) {
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) unsupported ??= `${v} is not a number`;
      numbers.push(n);
    }
  }
  if (base === 'Null' && values.some((v) => v.toLowerCase() !== 'true' && v.toLowerCase() !== 'false')) {
    unsupported ??= 'Null takes true or false';
  }
  return {
    operator,
    key,
    keyLower: key.toLowerCase(),
    values,
    unsupported,
    base,
    set,
    ifExists,
    negated: base !== undefined && NEGATED.has(base),
    globs,
    arnGlobs,
    numbers,
  };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Three-valued logic: 0 false, 1 true, 2 unknown. */
type Tri = 0 | 1 | 2;
const F: Tri = 0;
const T: Tri = 1;
const U: Tri = 2;

function and(a: Tri, b: Tri): Tri {
  if (a === F || b === F) return F;
  if (a === U || b === U) return U;
  return T;
}

interface Scenario {
  readonly mfa: boolean;
  readonly externalId: boolean;
}

const PLAIN: Scenario = { mfa: false, externalId: false };
const WITH_MFA: Scenario = { mfa: true, externalId: false };
const WITH_EXT: Scenario = { mfa: false, externalId: true };
const WITH_BOTH: Scenario = { mfa: true, externalId: true };

type ContextValue =
  | { readonly kind: 'values'; readonly values: readonly string[] }
  | { readonly kind: 'absent' }
  | { readonly kind: 'unknown'; readonly why: string }
  /** The caller chooses the value (sts:ExternalId): whatever the policy wants. */
  | { readonly kind: 'chosen' };

const ABSENT: ContextValue = { kind: 'absent' };

function one(v: string): ContextValue {
  return { kind: 'values', values: [v] };
}

function principalType(kind: CallerKind): string {
  switch (kind) {
    case 'user': return 'User';
    case 'assumedRole': return 'AssumedRole';
    case 'role': return 'AssumedRole';
    case 'federatedUser': return 'FederatedUser';
    case 'root': return 'Account';
  }
}

function lookup(keyLower: string, caller: CallerContext, sc: Scenario): ContextValue {
  switch (keyLower) {
    case 'aws:principalarn':
      if (caller.pathKnown === false) return { kind: 'unknown', why: 'the path of your role is not known' };
      return one(caller.principalArn);
    case 'aws:principalaccount':
      return one(caller.accountId);
    case 'aws:principaltype':
      return one(principalType(caller.kind));
    case 'aws:principalisawsservice':
      return one('false');
    case 'aws:multifactorauthpresent':
      if (sc.mfa || caller.mfaPresent) return one('true');
      // Long-term user keys carry no MFA key at all; temporary credentials carry "false".
      return caller.kind === 'user' || caller.kind === 'root' ? ABSENT : one('false');
    case 'aws:multifactorauthage':
      return sc.mfa || caller.mfaPresent ? one('0') : ABSENT;
    case 'sts:externalid':
      return sc.externalId ? { kind: 'chosen' } : ABSENT;
    case 'aws:principalorgid':
    case 'aws:principalorgpaths':
      return { kind: 'unknown', why: 'your organization is not known here' };
  }
  if (keyLower.startsWith('aws:principaltag/')) {
    if (!caller.tags) return { kind: 'unknown', why: 'your principal tags are not known' };
    const want = keyLower.slice('aws:principaltag/'.length);
    for (const [k, v] of Object.entries(caller.tags)) if (k.toLowerCase() === want) return one(v);
    return ABSENT;
  }
  return { kind: 'unknown', why: 'this condition key is not evaluated here' };
}

function matchOne(c: ParsedCondition, value: string): boolean {
  // Positive match of one context value against the policy values (ORed); negation applied by caller.
  switch (c.base) {
    case 'StringEquals':
    case 'StringNotEquals':
      return c.values.includes(value);
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase': {
      const lower = value.toLowerCase();
      return c.values.some((v) => v.toLowerCase() === lower);
    }
    case 'StringLike':
    case 'StringNotLike':
      return c.globs.some((g) => globMatch(g, value));
    case 'ArnEquals':
    case 'ArnLike':
    case 'ArnNotEquals':
    case 'ArnNotLike': {
      const parts = splitArn(value);
      if (!parts) return false;
      const actual = [parts.partition, parts.service, parts.region, parts.account, parts.resource];
      return c.arnGlobs.some((gs) => gs !== undefined && gs.every((g, i) => globMatch(g, actual[i]!)));
    }
    case 'Bool': {
      const lower = value.toLowerCase();
      return c.values.some((v) => v.toLowerCase() === lower);
    }
    case 'NumericEquals':
    case 'NumericNotEquals':
    case 'NumericLessThan':
    case 'NumericLessThanEquals':
    case 'NumericGreaterThan':
    case 'NumericGreaterThanEquals': {
      const n = Number(value);
      return c.numbers.some((m) => numericCompare(c.base!, n, m));
    }
    default:
      return false;
  }
}

function numericCompare(op: BaseOp, n: number, m: number): boolean {
  switch (op) {
    case 'NumericEquals':
    case 'NumericNotEquals': return n === m;
    case 'NumericLessThan': return n < m;
    case 'NumericLessThanEquals': return n <= m;
    case 'NumericGreaterThan': return n > m;
    case 'NumericGreaterThanEquals': return n >= m;
    default: return false;
  }
}

function evalCondition(c: ParsedCondition, caller: CallerContext, sc: Scenario): Tri {
  if (c.unsupported !== undefined || c.base === undefined) return U;
  const ctx = lookup(c.keyLower, caller, sc);
  if (ctx.kind === 'unknown') return U;
  if (c.base === 'Null') {
    const present = ctx.kind !== 'absent';
    return c.values.some((v) => (v.toLowerCase() === 'true') !== present) ? T : F;
  }
  if (ctx.kind === 'absent') {
    if (c.ifExists) return T;
    if (c.set === 'all') return T;
    if (c.set === 'any') return F;
    return c.negated ? T : F;
  }
  if (ctx.kind === 'chosen') return c.negated ? F : T;
  const test = (v: string): boolean => matchOne(c, v) !== c.negated;
  if (c.set === 'all') return ctx.values.every(test) ? T : F;
  return ctx.values.some(test) ? T : F;
}

interface PrincipalMatch {
  readonly match: Tri;
  /** How the caller is covered: its own ARN, its account (ID or root), or "*" (every principal). */
  readonly via: GrantVia;
  readonly serviceOnly: boolean;
  readonly detail: string;
}

/** Does one Principal entry cover the caller? */
export type GrantVia = 'arn' | 'account' | 'any';

const VIA_RANK: Record<GrantVia, number> = { arn: 3, any: 2, account: 1 };

function entryMatches(e: ParsedPrincipalEntry, caller: CallerContext): { m: Tri; via: GrantVia } {
  switch (e.kind) {
    case 'any':
      return { m: T, via: 'any' };
    case 'account':
      return {
        m: e.accountId === caller.accountId && (e.partition === undefined || e.partition === caller.partition) ? T : F,
        via: 'account',
      };
    case 'arn': {
      if (e.arn === caller.principalArn || e.arn === caller.arn) {
        if (caller.kind === 'assumedRole' && caller.pathKnown === false && e.arn === caller.principalArn) return { m: U, via: 'arn' };
        return { m: T, via: 'arn' };
      }
      if ((caller.kind === 'assumedRole' || caller.kind === 'role') && caller.pathKnown === false) {
        const r = splitRoleArn(e.arn);
        if (r && r.accountId === caller.accountId && r.partition === caller.partition && r.roleName === caller.name) {
          return { m: U, via: 'arn' };
        }
      }
      return { m: F, via: 'arn' };
    }
    default:
      return { m: F, via: 'arn' };
  }
}

function matchPrincipal(s: ParsedStatement, caller: CallerContext): PrincipalMatch {
  const hasAws = s.principals.some((e) => e.kind === 'any' || e.kind === 'account' || e.kind === 'arn');
  const serviceOnly = !hasAws && s.principals.some((e) => e.kind === 'service' || e.kind === 'federated');
  if (s.principalMode === undefined) return { match: U, via: 'account', serviceOnly: false, detail: 'it names no principal' };
  if (s.principalMode === 'Principal') {
    let best: Tri = F;
    let via: GrantVia = 'account';
    let how = '';
    for (const e of s.principals) {
      const { m, via: how2 } = entryMatches(e, caller);
      if (m === T && (best !== T || VIA_RANK[how2] > VIA_RANK[via])) {
        best = T;
        via = how2;
        how = describeEntry(e);
      } else if (m === U && best === F) {
        best = U;
        via = how2;
        how = describeEntry(e);
      }
    }
    if (best === T) return { match: T, via, serviceOnly, detail: `it names ${how}` };
    if (best === U) return { match: U, via, serviceOnly, detail: `it names ${how}, which may be your role (its path is not known yet)` };
    if (serviceOnly) {
      const svc = s.principals.map((e) => ('value' in e ? e.value : '')).filter((x) => x !== '').join(', ');
      return { match: F, via: 'account', serviceOnly, detail: `it trusts only ${svc}` };
    }
    return { match: F, via: 'account', serviceOnly, detail: 'it does not name you or your account' };
  }
  // NotPrincipal: the statement applies to everyone except the listed principals. AWS matches every identity
  // of the request (session, role, account), so the caller is excluded only when all of them are listed.
  const identities = callerIdentities(caller);
  let listed = 0;
  let unsure = false;
  for (const id of identities) {
    let r: Tri = F;
    for (const e of s.principals) {
      const m = identityListed(e, id, caller);
      if (m === T) { r = T; break; }
      if (m === U) r = U;
    }
    if (r === T) listed++;
    else if (r === U) unsure = true;
  }
  if (listed === identities.length) return { match: F, via: 'any', serviceOnly: false, detail: 'its NotPrincipal excludes you' };
  if (listed === 0 && !unsure) return { match: T, via: 'any', serviceOnly: false, detail: 'its NotPrincipal does not exclude you' };
  return { match: U, via: 'any', serviceOnly: false, detail: 'its NotPrincipal lists only some of your identities (session, role, account)' };
}

type Identity = { kind: 'arn'; arn: string } | { kind: 'account' };

function callerIdentities(caller: CallerContext): Identity[] {
  const ids: Identity[] = [{ kind: 'arn', arn: caller.principalArn }];
  if (caller.arn !== caller.principalArn) ids.push({ kind: 'arn', arn: caller.arn });
  if (caller.kind !== 'root') ids.push({ kind: 'account' });
  return ids;
}

function identityListed(e: ParsedPrincipalEntry, id: Identity, caller: CallerContext): Tri {
  if (e.kind === 'any') return T;
  if (id.kind === 'account') return e.kind === 'account' && e.accountId === caller.accountId ? T : F;
  if (e.kind === 'account') return F;
  if (e.kind !== 'arn') return F;
  if (e.arn === id.arn) return id.arn === caller.principalArn && caller.pathKnown === false ? U : T;
  return F;
}

function describeEntry(e: ParsedPrincipalEntry): string {
  switch (e.kind) {
    case 'any': return 'every principal ("*")';
    case 'account': return `your account ${e.accountId}`;
    case 'arn': return e.arn;
    default: return e.value;
  }
}

export type ConditionOutcome = 'met' | 'needsMfa' | 'needsExternalId' | 'unmet' | 'unknown';

export interface StatementResult {
  /** 1-based position in the policy. */
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly principalMatch: boolean | 'unknown';
  /** Whether Action/NotAction covers sts:AssumeRole. */
  readonly actionMatch: boolean;
  readonly conditions: ReadonlyArray<{ operator: string; key: string; outcome: ConditionOutcome; detail: string }>;
  readonly outcome: 'allows' | 'denies' | 'noMatch' | 'needsMfa' | 'needsExternalId' | 'unknown' | 'service';
  /** One sentence on why. */
  readonly detail: string;
}

export interface TrustEvaluation {
  /** The verdict before any simulation of the caller's identity policies. */
  readonly verdict: Verdict;
  /** What the trust policy alone says (assumable = "the trust policy lets you in"). */
  readonly trustVerdict: Verdict;
  /** The trust policy grants the caller's account, not the caller itself: identity policies decide. */
  readonly delegatesToIdentityPolicy: boolean;
  /** Whether the caller's identity policy must also allow sts:AssumeRole (delegation or cross-account). */
  readonly identityPolicyNeeded: boolean;
  /** Only Service/Federated principals are trusted: not a role for people. */
  readonly serviceRole: boolean;
  readonly requiresMfa: boolean;
  readonly requiresExternalId: boolean;
  readonly sameAccount: boolean;
  /** How the granting Allow statement covers the caller (absent when nothing grants). */
  readonly grantVia?: GrantVia;
  /** Label of the Allow statement that grants, e.g. `statement "AllowDev"` or `statement 2`. */
  readonly grantedBy?: string;
  /** Label of the statement that decided the verdict (a Deny, or the granting Allow). */
  readonly decidedBy?: string;
  /**
   * Same account, granted via the account or "*": an Allow that names you by ARN, and so would need no
   * identity policy, may apply too but can't be decided here (it depends on `dependsOn`).
   */
  readonly directGrantUndecided?: { readonly by: string; readonly dependsOn?: string };
  readonly statements: readonly StatementResult[];
}

/** An evaluation for a role whose trust policy can't be read or parsed: verdict `undecidable`. */
export function undecidableEvaluation(reason: string, sameAccount: boolean): TrustEvaluation {
  const verdict = v('undecidable', reason);
  return {
    verdict, trustVerdict: verdict, delegatesToIdentityPolicy: false, identityPolicyNeeded: !sameAccount,
    serviceRole: false, requiresMfa: false, requiresExternalId: false, sameAccount, statements: [],
  };
}

/** `statement "Sid"` or `statement 2`. */
export function statementLabel(s: { index: number; sid?: string }): string {
  return s.sid !== undefined ? `statement "${s.sid}"` : `statement ${s.index}`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

interface StatementState {
  readonly s: ParsedStatement;
  readonly principal: PrincipalMatch;
  /** Applies per scenario: plain, mfa, ext, both. */
  readonly applies: readonly [Tri, Tri, Tri, Tri];
}

const SCENARIOS = [PLAIN, WITH_MFA, WITH_EXT, WITH_BOTH] as const;

function statementApplies(s: ParsedStatement, principal: Tri, caller: CallerContext, sc: Scenario): Tri {
  if (s.invalid !== undefined) return U;
  let r: Tri = and(principal, s.coversAssumeRole ? T : F);
  if (r === F) return F;
  for (const c of s.conditions) {
    r = and(r, evalCondition(c, caller, sc));
    if (r === F) return F;
  }
  return r;
}

interface Decision {
  readonly d: 'allow' | 'deny' | 'implicit' | 'unknown';
  readonly by?: StatementState;
}

function decide(states: readonly StatementState[], i: number): Decision {
  let denyUnknown: StatementState | undefined;
  let allow: StatementState | undefined;
  let allowUnknown: StatementState | undefined;
  for (const st of states) {
    const a = st.applies[i]!;
    if (st.s.effect === 'Deny') {
      if (a === T) return { d: 'deny', by: st };
      if (a === U) denyUnknown ??= st;
    } else if (a === T) {
      // Prefer a statement that names the caller itself over one that names only the account.
      if (!allow || VIA_RANK[st.principal.via] > VIA_RANK[allow.principal.via]) allow = st;
    } else if (a === U) allowUnknown ??= st;
  }
  if (!allow && !allowUnknown) return { d: 'implicit' };
  if (denyUnknown) return { d: 'unknown', by: denyUnknown };
  if (allow) return { d: 'allow', by: allow };
  return { d: 'unknown', by: allowUnknown };
}

function conditionDetail(c: ParsedCondition, outcome: ConditionOutcome, caller: CallerContext): string {
  if (c.unsupported !== undefined) return `Not evaluated: ${c.unsupported}.`;
  const ctx = lookup(c.keyLower, caller, PLAIN);
  if (ctx.kind === 'unknown') return `Can't tell here: ${ctx.why}.`;
  switch (outcome) {
    case 'needsMfa': return 'Depends on signing in with MFA.';
    case 'needsExternalId': return 'Depends on passing the ExternalId.';
    case 'unknown': return "Can't tell here for you.";
    default: {
      const actual = ctx.kind === 'values' ? ctx.values.join(', ') : 'absent';
      return `${outcome === 'met' ? 'True' : 'False'} for you (${c.key} is ${actual}).`;
    }
  }
}

function conditionOutcome(c: ParsedCondition, caller: CallerContext): ConditionOutcome {
  const plain = evalCondition(c, caller, PLAIN);
  if (plain === U) return 'unknown';
  if (evalCondition(c, caller, WITH_MFA) !== plain) return 'needsMfa';
  if (evalCondition(c, caller, WITH_EXT) !== plain) return 'needsExternalId';
  return plain === T ? 'met' : 'unmet';
}

function statementOutcome(st: StatementState): { outcome: StatementResult['outcome']; detail: string } {
  const { s, principal, applies } = st;
  const [p, m, e, b] = applies;
  const label = capital(statementLabel(s));
  if (s.invalid !== undefined) return { outcome: 'unknown', detail: `${label} cannot be evaluated: ${s.invalid}.` };
  if (principal.match === F) {
    return principal.serviceOnly
      ? { outcome: 'service', detail: `${label} does not apply to you: ${principal.detail}.` }
      : { outcome: 'noMatch', detail: `${label} does not apply to you: ${principal.detail}.` };
  }
  if (!s.coversAssumeRole) return { outcome: 'noMatch', detail: `${label} does not cover sts:AssumeRole.` };
  if (s.effect === 'Allow') {
    if (p === T) return { outcome: 'allows', detail: `${label} allows you: ${principal.detail}.` };
    if (p === U) return { outcome: 'unknown', detail: `${label} may or may not allow you: ${principal.match === U ? principal.detail : 'a condition cannot be decided here'}.` };
    if (m === T) return { outcome: 'needsMfa', detail: `${label} allows you only with MFA.` };
    if (e === T) return { outcome: 'needsExternalId', detail: `${label} allows you only with an ExternalId.` };
    if (b === T) return { outcome: 'needsMfa', detail: `${label} allows you only with MFA and an ExternalId.` };
    if (m === U || e === U || b === U) return { outcome: 'unknown', detail: `${label} may or may not allow you: a condition cannot be decided here.` };
    return { outcome: 'noMatch', detail: `${label} does not apply to you: its conditions are not met.` };
  }
  if (p === T) {
    if (m === F) return { outcome: 'needsMfa', detail: `${label} denies you unless you use MFA.` };
    if (e === F) return { outcome: 'needsExternalId', detail: `${label} denies you unless you pass an ExternalId.` };
    if (b === F) return { outcome: 'needsMfa', detail: `${label} denies you unless you use MFA and an ExternalId.` };
    return { outcome: 'denies', detail: `${label} explicitly denies you: ${principal.detail}.` };
  }
  if (p === U) return { outcome: 'unknown', detail: `${label} may deny you: ${principal.match === U ? principal.detail : 'a condition cannot be decided here'}.` };
  return { outcome: 'noMatch', detail: `${label} does not apply to you: its conditions are not met.` };
}

function v(kind: Verdict['kind'], reason: string): Verdict {
  return { kind, reason };
}

/**
 * What an undecidable statement depends on, for the verdict's words ("can't tell: depends on aws:SourceIp"):
 * the first condition that can't be decided in scenario `sc`, or the principal.
 */
function undecidableCause(st: StatementState, caller: CallerContext, sc: Scenario): { dependsOn?: string; why: string } {
  const s = st.s;
  if (s.invalid !== undefined) return { why: `it cannot be evaluated (${s.invalid})` };
  if (st.principal.match === U) {
    if (s.principalMode === 'NotPrincipal') return { dependsOn: 'its NotPrincipal', why: st.principal.detail };
    if (s.principalMode === 'Principal') return { dependsOn: "your role's path", why: st.principal.detail };
    return { why: st.principal.detail };
  }
  for (const c of s.conditions) {
    if (evalCondition(c, caller, sc) !== U) continue;
    if (c.unsupported !== undefined) return { dependsOn: c.key, why: `its ${c.operator} condition cannot be evaluated here (${c.unsupported})` };
    const ctx = lookup(c.keyLower, caller, sc);
    return { dependsOn: c.key, why: ctx.kind === 'unknown' ? ctx.why : 'it cannot be decided here' };
  }
  return { why: 'it cannot be decided here' };
}

function undecidable(st: StatementState, caller: CallerContext, sc: Scenario): Verdict {
  const { dependsOn, why } = undecidableCause(st, caller, sc);
  const lbl = capital(statementLabel(st.s));
  const what = st.s.effect === 'Deny' ? 'may deny you' : 'may or may not let you in';
  if (dependsOn === undefined) return { kind: 'undecidable', reason: `${lbl} of the trust policy ${what}: ${why}.` };
  return { kind: 'undecidable', reason: `${lbl} of the trust policy ${what}: it depends on ${dependsOn}, and ${why}.`, dependsOn };
}

function needsPermission(
  label: string,
  via: GrantVia,
  sameAccount: boolean,
  requiresMfa: boolean,
  requiresExternalId: boolean,
  direct?: { by: string; dependsOn?: string },
): Verdict {
  const alsoNeeds: Array<'MFA' | 'ExternalId'> = [];
  if (requiresMfa) alsoNeeds.push('MFA');
  if (requiresExternalId) alsoNeeds.push('ExternalId');
  const extra = requiresMfa && requiresExternalId ? ', and the role also needs MFA and an ExternalId'
    : requiresMfa ? ', and the role also needs MFA' : requiresExternalId ? ', and the role also needs an ExternalId' : '';
  const unless = direct ? `, unless ${direct.by} lets you in on its own${direct.dependsOn ? ` (it depends on ${direct.dependsOn})` : ''}` : '';
  // AWS does not document whether "*" alone lets a principal of the role's own account in (docs/trust-evaluation.md).
  const need = via === 'any' && sameAccount
    ? 'you may also need an IAM policy that allows sts:AssumeRole on this role (AWS does not document whether "*" is enough in your own account)'
    : 'you also need an IAM policy that allows sts:AssumeRole on this role';
  const reason = `${capital(label)} ${trustPhrase(via, sameAccount)}, so ${need}${extra}${unless}.`;
  return {
    kind: 'needsPermission',
    reason,
    trustedVia: via,
    ...(alsoNeeds.length > 0 ? { alsoNeeds } : {}),
    ...(direct?.dependsOn !== undefined ? { dependsOn: direct.dependsOn } : {}),
  };
}

/**
 * Evaluate a role's trust policy for the caller. A string policy is parsed here; malformed input yields
 * verdict `undecidable`. `verdict` already accounts for whether the caller's identity policy must also allow
 * sts:AssumeRole (without a simulation that is `needsPermission`); see combineWithSimulation for the
 * verdict with a simulation result.
 */
export function evaluateTrust(policy: ParsedPolicy | string, roleArn: string, caller: CallerContext): TrustEvaluation {
  const role = splitRoleArn(roleArn);
  const sameAccount = role !== undefined && role.accountId === caller.accountId && role.partition === caller.partition;
  let parsed: ParsedPolicy;
  try {
    parsed = typeof policy === 'string' ? parseTrustPolicy(policy) : policy;
  } catch (err) {
    const msg = err instanceof TrustPolicyError ? err.message : 'The trust policy is not valid JSON.';
    return undecidableEvaluation(`${msg.replace(/\.$/, '')}, so it cannot be evaluated.`, sameAccount);
  }

  const scenarioCount = parsed.mentionsMfa || parsed.mentionsExternalId ? 4 : 1;
  const states: StatementState[] = parsed.statements.map((s) => {
    const principal = matchPrincipal(s, caller);
    const a0 = statementApplies(s, principal.match, caller, PLAIN);
    let applies: [Tri, Tri, Tri, Tri] = [a0, a0, a0, a0];
    if (scenarioCount > 1) {
      applies = [
        a0,
        parsed.mentionsMfa ? statementApplies(s, principal.match, caller, WITH_MFA) : a0,
        parsed.mentionsExternalId ? statementApplies(s, principal.match, caller, WITH_EXT) : a0,
        statementApplies(s, principal.match, caller, WITH_BOTH),
      ];
    }
    return { s, principal, applies };
  });

  // Per-statement details are for Explain Access; discovery rarely reads them, so they are built on first use.
  const statements = (): StatementResult[] =>
    states.map((st) => {
      const { outcome, detail } = statementOutcome(st);
      return {
        index: st.s.index,
        sid: st.s.sid,
        effect: st.s.effect,
        principalMatch: st.principal.match === U ? 'unknown' : st.principal.match === T,
        actionMatch: st.s.coversAssumeRole,
        conditions: st.s.conditions.map((c) => {
          const o = conditionOutcome(c, caller);
          return { operator: c.operator, key: c.key, outcome: o, detail: conditionDetail(c, o, caller) };
        }),
        outcome,
        detail,
      };
    });

  const hasAllowForPeople = states.some((st) => st.s.effect === 'Allow' && st.principal.match !== F);
  const serviceRole = !hasAllowForPeople && states.some((st) => st.s.effect === 'Allow' && st.principal.serviceOnly);

  // Trust verdict from the four scenarios.
  const decisions = SCENARIOS.slice(0, scenarioCount).map((_, i) => decide(states, i));
  const d0 = decisions[0]!;
  let trustVerdict: Verdict;
  let decidedBy: StatementState | undefined;
  let requiresMfa = false;
  let requiresExternalId = false;
  let grantedBy: StatementState | undefined;
  let grantScenario = 0;

  if (d0.d === 'allow') {
    decidedBy = grantedBy = d0.by;
    trustVerdict = v('assumable', `${capital(statementLabel(d0.by!.s))} of the trust policy allows you: ${d0.by!.principal.detail}.`);
  } else if (d0.d === 'unknown') {
    decidedBy = d0.by;
    trustVerdict = undecidable(d0.by!, caller, PLAIN);
  } else {
    const [, dm, de, db] = decisions;
    const pick = dm?.d === 'allow' ? 1 : de?.d === 'allow' ? 2 : db?.d === 'allow' ? 3 : 0;
    if (pick !== 0) {
      const d = decisions[pick]!;
      decidedBy = grantedBy = d.by;
      grantScenario = pick;
      requiresMfa = pick === 1 || pick === 3;
      requiresExternalId = pick === 2 || pick === 3;
      // The statement that makes the difference: the Deny that lifts, or the Allow that needs the condition.
      const denyLifted = d0.d === 'deny' ? d0.by : undefined;
      const deciding = denyLifted ?? d.by!;
      decidedBy = deciding;
      const what = requiresMfa && requiresExternalId ? 'MFA and an ExternalId' : requiresMfa ? 'MFA' : 'an ExternalId';
      const lbl = capital(statementLabel(deciding.s));
      trustVerdict = v(
        requiresMfa ? 'needsMfa' : 'needsExternalId',
        denyLifted ? `${lbl} denies you unless you assume the role with ${what}.` : `${lbl} allows you only when you assume the role with ${what}.`,
      );
    } else if (decisions.some((d) => d.d === 'unknown')) {
      const i = decisions.findIndex((x) => x.d === 'unknown');
      const d = decisions[i]!;
      decidedBy = d.by;
      trustVerdict = undecidable(d.by!, caller, SCENARIOS[i]!);
    } else if (d0.d === 'deny') {
      decidedBy = d0.by;
      trustVerdict = v('notTrusted', `${capital(statementLabel(d0.by!.s))} of the trust policy explicitly denies you.`);
    } else if (serviceRole) {
      const st = states.find((x) => x.s.effect === 'Allow' && x.principal.serviceOnly)!;
      decidedBy = st;
      trustVerdict = v('notTrusted', `${capital(statementLabel(st.s))} is for a service or identity provider, not for you: ${st.principal.detail}.`);
    } else {
      trustVerdict = v('notTrusted', `No statement of the trust policy allows you (${caller.principalArn}) to call sts:AssumeRole.`);
    }
  }

  const grantVia = grantedBy?.principal.via;
  const delegates = grantVia !== undefined && grantVia !== 'arn';
  const identityPolicyNeeded = !sameAccount || delegates;
  const grantedLabel = grantedBy ? statementLabel(grantedBy.s) : undefined;
  // An Allow naming you by ARN needs no identity policy in your own account; if one may apply, whether the
  // identity policy is needed can't be decided (a simulation that denies it then leaves the verdict open).
  let directGrantUndecided: { by: string; dependsOn?: string } | undefined;
  if (sameAccount && delegates) {
    const st = states.find((x) => x.s.effect === 'Allow' && x.principal.via === 'arn' && x.principal.match !== F && x.applies[grantScenario] === U);
    if (st) {
      const { dependsOn } = undecidableCause(st, caller, SCENARIOS[grantScenario]!);
      directGrantUndecided = { by: statementLabel(st.s), ...(dependsOn !== undefined ? { dependsOn } : {}) };
    }
  }
  let verdict = trustVerdict;
  if (caller.kind === 'root') {
    verdict = v('notTrusted', 'Roles may not be assumed by root accounts: sign in as an IAM user or role.');
  } else if (caller.kind === 'federatedUser') {
    // GetFederationToken credentials may call no STS operation but GetCallerIdentity.
    verdict = v('notTrusted', 'A federated-user session (GetFederationToken) cannot call sts:AssumeRole: sign in as an IAM user or role.');
  } else if (grantedLabel && grantVia && identityPolicyNeeded) {
    verdict = needsPermission(grantedLabel, grantVia, sameAccount, requiresMfa, requiresExternalId, directGrantUndecided);
  }
  return lazyStatements(
    {
      verdict,
      trustVerdict,
      delegatesToIdentityPolicy: delegates,
      identityPolicyNeeded,
      serviceRole,
      requiresMfa,
      requiresExternalId,
      sameAccount,
      grantVia,
      grantedBy: grantedLabel,
      decidedBy: decidedBy ? statementLabel(decidedBy.s) : undefined,
      ...(directGrantUndecided ? { directGrantUndecided } : {}),
    },
    statements,
  );
}

/**
 * An evaluation whose `statements` are computed once, on first read (a getter on the prototype: cheap to
 * create, and not an own property, so `{ ...ev }` leaves them out; use withVerdict to copy).
 */
class LazyEvaluation implements TrustEvaluation {
  readonly verdict: Verdict;
  readonly trustVerdict: Verdict;
  readonly delegatesToIdentityPolicy: boolean;
  readonly identityPolicyNeeded: boolean;
  readonly serviceRole: boolean;
  readonly requiresMfa: boolean;
  readonly requiresExternalId: boolean;
  readonly sameAccount: boolean;
  readonly grantVia?: GrantVia;
  readonly grantedBy?: string;
  readonly decidedBy?: string;
  readonly directGrantUndecided?: { readonly by: string; readonly dependsOn?: string };
  readonly #lazy: { compute?: () => StatementResult[]; cached?: StatementResult[] };

  constructor(f: Omit<TrustEvaluation, 'statements'>, lazy: { compute?: () => StatementResult[]; cached?: StatementResult[] }, override?: { verdict: Verdict }) {
    this.verdict = override ? override.verdict : f.verdict;
    this.trustVerdict = f.trustVerdict;
    this.delegatesToIdentityPolicy = f.delegatesToIdentityPolicy;
    this.identityPolicyNeeded = f.identityPolicyNeeded;
    this.serviceRole = f.serviceRole;
    this.requiresMfa = f.requiresMfa;
    this.requiresExternalId = f.requiresExternalId;
    this.sameAccount = f.sameAccount;
    this.grantVia = f.grantVia;
    this.grantedBy = f.grantedBy;
    this.decidedBy = f.decidedBy;
    if (f.directGrantUndecided) this.directGrantUndecided = f.directGrantUndecided;
    this.#lazy = lazy;
  }

  get statements(): StatementResult[] {
    const lazy = this.#lazy;
    if (!lazy.cached) {
      lazy.cached = lazy.compute?.() ?? [];
      lazy.compute = undefined;
    }
    return lazy.cached;
  }

  /** Same evaluation, another verdict and extra fields; the statements stay shared. */
  with(verdict: Verdict, extra: object | undefined): LazyEvaluation {
    // The constructor copies the evaluation's own fields from `this`; no intermediate spread.
    const copy = new LazyEvaluation(this, this.#lazy, { verdict });
    return extra === undefined ? copy : Object.assign(copy, extra);
  }
}

function lazyStatements(fields: Omit<TrustEvaluation, 'statements'>, compute: () => StatementResult[]): TrustEvaluation {
  return new LazyEvaluation(fields, { compute });
}

/** A copy with another verdict (and extra fields), sharing the lazily built statements. */
export function withVerdict<E extends TrustEvaluation, X extends object>(ev: E, verdict: Verdict, extra?: X): E & X {
  if (ev instanceof LazyEvaluation) return ev.with(verdict, extra) as unknown as E & X;
  return { ...ev, verdict, ...extra } as E & X;
}

function trustPhrase(via: GrantVia, sameAccount: boolean): string {
  const from = sameAccount ? '' : ' from another account';
  switch (via) {
    case 'arn': return `trusts you${from}`;
    case 'account': return sameAccount ? 'trusts your account' : 'trusts your account from another account';
    case 'any': return `trusts every principal ("*")`;
  }
}

/**
 * The verdict once the caller's identity policies are known (iam:SimulatePrincipalPolicy for
 * sts:AssumeRole on the role). `sim` undefined: not simulated, so `needsPermission` stays. A simulation
 * replaces `needsPermission` with allowed or denied, and the reason says that the simulation decided.
 * AWS: same account, a trust policy naming the caller's ARN is enough on its own; naming the account
 * delegates to identity policies; across accounts both are needed; an explicit Deny anywhere wins.
 */
export function combineWithSimulation(
  ev: TrustEvaluation,
  sim: 'allowed' | 'explicitDeny' | 'implicitDeny' | undefined,
  sameAccount: boolean,
): Verdict {
  if (ev.verdict.kind === 'notTrusted') return ev.verdict;
  if (ev.trustVerdict.kind === 'notTrusted') return ev.trustVerdict;
  if (sim === 'explicitDeny') return v('notTrusted', 'Policy simulation: your IAM policy explicitly denies sts:AssumeRole on this role.');
  if (ev.trustVerdict.kind === 'undecidable' || !ev.grantVia || !ev.grantedBy) return ev.trustVerdict;
  const needed = ev.grantVia !== 'arn' || !sameAccount;
  if (!needed) return ev.trustVerdict;
  const label = ev.grantedBy;
  const phrase = trustPhrase(ev.grantVia, sameAccount);
  if (sim === undefined) {
    return ev.verdict.kind === 'needsPermission'
      ? ev.verdict
      : needsPermission(label, ev.grantVia, sameAccount, ev.requiresMfa, ev.requiresExternalId, ev.directGrantUndecided);
  }
  if (sim === 'implicitDeny') {
    const direct = ev.directGrantUndecided;
    if (sameAccount && direct) {
      const on = direct.dependsOn !== undefined ? `: it depends on ${direct.dependsOn}` : '';
      return {
        kind: 'undecidable',
        reason: `Policy simulation: your IAM policy does not allow sts:AssumeRole on this role, which ${label} needs, but ${direct.by} may let you in on its own${on}.`,
        ...(direct.dependsOn !== undefined ? { dependsOn: direct.dependsOn } : {}),
      };
    }
    // AWS does not document whether "*" in a same-account trust policy needs an identity policy too
    // (docs/trust-evaluation.md).
    if (ev.grantVia === 'any' && sameAccount) {
      return {
        kind: 'undecidable',
        reason: `Policy simulation: your IAM policy does not allow sts:AssumeRole on this role; ${label} ${phrase}, and AWS does not document whether that also needs your IAM permission in your own account.`,
        dependsOn: 'whether "*" needs your IAM permission',
      };
    }
    return v('notTrusted', `Policy simulation: your IAM policy does not allow sts:AssumeRole on this role, which it needs because ${label} ${phrase}.`);
  }
  const tail = `Policy simulation: your IAM policy allows sts:AssumeRole on this role, and ${label} ${phrase}`;
  switch (ev.trustVerdict.kind) {
    case 'assumable': return v('assumable', `${tail}.`);
    case 'needsMfa': return v('needsMfa', `${tail}, but only with MFA.`);
    case 'needsExternalId': return v('needsExternalId', `${tail}, but only with an ExternalId.`);
    default: return ev.trustVerdict;
  }
}
