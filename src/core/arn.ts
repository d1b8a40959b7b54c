// ARNs of roles and callers across partitions, account ids, and role session names.
// A small parser of our own: the core never loads SDK code at runtime.

import { RoleValidationError } from './errors';

export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b'] as const;
export type Partition = (typeof PARTITIONS)[number];

export interface RoleArn {
  readonly partition: string;
  readonly accountId: string;
  /** `/` or `/a/b/`. */
  readonly path: string;
  readonly roleName: string;
  /** The ARN as given. */
  readonly arn: string;
}

export type CallerKind = 'user' | 'assumedRole' | 'role' | 'root' | 'federatedUser';

export interface CallerArn {
  readonly kind: CallerKind;
  readonly partition: string;
  readonly accountId: string;
  /** User name, role name, federated user name, or 'root'. */
  readonly name: string;
  /** The session of an assumed role. */
  readonly sessionName?: string;
}

/** IAM role and user names: 1–64 of [\w+=,.@-]. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** IAM paths: `/` or `/…/` of printable ASCII, at most 512 characters (the IAM API's pattern). */
const IAM_PATH = /^(?:\/|\/[\u0021-\u007e]+\/)$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export function isAccountId(s: unknown): s is string {
  return typeof s === 'string' && /^\d{12}$/.test(s);
}

export function isPartition(s: unknown): s is Partition {
  return typeof s === 'string' && (PARTITIONS as readonly string[]).includes(s);
}

const rule = (id: string, message: string, field = 'roleArn') => new RoleValidationError(id, field, message);

/** Splits `arn:partition:service:region:account:resource` (the resource may contain colons). */
function splitArn(arn: unknown, field: string): { partition: string; service: string; region: string; account: string; resource: string } {
  if (typeof arn !== 'string' || !arn.startsWith('arn:')) throw rule('arn-format', 'Role ARN must start with "arn:"', field);
  // The first five colons separate the parts; the resource keeps any further ones.
  const c1 = 3; // arn.indexOf(':') — the one after "arn"
  const c2 = arn.indexOf(':', c1 + 1);
  const c3 = c2 === -1 ? -1 : arn.indexOf(':', c2 + 1);
  const c4 = c3 === -1 ? -1 : arn.indexOf(':', c3 + 1);
  const c5 = c4 === -1 ? -1 : arn.indexOf(':', c4 + 1);
  if (c5 === -1) throw rule('arn-format', 'Role ARN must have six parts: arn:partition:service:region:account:resource', field);
  return { partition: arn.slice(c1 + 1, c2), service: arn.slice(c2 + 1, c3), region: arn.slice(c3 + 1, c4), account: arn.slice(c4 + 1, c5), resource: arn.slice(c5 + 1) };
}

/**
 * Parses and validates a role ARN, `arn:<partition>:iam::<12 digits>:role[/path/]<name>`.
 * Throws RoleValidationError naming the first rule broken.
 */
export function parseRoleArn(arn: string): RoleArn {
  const a = splitArn(arn, 'roleArn');
  if (!isPartition(a.partition)) throw rule('arn-partition', `Partition must be one of ${PARTITIONS.join(', ')}`);
  if (a.service !== 'iam') throw rule('arn-service', 'Service of a role ARN must be iam');
  if (a.region !== '') throw rule('arn-region', 'Region of a role ARN must be empty (arn:aws:iam::…)');
  if (!isAccountId(a.account)) throw rule('account-id', 'Account ID must be 12 digits');
  if (!a.resource.startsWith('role/')) throw rule('arn-resource', 'Resource of a role ARN must start with role/');
  const rest = a.resource.slice('role/'.length);
  const slash = rest.lastIndexOf('/');
  const path = slash === -1 ? '/' : `/${rest.slice(0, slash + 1)}`;
  const roleName = rest.slice(slash + 1);
  if (path.length > 512 || !IAM_PATH.test(path)) throw rule('role-path', 'Role path must be / or /segments/ of printable ASCII, at most 512 characters');
  if (!ROLE_NAME.test(roleName)) throw rule('role-name', 'Role name must be 1 to 64 characters of letters, digits and +=,.@_-');
  return { partition: a.partition, accountId: a.account, path, roleName, arn };
}

