/**
 * The fake's own IAM policy evaluator (identity policies and role trust policies). It is written from the
 * AWS IAM documentation ("Policy evaluation logic", "IAM JSON policy elements", "Condition operators") and
 * is deliberately independent of src/: it is the test oracle.
 *
 * Scope: Effect, Action/NotAction, Resource/NotResource (wildcards `*` and `?`, policy variables `${key}`),
 * Principal/NotPrincipal (AWS account id, :root, user/role/assumed-role ARNs, unique ids, `*`; Service and
 * Federated never match an IAM caller), and Condition with the operators listed in OPERATORS, the `IfExists`
 * suffix and the `ForAnyValue:`/`ForAllValues:` prefixes.
 *
 * Fail closed: a condition that uses an operator or a context key this fake does not model makes an Allow
 * statement not match and a Deny statement match.
 */
import type { PolicyDocument } from './scenario';

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';
export type CtxValue = string | string[];

/** Condition keys the fake models (lower case). Prefix keys end with '/'. */
const SUPPORTED_KEYS = new Set([
  'aws:multifactorauthpresent', 'aws:multifactorauthage', 'aws:principalarn', 'aws:principalaccount',
  'aws:principaltype', 'aws:principalorgid', 'aws:userid', 'aws:username', 'aws:requestedregion',
  'aws:currenttime', 'aws:epochtime', 'aws:securetransport', 'aws:sourceidentity', 'aws:tokenissuetime',
  'aws:principalisawsservice', 'aws:viaawsservice', 'aws:calledvia',
  'sts:externalid', 'sts:rolesessionname', 'sts:sourceidentity',
]);
const SUPPORTED_PREFIXES = ['aws:principaltag/'];

export class RequestContext {
  private readonly values = new Map<string, CtxValue>();
  /** allKeysSupported: used by SimulatePrincipalPolicy, where absent keys are reported, not failed. */
  constructor(init: Record<string, CtxValue | undefined> = {}, readonly allKeysSupported = false) {
    for (const [k, v] of Object.entries(init)) if (v !== undefined) this.values.set(k.toLowerCase(), v);
  }
  get(key: string): CtxValue | undefined {
    return this.values.get(key.toLowerCase());
  }
  set(key: string, v: CtxValue | undefined): void {
    if (v === undefined) this.values.delete(key.toLowerCase());
    else this.values.set(key.toLowerCase(), v);
  }
  isSupported(key: string): boolean {
    if (this.allKeysSupported) return true;
    const k = key.toLowerCase();
    return SUPPORTED_KEYS.has(k) || SUPPORTED_PREFIXES.some((p) => k.startsWith(p) && k.length > p.length);
  }
  /** keys that a policy asked for but the request context lacks (SimulatePrincipalPolicy reports them) */
  readonly missing = new Set<string>();
}

// ---------------------------------------------------------------- wildcards

const globCache = new Map<string, RegExp>();
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  const cacheKey = (ignoreCase ? 'i:' : 's:') + pattern;
  let re = globCache.get(cacheKey);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, ignoreCase ? 'si' : 's');
    if (globCache.size > 20000) globCache.clear();
    globCache.set(cacheKey, re);
  }
  return re.test(value);
}

function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}
function asStrings(v: unknown): string[] {
  return asArray(v).map((x) => (typeof x === 'string' ? x : String(x)));
}

export function statementsOf(doc: PolicyDocument | undefined): Record<string, unknown>[] {
  if (!doc || typeof doc !== 'object') return [];
  return asArray((doc as Record<string, unknown>).Statement).filter(
    (s): s is Record<string, unknown> => !!s && typeof s === 'object' && !Array.isArray(s),
  );
}

/** Substitute policy variables `${aws:username}`; returns undefined when a variable has no value. */
function substitute(pattern: string, ctx: RequestContext): string | undefined {
  if (!pattern.includes('${')) return pattern;
  let ok = true;
  const out = pattern.replace(/\$\{([^}]+)\}/g, (_m, key: string) => {
    if (key === '*') return '*';
    if (key === '?') return '?';
    if (key === '$') return '$';
    const v = ctx.get(key);
    if (typeof v !== 'string') {
      ok = false;
      return '';
    }
    return v;
  });
  return ok ? out : undefined;
}

function actionMatches(stmt: Record<string, unknown>, action: string): boolean {
  if (stmt.Action !== undefined) return asStrings(stmt.Action).some((p) => globMatch(p, action, true));
  if (stmt.NotAction !== undefined) return !asStrings(stmt.NotAction).some((p) => globMatch(p, action, true));
  return false;
}

function resourceMatches(stmt: Record<string, unknown>, resource: string, ctx: RequestContext): boolean {
  const test = (p: string) => {
    const s = substitute(p, ctx);
    return s !== undefined && globMatch(s, resource);
  };
  if (stmt.Resource !== undefined) return asStrings(stmt.Resource).some(test);
  if (stmt.NotResource !== undefined) return !asStrings(stmt.NotResource).some(test);
  return false;
}

