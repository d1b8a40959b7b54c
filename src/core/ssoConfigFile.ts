// IAM Identity Center in the shared config file: `[sso-session NAME]` sections (sso_start_url,
// sso_region, sso_registration_scopes), profiles that name one with `sso_session` plus
// `sso_account_id` and `sso_role_name`, and the legacy per-profile form (`sso_start_url` and
// `sso_region` on the profile itself). Output: the access portals (SsoPortal, ids per ssoTypes.ts),
// per SSO profile its permission set (SsoRoleRef) and its role (origin 'sso'), with line-numbered
// ConfigErrors like profiles.ts for what the AWS SDK (fromSSO's validation) would refuse.
// Part of dist/features.js (host/features.ts): the catalog loads it only when the files have
// IAM Identity Center settings (hasSsoSettings), so other users never pay for it.

import { ConfigError, showName } from './errors';
import { configFileSections, parseIni, type IniSection } from './ini';
import type { Profile } from './profiles';
import { isSsoProfile, sessionPortalId, ssoRefOf } from './ssoConfig';
import type { SsoPortal, SsoRoleRef } from './ssoTypes';
import type { RoleDefinition } from './types';

export interface SsoConfig {
  /** sso-session sections first (file order), then the legacy start URLs (first profile's region). */
  readonly portals: SsoPortal[];
  /** Per SSO profile name, the permission set it stands for (only the profiles that resolve). */
  readonly refs: Map<string, SsoRoleRef>;
  readonly errors: ConfigError[];
}

/**
 * Reads the IAM Identity Center part of the config file: every `[sso-session NAME]` section becomes a
 * portal (one without sso_start_url or sso_region is an error instead), every legacy start URL a
 * portal too, and every SSO profile of `profiles` (loadProfiles' output for the same files) its
 * permission set. Never throws; problems come back in `errors`, one per broken section or profile.
 */
