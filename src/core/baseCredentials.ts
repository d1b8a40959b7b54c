// A hop plan's base turned into what the gateway signs with. Kept apart from profiles.ts (the file
// reader) because the switch path in dist/aws.js needs only this.
import { ConfigError, showName } from './errors';
import type { BaseCredentialSource } from './gateway';
import type { Profile } from './profiles';
import type { BaseSource } from './types';

/** The access keys of a profile with `hasStaticKeys` (for a `profileKeys` base), else undefined. */
export function profileKeys(p: Pick<Profile, 'hasStaticKeys' | 'raw'> | undefined): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined {
  if (!p?.hasStaticKeys) return undefined;
  const accessKeyId = p.raw.aws_access_key_id;
  const secretAccessKey = p.raw.aws_secret_access_key;
  const sessionToken = p.raw.aws_session_token;
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

/**
 * What the gateway is given for a base: a `profileKeys` base becomes the profile's keys (static
 * credentials); the others pass as they are. Throws ConfigError when the profile no longer has keys
 * (the files changed since the roles were listed).
 */
export function toCredentialSource(base: BaseSource, profiles: ReadonlyMap<string, Profile> | undefined): BaseCredentialSource {
  if (base.kind === 'sso') throw new Error('an IAM Identity Center base is resolved by the switch path (sso:GetRoleCredentials), not here');
  if (base.kind !== 'profileKeys') return base;
  const p = profiles?.get(base.profile);
  const credentials = profileKeys(p);
  if (!credentials) {
    throw new ConfigError(`profile "${showName(base.profile)}" no longer has aws_access_key_id and aws_secret_access_key; refresh the Roles view after editing the file`, {
      file: p?.file ?? '~/.aws/credentials',
      ...(p ? { line: p.line } : {}),
      profile: base.profile,
    });
  }
  return { kind: 'static', credentials };
}
