// The role catalog: RoleDefinitions from config profiles and from the roleSwitcher.roles setting,
// grouping by account, and validation of the "Add Role…" form.

import { PARTITIONS, isAccountId, isPartition, parseRoleArn, roleArn as buildRoleArn, validateSessionName, type RoleArn } from './arn';
import { ConfigError, RoleValidationError } from './errors';
import { planFromSourceProfile, RoleResolver, type Profile } from './profiles';
import type { AssumeHop, BaseSource, RoleDefinition, RoleOrigin } from './types';

/** Every profile with a role_arn becomes a role; a profile that does not resolve becomes an error instead. */
export function rolesFromProfiles(profiles: ReadonlyMap<string, Profile>): { roles: RoleDefinition[]; errors: ConfigError[] } {
  const roles: RoleDefinition[] = [];
  const errors: ConfigError[] = [];
  const seen = new Set<string>();
  // Chains share their tails: resolve each profile once (same results as resolveRoleProfile).
  const resolver = new RoleResolver(profiles);
  for (const p of profiles.values()) {
    if (p.role_arn === undefined) continue;
    try {
      const { hops, base, arn } = resolver.resolve(p.name);
      const id = `profile:${p.name}`;
      roles.push(
        p.region !== undefined
          ? { id, origin: 'profile', label: p.name, roleArn: arn.arn, accountId: arn.accountId, partition: arn.partition, roleName: arn.roleName, region: p.region, hops, base, profile: p.name }
          : { id, origin: 'profile', label: p.name, roleArn: arn.arn, accountId: arn.accountId, partition: arn.partition, roleName: arn.roleName, hops, base, profile: p.name },
      );
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      // A broken profile deep in a chain breaks every role above it; say it once.
      if (!seen.has(e.message)) {
        seen.add(e.message);
        errors.push(e);
      }
    }
  }
  return { roles, errors };
}

