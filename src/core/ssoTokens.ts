// The token lifecycle of IAM Identity Center portals: which access token a call uses, when it is
// refreshed (grant_type=refresh_token), when the AWS CLI's cache stands in, and when the user has to sign
// in again. Records live in the SsoTokenStore (the host's SecretStorage); the CLI cache is read only,
// and written only when the host's setting is on. No token, refresh token or client secret is ever
// logged or put in an error message: log lines name the portal id and the error code only.

import { systemClock, type Clock } from './clock';
import { CancelledError, isCancelled } from './errors';
import type { SsoCliCache } from './ssoCache';
import { runDeviceFlow, type DeviceCodePrompt } from './ssoDeviceFlow';
import { SsoSignInRequiredError, type SsoCallOptions, type SsoGateway, type SsoPortal, type SsoTokenRecord, type SsoTokenStore } from './ssoTypes';

export type SsoPortalState = 'signedIn' | 'expired' | 'signedOut';

/** Refresh failures that mean the refresh token or the registration is no longer good: sign in again. */
const SIGN_IN_AGAIN = new Set([
  'InvalidGrantException',
  'UnauthorizedClientException',
  'UnauthorizedException',
  'InvalidClientException',
  'ExpiredTokenException',
  'AccessDeniedException',
  'invalid_grant',
  'unauthorized_client',
  'invalid_client',
]);

export interface SsoTokenManagerOptions {
  /** A stored token is used while it has more than this left (default 5 minutes, as the SDK). */
  readonly minValidityMs?: number;
  /** Where the OIDC and portal calls go (region, endpoint, timeout). Default: the portal's region. */
  readonly callOptions?: (portal: SsoPortal, signal?: AbortSignal) => SsoCallOptions;
  /** The AWS CLI's cache: read when there is no usable record of ours. */
  readonly cliCache?: SsoCliCache;
  /** The host's setting: write our tokens to the CLI's cache too (so the AWS CLI shares the sign-in). */
  readonly writeCliCache?: () => boolean;
  /** Log lines, never with a secret. */
  readonly log?: (line: string) => void;
  /** For the device flow (tests pass one that moves a fake clock). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** What signIn shows while it polls. */
export interface SsoSignInUi {
  showCode(prompt: DeviceCodePrompt): void;
}

export interface Disposable {
  dispose(): void;
}

function errorCode(e: unknown): string {
  const o = e as { name?: unknown; error?: unknown; Code?: unknown } | null | undefined;
  for (const v of [o?.name, o?.error, o?.Code]) if (typeof v === 'string' && v !== '' && v !== 'Error') return v;
  return 'Error';
}

/** Whether a record can be refreshed at `now`: a refresh token and an unexpired registration. */
export function refreshable(r: SsoTokenRecord, now: number): boolean {
  return !!r.refreshToken && !!r.registration && r.registration.expiresAt.getTime() > now;
}

class Listeners<T> {
  private readonly fns = new Set<(v: T) => void>();
  add(fn: (v: T) => void): Disposable {
    this.fns.add(fn);
    return { dispose: () => void this.fns.delete(fn) };
  }
  fire(v: T, log: (line: string) => void): void {
    for (const fn of [...this.fns]) {
      try {
        fn(v);
      } catch (e) {
        log(`sso listener failed (${errorCode(e)})`);
      }
    }
  }
}

export class SsoTokenManager {
  private readonly minValidityMs: number;
  private readonly log: (line: string) => void;
  private readonly inflight = new Map<string, Promise<string>>();
  /** Portals signed out in this window: the CLI's cached token is not used for them until the next sign-in. */
  private readonly cliCacheOff = new Set<string>();
  private readonly signedOut = new Listeners<SsoPortal>();
  private readonly changed = new Listeners<SsoPortal>();

  constructor(
    private readonly store: SsoTokenStore,
    private readonly gateway: SsoGateway,
    private readonly clock: Clock = systemClock,
    private readonly options: SsoTokenManagerOptions = {},
  ) {
    this.minValidityMs = options.minValidityMs ?? 5 * 60 * 1000;
    this.log = options.log ?? (() => undefined);
  }

