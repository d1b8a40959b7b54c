// IAM Identity Center profiles of the shared config file, the part the hop plan needs (profiles.ts
// sourceBase, in dist/extension.js): which profiles are SSO profiles, and the permission set
// (SsoRoleRef) each stands for, with line-numbered ConfigErrors like profiles.ts. Reading the
// `[sso-session NAME]` sections into portals, and the checks that need them, is ssoConfigFile.ts
// (in dist/features.js, loaded only when the files have IAM Identity Center settings).
//
// What counts as an SSO profile follows @aws-sdk/credential-provider-ini: a profile with any of the
// sso_* keys, and no access keys, no role_arn and no credential_process (those win in the SDK's
// order). A role profile whose source_profile chain ends in one gets the base `{ kind: 'sso' }`
// (profiles.ts sourceBase, through ssoRefOf below).

import { isAccountId } from './arn';
import { ConfigError, showName } from './errors';
import type { Profile } from './profiles';
import type { SsoRoleRef } from './ssoTypes';

export const SSO_KEYS = ['sso_session', 'sso_start_url', 'sso_region', 'sso_account_id', 'sso_role_name'] as const;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** The portal id of an sso-session section (ssoTypes.ts). */
export function sessionPortalId(name: string): string {
  return `session:${name}`;
}

/** The portal id of a legacy profile's start URL, or of a settings entry (ssoTypes.ts). */
export function urlPortalId(startUrl: string): string {
  return `url:${startUrl}`;
}

/** A profile the SDK would resolve with fromSSO when it ends a source_profile chain (see the header). */
export function isSsoProfile(p: Profile): boolean {
  if (p.hasStaticKeys || p.credential_process !== undefined) return false;
  return SSO_KEYS.some((k) => p.where.has(k));
}

/**
 * The permission set of SSO profile `p`, from the profile alone (no sso-session section needed: the
 * portal id is the session's name, or the legacy start URL). Throws ConfigError, at the line of the
 * offending value (else the profile's header), for a missing or invalid sso_account_id or
 * sso_role_name, and for a legacy profile without sso_start_url or sso_region. readSsoConfig (ssoConfigFile.ts)
 * checks the rest (the named section exists, no conflicting start URL or region).
 */
export function ssoRefOf(p: Profile): SsoRoleRef {
  const name = showName(p.name);
  const at = (key: string) => {
    const w = p.where.get(key);
    return w ? { file: w.file, line: w.line, profile: p.name } : { file: p.file, line: p.line, profile: p.name };
  };
  const session = p.raw.sso_session;
  let portalId: string;
  if (session !== undefined) {
    if (session.trim() === '') throw new ConfigError(`sso_session of profile "${name}" is empty; name an [sso-session NAME] section`, at('sso_session'));
    portalId = sessionPortalId(session);
  } else {
    const url = p.raw.sso_start_url;
    if (url === undefined || url.trim() === '') {
      throw new ConfigError(`profile "${name}" has IAM Identity Center settings but neither sso_session nor sso_start_url; add sso_session = NAME (an [sso-session NAME] section) or sso_start_url`, at(url === undefined ? SSO_KEYS.find((k) => p.where.has(k)) ?? 'sso_start_url' : 'sso_start_url'));
    }
    if (p.raw.sso_region === undefined || p.raw.sso_region.trim() === '') {
      throw new ConfigError(`profile "${name}" has sso_start_url but no sso_region; add sso_region = <the region of your IAM Identity Center, e.g. us-east-1>`, at('sso_start_url'));
    }
    portalId = urlPortalId(url);
  }
  const accountId = p.raw.sso_account_id;
  const roleName = p.raw.sso_role_name;
  if (accountId === undefined || roleName === undefined) {
    const missing = [accountId === undefined ? 'sso_account_id' : '', roleName === undefined ? 'sso_role_name' : ''].filter(Boolean).join(' and ');
    throw new ConfigError(`profile "${name}" has no ${missing}; an IAM Identity Center profile needs both (the account and the permission set to use)`, { file: p.file, line: p.line, profile: p.name });
  }
  if (!isAccountId(accountId)) throw new ConfigError(`sso_account_id of profile "${name}" must be a 12-digit account ID`, at('sso_account_id'));
  if (!ROLE_NAME.test(roleName)) throw new ConfigError(`sso_role_name of profile "${name}" must be a permission set name (1 to 64 characters of letters, digits and +=,.@_-)`, at('sso_role_name'));
  return { portalId, accountId, roleName };
}

/** Cheap test (no parse) whether the files may hold IAM Identity Center settings worth reading. */
export function hasSsoSettings(configText: string | undefined, profiles: ReadonlyMap<string, Profile>): boolean {
  if (configText !== undefined && /^[ \t]*\[[ \t]*sso-session[ \t]/m.test(configText)) return true;
  for (const p of profiles.values()) if (isSsoProfile(p)) return true;
  return false;
}