const REGION = /^[a-z]{2,}(?:-[a-z]+)+-\d{1,2}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const MFA_SERIAL = /^[\w+=/:,.@-]{9,256}$/;
/** `#rgb` / `#rrggbb` / `#rrggbbaa`, or a theme color id such as `charts.red` or `terminal.ansiGreen`. */
const COLOR = /^(?:#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})|[a-zA-Z][a-zA-Z0-9]*(?:\.[a-zA-Z][a-zA-Z0-9]*)*)$/;
const MAX_LABEL = 100;

export function isValidColor(s: string): boolean {
  return COLOR.test(s);
}

export function isValidRegion(s: string): boolean {
  return REGION.test(s);
}

/**
 * Roles from the `roleSwitcher.roles` setting. Each item is `{ roleArn }` or
 * `{ accountId, roleName, partition? }`, plus optional label, sourceProfile, externalId, mfaSerial,
 * durationSeconds, region, color, sessionName. The base is the item's sourceProfile, else
 * `defaults.sourceProfile`, else the default credential chain. With `defaults.profiles` (the shared
 * files' profiles), a sourceProfile is planned like a source_profile in the files: a role profile
 * without keys contributes its own hops in front of the role's, a profile with keys gives its keys
 * (see planFromSourceProfile), so the SDK never resolves a role profile on its own. Without them the
 * profile is left to the SDK by name.
 */
export function rolesFromSettings(
  entries: unknown,
  defaults: { sourceProfile?: string; profiles?: ReadonlyMap<string, Profile> } = {},
): { roles: RoleDefinition[]; errors: RoleValidationError[] } {
  const roles: RoleDefinition[] = [];
  const errors: RoleValidationError[] = [];
  if (entries === undefined || entries === null) return { roles, errors };
  if (!Array.isArray(entries)) {
    errors.push(new RoleValidationError('settings-shape', 'roles', 'roleSwitcher.roles must be a list of roles'));
    return { roles, errors };
  }
  const seen = new Set<string>();
  entries.forEach((item: unknown, index) => {
    try {
      const role = settingsRole(item, index, defaults);
      if (seen.has(role.roleArn)) {
        throw new RoleValidationError('duplicate', 'roleArn', `${role.roleArn} is listed more than once`);
      }
      seen.add(role.roleArn);
      roles.push(role);
    } catch (e) {
      if (!(e instanceof RoleValidationError)) throw e;
      errors.push(new RoleValidationError(e.rule, e.field, `item ${index + 1}${labelOf(item)}: ${e.message}`, index));
    }
  });
  return { roles, errors };
}

function labelOf(item: unknown): string {
  const l = (item as { label?: unknown } | null)?.label;
  return typeof l === 'string' && l.trim() ? ` ("${l.trim().slice(0, 40)}")` : '';
}

function settingsRole(item: unknown, _index: number, defaults: { sourceProfile?: string; profiles?: ReadonlyMap<string, Profile> }): RoleDefinition {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new RoleValidationError('settings-shape', 'role', 'each role must be an object such as { "roleArn": "arn:aws:iam::123456789012:role/Admin" }');
  }
  const o = item as Record<string, unknown>;
  const str = (k: string): string | undefined => {
    const v = o[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new RoleValidationError('type', k, `${k} must be a string`);
    const t = v.trim();
    return t === '' ? undefined : t;
  };

  const arnText = str('roleArn');
  const accountIdRaw = o.accountId;
  const accountText = typeof accountIdRaw === 'number' ? String(accountIdRaw) : str('accountId');
  const roleNameText = str('roleName');
  let arn: RoleArn;
  if (arnText !== undefined) {
    if (accountText !== undefined || roleNameText !== undefined) {
      throw new RoleValidationError('role-ref', 'roleArn', 'give either roleArn, or accountId and roleName, not both');
    }
    arn = parseRoleArn(arnText);
  } else {
    if (accountText === undefined || roleNameText === undefined) {
      throw new RoleValidationError('role-ref', 'roleArn', 'each role needs roleArn, or accountId and roleName');
    }
    const partition = str('partition') ?? 'aws';
    if (!isPartition(partition)) throw new RoleValidationError('arn-partition', 'partition', `Partition must be one of ${PARTITIONS.join(', ')}`);
    if (!isAccountId(accountText)) throw new RoleValidationError('account-id', 'accountId', 'Account ID must be 12 digits');
    arn = parseRoleArn(buildRoleArn(partition, accountText, roleNameText));
  }

  const label = str('label') ?? arn.roleName;
  if (label.length > MAX_LABEL || /\p{Cc}/u.test(label)) {
    throw new RoleValidationError('label', 'label', `Label must be at most ${MAX_LABEL} characters, without control characters`);
  }
  const sourceProfile = str('sourceProfile') ?? (defaults.sourceProfile?.trim() || undefined);
  const externalId = str('externalId');
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
    throw new RoleValidationError('external-id', 'externalId', 'External ID must be 2 to 1224 characters of letters, digits and +=,.@:/-_');
  }
  const mfaSerial = str('mfaSerial');
  if (mfaSerial !== undefined && !MFA_SERIAL.test(mfaSerial)) {
    throw new RoleValidationError('mfa-serial', 'mfaSerial', 'MFA serial must be an MFA device ARN or serial number (9 to 256 characters)');
  }
  let durationSeconds: number | undefined;
  if (o.durationSeconds !== undefined && o.durationSeconds !== null) {
    const d = o.durationSeconds;
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 900 || d > 43200) {
      throw new RoleValidationError('duration', 'durationSeconds', 'Duration must be a whole number of seconds from 900 to 43200');
    }
    durationSeconds = d;
  }
  const region = str('region');
  if (region !== undefined && !REGION.test(region)) {
    throw new RoleValidationError('region', 'region', 'Region must look like us-east-1');
  }
  const color = str('color');
  if (color !== undefined && !COLOR.test(color)) {
    throw new RoleValidationError('color', 'color', 'Color must be #rrggbb or a theme color id such as charts.red');
  }
  const sessionName = str('sessionName');
  if (sessionName !== undefined) validateSessionName(sessionName);

  const hop: AssumeHop = {
    roleArn: arn.arn,
    ...(externalId !== undefined ? { externalId } : {}),
    ...(mfaSerial !== undefined ? { mfaSerial } : {}),
    ...(durationSeconds !== undefined ? { durationSeconds } : {}),
    ...(sessionName !== undefined ? { roleSessionName: sessionName } : {}),
  };
  let base: BaseSource = sourceProfile !== undefined ? { kind: 'profile', profile: sourceProfile } : { kind: 'default' };
  let hops: AssumeHop[] = [hop];
  if (sourceProfile !== undefined && defaults.profiles) {
    try {
      const plan = planFromSourceProfile(defaults.profiles, sourceProfile);
      base = plan.base;
      hops = [...plan.hops, hop];
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      throw new RoleValidationError('source-profile', 'sourceProfile', `sourceProfile "${sourceProfile}" cannot be used: ${e.message}`);
    }
  }
  return {
    id: `settings:${arn.arn}`,
    origin: 'settings',
    label,
    roleArn: arn.arn,
    accountId: arn.accountId,
    partition: arn.partition,
    roleName: arn.roleName,
    ...(region !== undefined ? { region } : {}),
    ...(color !== undefined ? { color } : {}),
    hops,
    base,
  };
}

export interface AccountGroup {
  readonly accountId: string;
  readonly alias?: string;
  /** `alias (account id)` when the alias is known, else the account id. */
  readonly label: string;
  readonly roles: RoleDefinition[];
}

const ORIGIN_RANK: Record<RoleOrigin, number> = { profile: 0, settings: 1, discovered: 2, organization: 3, sso: 4 };