  /** Fired after signOut: the host ends the sessions obtained with this portal's token. */
  onDidSignOut(listener: (portal: SsoPortal) => void): Disposable {
    return this.signedOut.add(listener);
  }

  /** Fired when a portal's state may have changed (signed in, refreshed, sign-in required, signed out). */
  onDidChangeState(listener: (portal: SsoPortal) => void): Disposable {
    return this.changed.add(listener);
  }

  private call(portal: SsoPortal, signal?: AbortSignal): SsoCallOptions {
    return { ...(this.options.callOptions?.(portal, signal) ?? { region: portal.region }), ...(signal ? { abortSignal: signal } : {}) };
  }

  /**
   * A valid access token for the portal. Concurrent calls for one portal share one resolution (one
   * refresh). Throws SsoSignInRequiredError when the user has to sign in.
   */
  token(portal: SsoPortal, signal?: AbortSignal): Promise<string> {
    let p = this.inflight.get(portal.id);
    if (!p) {
      p = this.resolve(portal).finally(() => this.inflight.delete(portal.id));
      this.inflight.set(portal.id, p);
    }
    if (!signal) return p;
    // The shared resolution goes on for the other callers; this caller stops waiting.
    return new Promise<string>((resolve, reject) => {
      const abort = () => reject(new CancelledError());
      if (signal.aborted) return abort();
      signal.addEventListener('abort', abort, { once: true });
      p.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
    });
  }

  private async resolve(portal: SsoPortal): Promise<string> {
    const now = this.clock.now();
    const rec = await this.store.get(portal.id);
    if (rec && rec.expiresAt.getTime() - now > this.minValidityMs) return rec.accessToken;

    if (rec && rec.refreshToken && rec.registration) {
      if (rec.registration.expiresAt.getTime() <= now) {
        await this.store.delete(portal.id);
        this.log(`sso ${portal.id}: the client registration expired; sign in required`);
        this.changed.fire(portal, this.log);
        throw new SsoSignInRequiredError(portal.id, portal.startUrl, 'the sign-in can no longer be renewed');
      }
      try {
        return await this.refresh(portal, rec);
      } catch (e) {
        const code = errorCode(e);
        if (SIGN_IN_AGAIN.has(code)) {
          await this.store.delete(portal.id);
          this.log(`sso ${portal.id}: refresh failed (${code}); sign in required`);
          this.changed.fire(portal, this.log);
          throw new SsoSignInRequiredError(portal.id, portal.startUrl, 'the sign-in expired or was revoked');
        }
        // A network problem, throttling, an outage: the current token still works until it expires.
        if (rec.expiresAt.getTime() > this.clock.now()) {
          this.log(`sso ${portal.id}: refresh failed (${code}); using the current token until it expires`);
          return rec.accessToken;
        }
        this.log(`sso ${portal.id}: refresh failed (${code})`);
        throw e;
      }
    }

    const cached = await this.readCliCache(portal);
    if (cached && cached.expiresAt.getTime() - this.clock.now() > this.minValidityMs) return cached.accessToken;

    // No way to renew: a token that has not expired yet is still better than asking the user now
    // (GetRoleCredentials only needs it valid at the call; the role credentials outlive it).
    const best = [rec, cached].filter((r): r is SsoTokenRecord => !!r && r.expiresAt.getTime() > this.clock.now()).sort((a, b) => b.expiresAt.getTime() - a.expiresAt.getTime())[0];
    if (best) return best.accessToken;
    throw new SsoSignInRequiredError(portal.id, portal.startUrl, rec ? 'the sign-in expired' : 'not signed in');
  }

  private async readCliCache(portal: SsoPortal): Promise<SsoTokenRecord | undefined> {
    if (!this.options.cliCache || this.cliCacheOff.has(portal.id)) return undefined;
    try {
      return await this.options.cliCache.read(portal);
    } catch (e) {
      this.log(`sso ${portal.id}: the AWS CLI cache was not read (${errorCode(e)})`);
      return undefined;
    }
  }