/** Builds a role ARN, validating it. `path` may omit its leading or trailing slash. */
export function roleArn(partition: string, accountId: string, roleName: string, path = '/'): string {
  let p = path || '/';
  if (!p.startsWith('/')) p = `/${p}`;
  if (!p.endsWith('/')) p = `${p}/`;
  const arn = `arn:${partition}:iam::${accountId}:role${p}${roleName}`;
  if (!isAccountId(accountId)) throw rule('account-id', 'Account ID must be 12 digits', 'accountId');
  if (!ROLE_NAME.test(roleName)) throw rule('role-name', 'Role name must be 1 to 64 characters of letters, digits and +=,.@_-', 'roleName');
  if (!isPartition(partition)) throw rule('arn-partition', `Partition must be one of ${PARTITIONS.join(', ')}`, 'partition');
  return parseRoleArn(arn).arn;
}

/**
 * Parses the ARN of a caller (GetCallerIdentity, AssumedRoleUser):
 * `arn:P:iam::A:user/path/u`, `arn:P:sts::A:assumed-role/R/s`, `arn:P:iam::A:role/path/R`,
 * `arn:P:iam::A:root`, `arn:P:sts::A:federated-user/u`. Returns undefined for anything else.
 */
export function parseCallerArn(arn: string): CallerArn | undefined {
  let a: ReturnType<typeof splitArn>;
  try {
    a = splitArn(arn, 'callerArn');
  } catch {
    return undefined;
  }
  if (!isPartition(a.partition) || a.region !== '' || !isAccountId(a.account)) return undefined;
  const base = { partition: a.partition, accountId: a.account };
  const r = a.resource;
  if (a.service === 'iam') {
    if (r === 'root') return { kind: 'root', ...base, name: 'root' };
    const m = /^(user|role)\/(?:[\u0021-\u007e]*\/)?([\w+=,.@-]{1,64})$/.exec(r);
    if (!m) return undefined;
    return { kind: m[1] === 'user' ? 'user' : 'role', ...base, name: m[2] };
  }
  if (a.service === 'sts') {
    const ar = /^assumed-role\/([\w+=,.@-]{1,64})\/([\w+=,.@-]{1,64})$/.exec(r);
    if (ar) return { kind: 'assumedRole', ...base, name: ar[1], sessionName: ar[2] };
    const fu = /^federated-user\/([\w+=,.@-]{1,64})$/.exec(r);
    if (fu) return { kind: 'federatedUser', ...base, name: fu[1] };
  }
  return undefined;
}

/**
 * Makes any text a valid RoleSessionName: characters outside [\w+=,.@-] become `-`, the result is
 * cut to 64 characters and padded with `-` to at least 2.
 */
export function sanitizeSessionName(s: string): string {
  // One '-' per code point outside the allowed set (the `u` flag keeps surrogate pairs whole).
  const clean = String(s ?? '').replace(/[^\w+=,.@-]/gu, '-');
  return clean.slice(0, 64).padEnd(2, '-');
}

/**
 * The session name for a hop: the caller's user name or session name (so CloudTrail shows who),
 * else `fallback`; always valid.
 */
export function deriveSessionName(callerArn: string | undefined, fallback = 'role-switcher'): string {
  const c = callerArn ? parseCallerArn(callerArn) : undefined;
  let name: string | undefined;
  switch (c?.kind) {
    case 'user':
    case 'federatedUser':
      name = c.name;
      break;
    case 'assumedRole':
      name = c.sessionName;
      break;
    default:
      name = undefined;
  }
  return sanitizeSessionName(name || fallback || 'role-switcher');
}

/** Throws RoleValidationError unless `s` is 2–64 characters of [\w+=,.@-]. */
export function validateSessionName(s: string): string {
  if (typeof s !== 'string' || !SESSION_NAME.test(s)) {
    throw new RoleValidationError('session-name', 'sessionName', 'Session name must be 2 to 64 characters of letters, digits and +=,.@_-');
  }
  return s;
}
