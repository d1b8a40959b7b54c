// The warm-up's decisions, pure: which bases to prepare before the first click, and which of them may
// be asked for their identity without the user asking. Runs from dist/aws.js (host/warmup.ts schedules
// it once the Roles view has been idle a moment). See docs/architecture.md, "The first click".
import type { Profile } from './profiles';
import type { RoleDefinition } from './types';

/** Bases warmed at most (roles usually share one or two). */
export const WARM_UP_MAX_BASES = 3;

export type WarmBase = { readonly kind: string; readonly profile?: string };

/**
 * Whether the SDK can produce this base's credentials without a prompt, a process or a network call
 * of its own: access keys in the shared files or in the environment. SSO, `credential_process`,
 * container and instance credentials are not warmed with a request (they may prompt, run a program
 * or wait on a metadata endpoint); only their client is built.
 */
export function isQuietBase(base: WarmBase, env: Readonly<Record<string, string | undefined>>, profiles: ReadonlyMap<string, Profile>): boolean {
  const keysOnly = (name: string) => {
    const p = profiles.get(name);
    return Boolean(p?.hasStaticKeys && !p.role_arn && !p.credential_process && !p.credential_source && !p.sso_session && !p.sso_start_url);
  };
  const envKeys = Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);
  switch (base.kind) {
    case 'profileKeys':
      return true;
    case 'environment':
      return envKeys;
    case 'profile':
      return keysOnly(base.profile ?? '');
    case 'default':
      return envKeys || (!env.AWS_ACCESS_KEY_ID && keysOnly(env.AWS_PROFILE || 'default'));
    default:
      return false;
  }
}

/** The distinct bases of the roles, in list order, at most `max`. */
export function basesToWarm(roles: readonly RoleDefinition[], defaultRegion: string, max = WARM_UP_MAX_BASES): Array<{ base: WarmBase; region: string }> {
  const out = new Map<string, { base: WarmBase; region: string }>();
  for (const r of roles) {
    if (out.size >= max) break;
    const region = r.region ?? defaultRegion;
    const key = `${r.base.kind}|${(r.base as WarmBase).profile ?? ''}|${region}`;
    if (!out.has(key)) out.set(key, { base: r.base, region });
  }
  return [...out.values()];
}

export interface WarmUpDeps {
  /** Roles and profiles as the catalog has them, loading them if needed. */
  roles(): Promise<readonly RoleDefinition[]>;
  profiles(): ReadonlyMap<string, Profile>;
  env: Readonly<Record<string, string | undefined>>;
  region(): string;
  /** Whether the user can see the Roles view right now. */
  visible(): boolean;
  /** Builds the switcher (and with it the gateway). */
  load(): void;
  /** Builds (and caches) the STS client and credential provider for a base in a region, sending nothing. */
  buildClient(base: WarmBase, region: string): void;
  /** One GetCallerIdentity for the base (cached by the switcher for the session name). */
  identify(base: WarmBase): Promise<unknown>;
  log(line: string): void;
}

/**
 * The warm-up itself. Loads the AWS bundle and builds the STS clients for the roles' bases. When the
 * Roles view is visible, there are roles, and a base is quiet (see isQuietBase) and uses the default
 * region, it also sends GetCallerIdentity with it: the call needs no permission, returns no secret,
 * and the switcher needs its answer for the session name anyway, so the first switch costs one STS
 * round trip over an open connection, like every later one. Failures are logged, never shown.
 */
export async function warmUp(d: WarmUpDeps): Promise<void> {
  const roles = await d.roles();
  d.load();
  const region = d.region();
  let identified = 0;
  for (const { base, region: r } of basesToWarm(roles, region)) {
    try {
      if (r === region && d.visible() && isQuietBase(base, d.env, d.profiles())) {
        await d.identify(base);
        identified++;
      } else if (base.kind !== 'profileKeys' && base.kind !== 'sso') {
        // Keys read from the files become static credentials in the switch, and so do a permission
        // set's (GetRoleCredentials, after sign-in): nothing to prebuild here.
        d.buildClient(base, r);
      }
    } catch (e) {
      d.log(`warm-up of base ${base.kind} skipped: ${(e as Error)?.name ?? 'Error'}`);
    }
  }
  d.log(`warm-up done: AWS module loaded, ${roles.length ? `${identified} base identit${identified === 1 ? 'y' : 'ies'} known` : 'no roles'}`);
}