  private async refresh(portal: SsoPortal, rec: SsoTokenRecord): Promise<string> {
    const reg = rec.registration!;
    const t = await this.gateway.createToken(this.call(portal), { clientId: reg.clientId, clientSecret: reg.clientSecret, grantType: 'refresh_token', refreshToken: rec.refreshToken! });
    const next: SsoTokenRecord = {
      ...rec,
      accessToken: t.accessToken,
      expiresAt: new Date(this.clock.now() + t.expiresIn * 1000),
      // The service may rotate the refresh token; keep the old one when it does not send one.
      refreshToken: t.refreshToken ?? rec.refreshToken,
      origin: 'signIn',
    };
    await this.store.set(next);
    this.log(`sso ${portal.id}: token refreshed`);
    await this.writeThrough(portal, next);
    this.changed.fire(portal, this.log);
    return next.accessToken;
  }

  private async writeThrough(portal: SsoPortal, rec: SsoTokenRecord): Promise<void> {
    if (!this.options.cliCache || !this.options.writeCliCache?.()) return;
    try {
      await this.options.cliCache.write(portal, rec);
      this.log(`sso ${portal.id}: token shared with the AWS CLI cache`);
    } catch (e) {
      this.log(`sso ${portal.id}: could not write the AWS CLI cache (${errorCode(e)})`);
    }
  }

  /** Runs the device flow (ui shows the code), stores the new record. Errors: see core/ssoDeviceFlow.ts. */
  async signIn(portal: SsoPortal, ui: SsoSignInUi, signal?: AbortSignal): Promise<SsoTokenRecord> {
    const old = await this.store.get(portal.id);
    const record = await runDeviceFlow(portal, {
      gateway: this.gateway,
      callOptions: (p) => this.call(p, signal),
      onCode: (prompt) => ui.showCode(prompt),
      ...(old?.registration ? { registration: old.registration } : {}),
      ...(signal ? { signal } : {}),
      clock: this.clock,
      ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
      log: this.log,
    });
    await this.store.set(record);
    this.cliCacheOff.delete(portal.id);
    await this.writeThrough(portal, record);
    this.changed.fire(portal, this.log);
    return record;
  }

  /**
   * Logout on the portal (errors logged, not thrown), delete the record, tell the listeners. The AWS
   * CLI's own cached token is not revoked (it is the CLI's), but it is not used for this portal again in
   * this window until the next sign-in; a CLI cache file we wrote ourselves is removed.
   */
  async signOut(portal: SsoPortal): Promise<void> {
    const rec = await this.store.get(portal.id);
    if (rec) {
      try {
        await this.gateway.logout(this.call(portal), rec.accessToken);
        this.log(`sso ${portal.id}: logged out of the portal`);
      } catch (e) {
        if (!isCancelled(e)) this.log(`sso ${portal.id}: Logout failed (${errorCode(e)}); the stored sign-in is removed anyway`);
      }
      await this.store.delete(portal.id);
      if (this.options.cliCache && this.options.writeCliCache?.()) {
        await this.options.cliCache.deleteIfOurs(portal, rec.accessToken).catch((e: unknown) => this.log(`sso ${portal.id}: could not remove the AWS CLI cache file (${errorCode(e)})`));
      }
    }
    this.cliCacheOff.add(portal.id);
    this.signedOut.fire(portal, this.log);
    this.changed.fire(portal, this.log);
  }

  /**
   * For the tree, without network: 'signedIn' when a token is valid or can be refreshed, 'expired'
   * when a sign-in exists but can no longer be used, 'signedOut' otherwise.
   */
  async state(portal: SsoPortal): Promise<SsoPortalState> {
    const now = this.clock.now();
    const rec = await this.store.get(portal.id);
    if (rec && (rec.expiresAt.getTime() > now || refreshable(rec, now))) return 'signedIn';
    if (this.options.cliCache && !this.cliCacheOff.has(portal.id)) {
      const r = await this.options.cliCache.readEntry(portal).catch(() => undefined);
      if (r?.ok) return 'signedIn';
      if (r && r.why === 'expired') return 'expired';
    }
    return rec ? 'expired' : 'signedOut';
  }
}