// ---------------------------------------------------------------- conditions

type CondResult = 'true' | 'false' | 'unsupported';

const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'ArnNotEquals', 'ArnNotLike', 'NumericNotEquals', 'DateNotEquals']);

const OPERATORS: Record<string, (req: string, pol: string) => boolean> = {
  StringEquals: (r, p) => r === p,
  StringNotEquals: (r, p) => r === p,
  StringEqualsIgnoreCase: (r, p) => r.toLowerCase() === p.toLowerCase(),
  StringNotEqualsIgnoreCase: (r, p) => r.toLowerCase() === p.toLowerCase(),
  StringLike: (r, p) => globMatch(p, r),
  StringNotLike: (r, p) => globMatch(p, r),
  ArnEquals: (r, p) => arnMatch(r, p),
  ArnLike: (r, p) => arnMatch(r, p),
  ArnNotEquals: (r, p) => arnMatch(r, p),
  ArnNotLike: (r, p) => arnMatch(r, p),
  Bool: (r, p) => r.toLowerCase() === p.toLowerCase(),
  NumericEquals: (r, p) => num(r) === num(p),
  NumericNotEquals: (r, p) => num(r) === num(p),
  NumericLessThan: (r, p) => num(r) < num(p),
  NumericLessThanEquals: (r, p) => num(r) <= num(p),
  NumericGreaterThan: (r, p) => num(r) > num(p),
  NumericGreaterThanEquals: (r, p) => num(r) >= num(p),
  DateEquals: (r, p) => date(r) === date(p),
  DateNotEquals: (r, p) => date(r) === date(p),
  DateLessThan: (r, p) => date(r) < date(p),
  DateLessThanEquals: (r, p) => date(r) <= date(p),
  DateGreaterThan: (r, p) => date(r) > date(p),
  DateGreaterThanEquals: (r, p) => date(r) >= date(p),
};
function num(s: string): number {
  const n = Number(s);
  return Number.isNaN(n) ? NaN : n;
}
function date(s: string): number {
  return /^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s);
}
/** ArnLike: the six colon-separated parts are compared one by one, each with wildcards. */
function arnMatch(value: string, pattern: string): boolean {
  const v = value.split(':');
  const p = pattern.split(':');
  if (v.length < 6 || p.length < 6) return globMatch(pattern, value);
  const vs = [...v.slice(0, 5), v.slice(5).join(':')];
  const ps = [...p.slice(0, 5), p.slice(5).join(':')];
  return ps.every((part, i) => globMatch(part, vs[i]));
}

function evalCondition(cond: unknown, ctx: RequestContext): CondResult {
  if (cond === undefined) return 'true';
  if (!cond || typeof cond !== 'object' || Array.isArray(cond)) return 'unsupported';
  let result: CondResult = 'true';
  for (const [rawOp, block] of Object.entries(cond as Record<string, unknown>)) {
    let op = rawOp;
    let setOp: 'any' | 'all' | undefined;
    if (op.startsWith('ForAnyValue:')) {
      setOp = 'any';
      op = op.slice('ForAnyValue:'.length);
    } else if (op.startsWith('ForAllValues:')) {
      setOp = 'all';
      op = op.slice('ForAllValues:'.length);
    }
    let ifExists = false;
    if (op.endsWith('IfExists') && op !== 'IfExists') {
      ifExists = true;
      op = op.slice(0, -'IfExists'.length);
    }
    if (!block || typeof block !== 'object' || Array.isArray(block)) return 'unsupported';
    const isNull = op === 'Null';
    const fn = OPERATORS[op];
    if (!fn && !isNull) return 'unsupported';
    for (const [key, polRaw] of Object.entries(block as Record<string, unknown>)) {
      if (!ctx.isSupported(key)) return 'unsupported';
      const policyValues = asStrings(polRaw);
      const reqRaw = ctx.get(key);
      if (reqRaw === undefined && ctx.allKeysSupported && !isNull) ctx.missing.add(key);
      let ok: boolean;
      if (isNull) {
        const present = reqRaw !== undefined && !(Array.isArray(reqRaw) && reqRaw.length === 0);
        ok = policyValues.some((pv) => (pv.toLowerCase() === 'true' ? !present : present));
      } else if (reqRaw === undefined || (Array.isArray(reqRaw) && reqRaw.length === 0)) {
        ok = ifExists || setOp === 'all' || (NEGATED.has(op) && setOp === undefined);
      } else {
        const negated = NEGATED.has(op);
        const single = (rv: string) => {
          const any = policyValues.some((pv) => {
            const s = substitute(pv, ctx);
            return s !== undefined && fn(rv, s);
          });
          return negated ? !any : any;
        };
        const reqValues = Array.isArray(reqRaw) ? reqRaw : [reqRaw];
        ok = setOp === 'all' ? reqValues.every(single) : reqValues.some(single);
      }
      if (!ok) result = 'false';
    }
  }
  return result;
}

