// Restore after reload: the active chain as one JSON text for the host's SecretStorage (the OS keychain
// in desktop VS Code), and back. Pure: no storage, no clock, no AWS call, so restoring at activation
// costs a JSON.parse and never loads the SDK.
//
// A saved chain is discarded, with a reason that holds no secret, when it is malformed, from another
// version, expired, or when the base identity it was assumed from has changed since (other keys in
// the profile or the environment, another profile): then it is not the user's session any more.

import { createHash } from 'node:crypto';
import type { BaseSource, Session } from './types';

export const STATE_VERSION = 1;

/** Restored sessions this close to their end are not worth restoring (renewal could not catch up). */
export const RESTORE_MIN_REMAINING_MS = 60_000;

/** A session as saved: the same fields, the expiration as ISO text. */
type SavedSession = Omit<Session, 'expiration'> & { readonly expiration: string };

interface SavedState {
  readonly version: number;
  /** MFA sessions (switcher.exportMfaSessions), so the next window needs no new code while they last. */
  readonly mfa?: readonly unknown[];
  /** sha256 of what identifies the base credentials (never the keys themselves). */
  readonly base: string;
  readonly sessions: readonly SavedSession[];
}

/**
 * What identifies the base a role was assumed from, hashed: the profile and its access key ID, the
 * environment's access key ID, or the default chain's inputs. A changed key or profile is another
 * identity. The inputs are read by the caller (catalog, process.env) and passed in.
 */
export function baseFingerprint(base: BaseSource, inputs: { readonly profileAccessKeyId?: string; readonly env: Readonly<Record<string, string | undefined>> }): string {
  const e = inputs.env;
  let id: string;
  switch (base.kind) {
    case 'profileKeys':
      id = `keys|${base.profile}|${inputs.profileAccessKeyId ?? ''}`;
      break;
    case 'profile':
      id = `profile|${base.profile}|${e.AWS_CONFIG_FILE ?? ''}`;
      break;
    case 'environment':
      id = `env|${e.AWS_ACCESS_KEY_ID ?? ''}`;
      break;
    default:
      id = `default|${e.AWS_ACCESS_KEY_ID ?? ''}|${e.AWS_PROFILE ?? ''}|${e.AWS_CONFIG_FILE ?? ''}|${e.AWS_SHARED_CREDENTIALS_FILE ?? ''}|${inputs.profileAccessKeyId ?? ''}`;
  }
  return createHash('sha256').update(id).digest('hex');
}

/** The chain to save; `fingerprint` is baseFingerprint of the chain's first role's base. */
export function serializeChain(chain: readonly Session[], fingerprint: string, mfa: readonly unknown[] = []): string {
  const state: SavedState = {
    version: STATE_VERSION,
    base: fingerprint,
    ...(mfa.length ? { mfa } : {}),
    sessions: chain.map((s) => ({ ...s, expiration: s.expiration.toISOString() })),
  };
  return JSON.stringify(state);
}

export type RestoreResult =
  | { readonly ok: true; readonly chain: readonly Session[]; readonly mfa: readonly unknown[] }
  | { readonly ok: false; readonly reason: string };

/**
 * The saved chain, if it may be used again. `fingerprintOf` gives the current fingerprint of a base
 * (the same function as at save time, on today's files and environment).
 */
export function restoreChain(text: string, opts: { readonly now: number; readonly fingerprintOf: (base: BaseSource) => string }): RestoreResult {
  let state: SavedState;
  try {
    state = JSON.parse(text) as SavedState;
  } catch {
    return { ok: false, reason: 'the saved session is not valid JSON' };
  }
  if (!state || typeof state !== 'object' || state.version !== STATE_VERSION || !Array.isArray(state.sessions) || state.sessions.length === 0) {
    return { ok: false, reason: 'the saved session is from another version or empty' };
  }
  const chain: Session[] = [];
  for (const s of state.sessions) {
    if (!isSavedSession(s)) return { ok: false, reason: 'the saved session is malformed' };
    const expiration = new Date(s.expiration);
    if (!Number.isFinite(expiration.getTime())) return { ok: false, reason: 'the saved session has no valid expiration' };
    chain.push({ ...s, expiration });
  }
  const top = chain[chain.length - 1];
  if (top.expiration.getTime() - opts.now < RESTORE_MIN_REMAINING_MS) {
    return { ok: false, reason: `the saved session of ${top.role.label} expired at ${top.expiration.toISOString()}` };
  }
  if (opts.fingerprintOf(chain[0].step?.role.base ?? chain[0].role.base) !== state.base) {
    return { ok: false, reason: `the base identity of ${top.role.label} changed since it was assumed (other keys or profile)` };
  }
  // A parent that has expired is no place to switch back to: keep the chain from the newest valid one.
  let from = 0;
  for (let i = 0; i < chain.length - 1; i++) if (chain[i].expiration.getTime() <= opts.now) from = i + 1;
  return { ok: true, chain: chain.slice(from), mfa: Array.isArray(state.mfa) ? state.mfa : [] };
}

function isSavedSession(s: unknown): s is SavedSession {
  const x = s as Partial<SavedSession> | null;
  return (
    !!x &&
    typeof x === 'object' &&
    typeof x.accessKeyId === 'string' &&
    typeof x.secretAccessKey === 'string' &&
    typeof x.sessionToken === 'string' &&
    typeof x.expiration === 'string' &&
    typeof x.assumedRoleArn === 'string' &&
    typeof x.sessionName === 'string' &&
    typeof x.sourceIdentityArn === 'string' &&
    !!x.role &&
    typeof x.role === 'object' &&
    typeof x.role.roleArn === 'string' &&
    typeof x.role.label === 'string' &&
    Array.isArray(x.role.hops) &&
    !!x.role.base &&
    typeof x.role.base.kind === 'string'
  );
}