export function readSsoConfig(configText: string | undefined, configFile: string, profiles: ReadonlyMap<string, Profile>): SsoConfig {
  const portals: SsoPortal[] = [];
  const refs = new Map<string, SsoRoleRef>();
  const errors: ConfigError[] = [];
  const sessions = new Map<string, { section: IniSection; portal?: SsoPortal }>();

  if (typeof configText === 'string') {
    for (const [, section] of configFileSections(parseIni(configText, configFile))) {
      if (section.type !== 'sso-session') continue;
      const entry: { section: IniSection; portal?: SsoPortal } = { section };
      sessions.set(section.name, entry);
      const header = `[sso-session ${showName(section.name)}]`;
      const url = section.entries.get('sso_start_url')?.value.trim();
      const region = section.entries.get('sso_region')?.value.trim();
      if (!url) {
        errors.push(new ConfigError(`${header} has no sso_start_url; add sso_start_url = https://<your portal>.awsapps.com/start`, { file: configFile, line: section.line }));
        continue;
      }
      if (!region) {
        errors.push(new ConfigError(`${header} has no sso_region; add sso_region = <the region of your IAM Identity Center, e.g. us-east-1>`, { file: configFile, line: section.line }));
        continue;
      }
      const scopes = (section.entries.get('sso_registration_scopes')?.value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const portal: SsoPortal = {
        id: sessionPortalId(section.name),
        startUrl: url,
        region,
        ...(scopes.length ? { scopes } : {}),
        source: 'sso-session',
        sessionName: section.name,
        file: configFile,
        line: section.line,
      };
      entry.portal = portal;
      portals.push(portal);
    }
  }

  const legacy = new Map<string, SsoPortal>();
  for (const p of profiles.values()) {
    if (p.role_arn !== undefined || !isSsoProfile(p)) continue;
    try {
      const ref = ssoRefOf(p);
      const session = p.raw.sso_session;
      if (session !== undefined) {
        const s = sessions.get(session);
        const w = p.where.get('sso_session');
        const at = { file: w?.file ?? p.file, line: w?.line ?? p.line, profile: p.name };
        if (!s) throw new ConfigError(`sso_session "${showName(session)}" of profile "${showName(p.name)}" names no [sso-session ${showName(session)}] section in ${configFile}; add the section (sso_start_url, sso_region) or fix the name`, at);
        if (!s.portal) throw new ConfigError(`profile "${showName(p.name)}" uses [sso-session ${showName(session)}] (line ${s.section.line}), which is incomplete (see the error there)`, at);
        for (const [key, value] of [['sso_start_url', s.portal.startUrl], ['sso_region', s.portal.region]] as const) {
          const own = p.where.get(key);
          if (own && own.value.trim() !== value) {
            throw new ConfigError(`${key} of profile "${showName(p.name)}" (${showName(own.value)}) conflicts with ${key} of [sso-session ${showName(session)}] (${showName(value)}, line ${s.section.entries.get(key)?.line ?? s.section.line}); remove it from the profile`, { file: own.file, line: own.line, profile: p.name });
          }
        }
      } else if (!legacy.has(ref.portalId)) {
        const w = p.where.get('sso_start_url');
        const portal: SsoPortal = { id: ref.portalId, startUrl: p.raw.sso_start_url, region: p.raw.sso_region.trim(), source: 'legacy-profile', file: w?.file ?? p.file, line: w?.line ?? p.line };
        legacy.set(ref.portalId, portal);
      }
      refs.set(p.name, ref);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      errors.push(e);
    }
  }
  portals.push(...legacy.values());
  return { portals, refs, errors };
}

/** The partition of an IAM Identity Center region. */
export function ssoPartition(region: string): string {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : region.startsWith('us-iso') ? (region.startsWith('us-isob') ? 'aws-iso-b' : 'aws-iso') : 'aws';
}

/**
 * The roles of the SSO profiles (origin 'sso', id `profile:<name>`, no hops, base `{ kind: 'sso' }`):
 * each is the permission set its profile names. The role ARN is the IAM role AWS makes for a
 * permission set, without the random suffix AWS adds (not knowable before a call).
 */
export function ssoProfileRoles(profiles: ReadonlyMap<string, Profile>, config: Pick<SsoConfig, 'portals' | 'refs'>): RoleDefinition[] {
  const out: RoleDefinition[] = [];
  for (const [name, sso] of config.refs) {
    const p = profiles.get(name);
    const portal = config.portals.find((x) => x.id === sso.portalId);
    if (!p || !portal) continue;
    const partition = ssoPartition(portal.region);
    const role: { -readonly [K in keyof RoleDefinition]: RoleDefinition[K] } = {
      id: `profile:${name}`,
      origin: 'sso',
      label: name,
      roleArn: `arn:${partition}:iam::${sso.accountId}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${sso.roleName}`,
      accountId: sso.accountId,
      partition,
      roleName: sso.roleName,
      hops: [],
      base: { kind: 'sso', sso },
      profile: name,
      sso,
    };
    if (p.region !== undefined) role.region = p.region;
    out.push(role);
  }
  return out;
}

/**
 * Roles (from rolesFromProfiles / rolesFromSettings) whose plan starts at an SSO profile that does not
 * resolve to a configured portal (its sso-session section is missing or broken): they are dropped,
 * with one error each naming the role and the portal, so they fail in the list, not at switch time.
 */
export function dropUnconfiguredSso(roles: readonly RoleDefinition[], portals: readonly SsoPortal[]): { roles: RoleDefinition[]; errors: ConfigError[] } {
  const ids = new Set(portals.map((p) => p.id));
  const kept: RoleDefinition[] = [];
  const errors: ConfigError[] = [];
  for (const r of roles) {
    if (r.base.kind === 'sso' && !ids.has(r.base.sso.portalId) && r.origin !== 'sso') {
      errors.push(new ConfigError(`role "${showName(r.label)}" starts from an IAM Identity Center profile whose portal (${showName(r.base.sso.portalId)}) is not configured; fix its sso_session or sso_start_url`, { file: '', profile: r.profile }));
      continue;
    }
    kept.push(r);
  }
  return { roles: kept, errors };
}

/**
 * The catalog's one call: the portals and permission sets of the files, the file roles to keep
 * (dropUnconfiguredSso) with the SSO profiles' roles added, and every problem found.
 */
export function ssoCatalog(configText: string | undefined, configFile: string, profiles: ReadonlyMap<string, Profile>, fileRoles: readonly RoleDefinition[]): { portals: SsoPortal[]; refs: Map<string, SsoRoleRef>; roles: RoleDefinition[]; errors: ConfigError[] } {
  const sso = readSsoConfig(configText, configFile, profiles);
  const kept = dropUnconfiguredSso(fileRoles, sso.portals);
  return { portals: sso.portals, refs: sso.refs, roles: [...kept.roles, ...ssoProfileRoles(profiles, sso)], errors: [...sso.errors, ...kept.errors] };
}