// ---------------------------------------------------------------- identity policies

export interface NamedPolicy {
  /** policy name (inline) or ARN (managed) */
  id: string;
  type: 'IAM Policy' | 'Session Policy';
  document: PolicyDocument;
}

export interface MatchedStatement {
  sourcePolicyId: string;
  sourcePolicyType: string;
  effect: 'Allow' | 'Deny';
  statementIndex: number;
}

export interface IdentityResult {
  decision: Decision;
  matched: MatchedStatement[];
}

/** Evaluate identity-based policies for one action on one resource (no resource policy involved). */
export function evaluateIdentity(policies: NamedPolicy[], action: string, resource: string, ctx: RequestContext): IdentityResult {
  const matched: MatchedStatement[] = [];
  let allowed = false;
  let denied = false;
  for (const pol of policies) {
    statementsOf(pol.document).forEach((stmt, idx) => {
      const effect = stmt.Effect;
      if (effect !== 'Allow' && effect !== 'Deny') return;
      if (!actionMatches(stmt, action)) return;
      if (!resourceMatches(stmt, resource, ctx)) return;
      const c = evalCondition(stmt.Condition, ctx);
      const applies = c === 'true' || (c === 'unsupported' && effect === 'Deny');
      if (!applies) return;
      matched.push({ sourcePolicyId: pol.id, sourcePolicyType: pol.type, effect, statementIndex: idx });
      if (effect === 'Deny') denied = true;
      else allowed = true;
    });
  }
  return { decision: denied ? 'explicitDeny' : allowed ? 'allowed' : 'implicitDeny', matched };
}

// ---------------------------------------------------------------- trust policies

export interface CallerPrincipal {
  kind: 'user' | 'assumed-role' | 'root';
  account: string;
  /** user ARN, role ARN (with path) or arn:aws:iam::<acct>:root: what aws:PrincipalArn holds */
  principalArn: string;
  /** arn:aws:sts::<acct>:assumed-role/<name>/<session> for sessions */
  sessionArn?: string;
  /** AIDA…/AROA… */
  uniqueId?: string;
}

/** 'direct' = the caller's own ARN (or id) is named; 'account' = the account, its root, or `*`. */
type PrincipalMatch = 'direct' | 'account' | null;

function matchAwsPrincipal(entry: string, caller: CallerPrincipal): PrincipalMatch {
  if (entry === '*') return 'account';
  if (/^\d{12}$/.test(entry)) return entry === caller.account ? 'account' : null;
  const root = /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(entry);
  if (root) return root[1] === caller.account ? 'account' : null;
  if (caller.kind === 'root') return null;
  if (entry === caller.principalArn) return 'direct';
  if (caller.sessionArn && entry === caller.sessionArn) return 'direct';
  if (caller.uniqueId && entry === caller.uniqueId) return 'direct';
  return null;
}

function matchPrincipalElement(principal: unknown, caller: CallerPrincipal): PrincipalMatch {
  if (principal === '*') return 'account';
  if (!principal || typeof principal !== 'object' || Array.isArray(principal)) return null;
  let best: PrincipalMatch = null;
  for (const [type, value] of Object.entries(principal as Record<string, unknown>)) {
    if (type !== 'AWS') continue; // Service, Federated, CanonicalUser never match an IAM caller
    for (const entry of asStrings(value)) {
      const m = matchAwsPrincipal(entry, caller);
      if (m === 'direct') return 'direct';
      if (m === 'account') best = 'account';
    }
  }
  return best;
}

export type TrustDecision = 'explicitDeny' | 'allowedDirect' | 'allowedAccount' | 'implicitDeny';

export function evaluateTrust(doc: PolicyDocument, action: string, caller: CallerPrincipal, ctx: RequestContext): TrustDecision {
  let best: TrustDecision = 'implicitDeny';
  for (const stmt of statementsOf(doc)) {
    const effect = stmt.Effect;
    if (effect !== 'Allow' && effect !== 'Deny') continue;
    if (!actionMatches(stmt, action)) continue;
    let pm: PrincipalMatch;
    if (stmt.Principal !== undefined) pm = matchPrincipalElement(stmt.Principal, caller);
    else if (stmt.NotPrincipal !== undefined) pm = matchPrincipalElement(stmt.NotPrincipal, caller) ? null : 'account';
    else continue;
    if (!pm) continue;
    const c = evalCondition(stmt.Condition, ctx);
    if (effect === 'Deny') {
      if (c !== 'false') return 'explicitDeny';
      continue;
    }
    if (c !== 'true') continue;
    if (pm === 'direct') best = 'allowedDirect';
    else if (best === 'implicitDeny') best = 'allowedAccount';
  }
  return best;
}