/** The identity of a role in IAM: names are unique per account without regard to case or path. */
function roleKey(r: RoleDefinition): string {
  return `${r.partition}:${r.accountId}:${r.roleName.toLowerCase()}`;
}

// One collator for every comparison: `localeCompare` with options builds one per call (100 ms for
// 2,000 roles); Intl.Collator#compare orders exactly as it does. Built on the first comparison, not
// when the module loads: the first collator initializes ICU (~15 ms), which activation must not pay.
let collator: Intl.Collator | undefined;
export const compareLabels = (a: string, b: string): number => {
  const x = (collator ??= new Intl.Collator('en', { sensitivity: 'base', numeric: true })).compare(a, b);
  return x !== 0 ? x : a < b ? -1 : a > b ? 1 : 0;
};
const compare = compareLabels;

/**
 * Groups roles by account, groups sorted by label, roles by label. The same role coming from several
 * origins is listed once, from the best origin (profile > settings > discovered > organization);
 * distinct profiles naming the same role all stay.
 */
export function groupByAccount(roles: readonly RoleDefinition[], aliases: ReadonlyMap<string, string>): AccountGroup[] {
  const best = new Map<string, number>();
  for (const r of roles) {
    const k = roleKey(r);
    const rank = ORIGIN_RANK[r.origin] ?? 9;
    best.set(k, Math.min(best.get(k) ?? rank, rank));
  }
  const kept: RoleDefinition[] = [];
  const keptNonProfile = new Set<string>();
  const ids = new Set<string>();
  for (const r of roles) {
    const k = roleKey(r);
    if ((ORIGIN_RANK[r.origin] ?? 9) !== best.get(k)) continue;
    if (ids.has(r.id)) continue;
    if (r.origin !== 'profile') {
      if (keptNonProfile.has(k)) continue;
      keptNonProfile.add(k);
    }
    ids.add(r.id);
    kept.push(r);
  }

  const groups = new Map<string, RoleDefinition[]>();
  for (const r of kept) {
    const list = groups.get(r.accountId);
    if (list) list.push(r);
    else groups.set(r.accountId, [r]);
  }
  const out: AccountGroup[] = [];
  for (const [accountId, list] of groups) {
    const alias = aliases.get(accountId);
    list.sort((a, b) => compare(a.label, b.label) || compare(a.id, b.id));
    out.push({ accountId, ...(alias ? { alias } : {}), label: alias ? `${alias} (${accountId})` : accountId, roles: list });
  }
  out.sort((a, b) => compare(a.label, b.label) || compare(a.accountId, b.accountId));
  return out;
}

export interface AddRoleInput {
  readonly account?: string;
  readonly roleName?: string;
  readonly label?: string;
  readonly color?: string;
}

export interface AddRoleValidation {
  readonly ok: boolean;
  /** One message per invalid field; absent when the field is fine. */
  readonly account?: string;
  readonly roleName?: string;
  readonly label?: string;
  readonly color?: string;
  /** The account is an alias (not an id): it has to be resolved to an id before saving. */
  readonly accountIsAlias?: boolean;
}

const ACCOUNT_ALIAS = /^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/;

/** Validate-as-you-type for the "Add Role…" form. Empty optional fields are fine. */
export function validateAddRoleInput(input: AddRoleInput): AddRoleValidation {
  const out: { -readonly [K in keyof AddRoleValidation]: AddRoleValidation[K] } = { ok: true };
  const account = (input.account ?? '').trim();
  if (account === '') out.account = 'Enter the 12-digit account ID or the account alias';
  else if (/^[\d\s-]+$/.test(account) && /\d/.test(account)) {
    if (!isAccountId(account)) out.account = 'Account ID must be 12 digits';
  } else if (!ACCOUNT_ALIAS.test(account)) {
    out.account = 'Account alias must be 3 to 63 characters of a-z, 0-9 and -, not starting or ending with -';
  } else {
    out.accountIsAlias = true;
  }

  const roleName = (input.roleName ?? '').trim();
  if (roleName === '') out.roleName = 'Enter the role name';
  else if (!/^[\w+=,.@-]{1,64}$/.test(roleName)) out.roleName = 'Role name must be 1 to 64 characters of letters, digits and +=,.@_-';

  const label = (input.label ?? '').trim();
  if (label.length > MAX_LABEL) out.label = `Label must be at most ${MAX_LABEL} characters`;
  else if (/\p{Cc}/u.test(label)) out.label = 'Label must not contain control characters';

  const color = (input.color ?? '').trim();
  if (color !== '' && !COLOR.test(color)) out.color = 'Color must be #rrggbb or a theme color id such as charts.red';

  out.ok = !out.account && !out.roleName && !out.label && !out.color;
  return out;
}
