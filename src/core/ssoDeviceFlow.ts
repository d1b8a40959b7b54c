// The OAuth 2.0 device authorization flow (RFC 8628) of IAM Identity Center, over the SsoGateway port:
// RegisterClient (a stored registration is reused while it is valid), StartDeviceAuthorization, the
// user code handed to the host, then CreateToken polled at `interval` until the user approves in the
// browser. Every way it can stop is its own error kind, so the host words each one and offers the
// right next step. Secrets (client secret, device code, tokens) are never logged or put in a message.

import { systemClock, type Clock } from './clock';
import { CancelledError } from './errors';
import type { DeviceAuthorization, SsoCallOptions, SsoClientRegistration, SsoGateway, SsoPortal, SsoTokenRecord } from './ssoTypes';

export const SSO_CLIENT_NAME = 'Role Switcher for AWS';
/** Without `sso:account:access` in the registration's scopes, CreateToken issues no refresh token. */
export const DEFAULT_SSO_SCOPES: readonly string[] = ['sso:account:access'];
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628 §3.2: the default polling interval, seconds. */
const DEFAULT_INTERVAL_S = 5;
/** RFC 8628 §3.5: slow_down adds 5 seconds to the interval. */
const SLOW_DOWN_S = 5;
/** A stored registration is reused only when it outlives the sign-in by this much. */
const REGISTRATION_MARGIN_MS = 60 * 60 * 1000;

/** StartDeviceAuthorization's answers to a client registration it does not accept. */
const STALE_CLIENT = new Set(['InvalidClientException', 'UnauthorizedClientException', 'invalid_client', 'unauthorized_client']);

export type SsoSignInStop = 'expired' | 'denied' | 'cancelled';

const STOP_TEXT: Record<SsoSignInStop, string> = {
  expired: 'the code expired; sign in again',
  denied: 'the sign-in was denied in the browser',
  cancelled: 'the sign-in was cancelled',
};

/** The device flow stopped: the code expired (ExpiredTokenException or the deadline) or the user denied it. */
export class SsoSignInError extends Error {
  override readonly name: string = 'SsoSignInError';
  constructor(
    readonly kind: SsoSignInStop,
    readonly portalId: string,
    readonly startUrl: string,
  ) {
    super(`IAM Identity Center sign-in (${startUrl}) stopped: ${STOP_TEXT[kind]}.`);
  }
}

/** The user (or the host) cancelled: a CancelledError, so the host stays silent, with kind 'cancelled'. */
export class SsoSignInCancelledError extends CancelledError {
  readonly kind = 'cancelled' as const;
  constructor(
    readonly portalId: string,
    readonly startUrl: string,
  ) {
    super(`IAM Identity Center sign-in (${startUrl}) stopped: ${STOP_TEXT.cancelled}.`);
  }
}

/** The code the user enters, and where: what the host shows while the flow polls. No secret. */
export interface DeviceCodePrompt {
  readonly userCode: string;
  readonly verificationUri: string;
  readonly verificationUriComplete: string;
  /** Seconds the code is valid. */
  readonly expiresIn: number;
}

/** Waits `ms`; rejects with `onAbort()` as soon as the signal aborts (and clears the timer). */
export function sleepOn(clock: Clock, ms: number, signal?: AbortSignal, onAbort: () => Error = () => new CancelledError()): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(onAbort());
    const done = () => {
      signal?.removeEventListener('abort', abort);
      resolve();
    };
    const handle = clock.setTimeout(done, ms);
    const abort = () => {
      clock.clearTimeout(handle);
      reject(onAbort());
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}

export interface DeviceFlowOptions {
  readonly gateway: SsoGateway;
  /** Where to send the OIDC calls (region, endpoint, timeout); the flow adds the abort signal. */
  readonly callOptions?: (portal: SsoPortal) => SsoCallOptions;
  /** Shown to the user (the host's notification); called once, after StartDeviceAuthorization. */
  readonly onCode: (prompt: DeviceCodePrompt) => void;
  /** A registration kept from an earlier sign-in: reused when its scopes match and it is still valid. */
  readonly registration?: SsoClientRegistration;
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  /** Defaults to a timer on `clock` that the signal interrupts. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly log?: (line: string) => void;
}

export function registrationScopes(portal: SsoPortal): readonly string[] {
  return portal.scopes && portal.scopes.length > 0 ? portal.scopes : DEFAULT_SSO_SCOPES;
}

function sameScopes(a: readonly string[] | undefined, b: readonly string[]): boolean {
  const x = [...(a ?? DEFAULT_SSO_SCOPES)].sort();
  const y = [...b].sort();
  return x.length === y.length && x.every((s, i) => s === y[i]);
}

/** Whether a stored registration can be used for this portal at `now`. */
export function registrationUsable(reg: SsoClientRegistration | undefined, portal: SsoPortal, now: number, marginMs = REGISTRATION_MARGIN_MS): reg is SsoClientRegistration {
  return !!reg && reg.expiresAt.getTime() - now > marginMs && sameScopes(reg.scopes, registrationScopes(portal));
}

function errorCode(e: unknown): string {
  const o = e as { name?: unknown; error?: unknown; Code?: unknown } | null | undefined;
  for (const v of [o?.name, o?.error, o?.Code]) if (typeof v === 'string' && v !== '' && v !== 'Error') return v;
  return 'Error';
}

/** Runs the device flow to the end. Resolves with the new record (origin 'signIn'); never logs it. */
export async function runDeviceFlow(portal: SsoPortal, opts: DeviceFlowOptions): Promise<SsoTokenRecord> {
  const clock = opts.clock ?? systemClock;
  const signal = opts.signal;
  const log = opts.log ?? (() => undefined);
  const cancelled = () => new SsoSignInCancelledError(portal.id, portal.startUrl);
  const sleep = opts.sleep ?? ((ms: number, s?: AbortSignal) => sleepOn(clock, ms, s, cancelled));
  const call: SsoCallOptions = { ...(opts.callOptions?.(portal) ?? { region: portal.region }), ...(signal ? { abortSignal: signal } : {}) };
  const checkAbort = () => {
    if (signal?.aborted) throw cancelled();
  };
  /** An SDK call interrupted by the signal rejects with an AbortError: report it as the cancellation. */
  const guarded = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      checkAbort();
      throw e;
    }
  };

  const register = async (): Promise<SsoClientRegistration> => {
    checkAbort();
    const scopes = registrationScopes(portal);
    const r = await guarded(opts.gateway.registerClient(call, { clientName: SSO_CLIENT_NAME, scopes }));
    log(`sso sign-in ${portal.id}: registered a client`);
    // The service does not echo scopes; remember what was asked so a later change of scopes re-registers.
    return r.scopes ? r : { ...r, scopes };
  };
  const start = (r: SsoClientRegistration) => guarded(opts.gateway.startDeviceAuthorization(call, { clientId: r.clientId, clientSecret: r.clientSecret, startUrl: portal.startUrl }));

  checkAbort();
  let reg: SsoClientRegistration;
  let auth: DeviceAuthorization;
  if (registrationUsable(opts.registration, portal, clock.now())) {
    log(`sso sign-in ${portal.id}: reusing the client registration`);
    reg = opts.registration;
    try {
      auth = await start(reg);
    } catch (e) {
      // A kept registration the service no longer knows (revoked, or another region's): register anew, once.
      if (!STALE_CLIENT.has(errorCode(e))) throw e;
      log(`sso sign-in ${portal.id}: the kept client registration was refused (${errorCode(e)})`);
      reg = await register();
      auth = await start(reg);
    }
  } else {
    reg = await register();
    checkAbort();
    auth = await start(reg);
  }
  const startedAt = clock.now();
  const deadline = startedAt + auth.expiresIn * 1000;
  checkAbort();
  opts.onCode({ userCode: auth.userCode, verificationUri: auth.verificationUri, verificationUriComplete: auth.verificationUriComplete, expiresIn: auth.expiresIn });

  let intervalS = auth.interval > 0 ? auth.interval : DEFAULT_INTERVAL_S;
  for (;;) {
    checkAbort();
    // RFC 8628 §3.4: wait the interval before each request, the first included.
    if (clock.now() + intervalS * 1000 > deadline) {
      // The next poll would come after the code expired: stop now rather than after a useless wait.
      const left = deadline - clock.now();
      if (left > 0) await sleep(left, signal);
      checkAbort();
      log(`sso sign-in ${portal.id}: the code expired before it was approved`);
      throw new SsoSignInError('expired', portal.id, portal.startUrl);
    }
    await sleep(intervalS * 1000, signal);
    checkAbort();
    let token: Awaited<ReturnType<SsoGateway['createToken']>>;
    try {
      token = await opts.gateway.createToken(call, { clientId: reg.clientId, clientSecret: reg.clientSecret, grantType: DEVICE_CODE_GRANT, deviceCode: auth.deviceCode });
    } catch (e) {
      checkAbort();
      const code = errorCode(e);
      if (code === 'AuthorizationPendingException' || code === 'authorization_pending') continue;
      if (code === 'SlowDownException' || code === 'slow_down') {
        intervalS += SLOW_DOWN_S;
        log(`sso sign-in ${portal.id}: asked to slow down, polling every ${intervalS} s`);
        continue;
      }
      if (code === 'ExpiredTokenException' || code === 'expired_token') {
        log(`sso sign-in ${portal.id}: the code expired`);
        throw new SsoSignInError('expired', portal.id, portal.startUrl);
      }
      if (code === 'AccessDeniedException' || code === 'access_denied') {
        log(`sso sign-in ${portal.id}: denied in the browser`);
        throw new SsoSignInError('denied', portal.id, portal.startUrl);
      }
      log(`sso sign-in ${portal.id}: CreateToken failed (${code})`);
      throw e;
    }
    checkAbort();
    log(`sso sign-in ${portal.id}: signed in${token.refreshToken ? ' (refreshable)' : ''}`);
    return {
      portalId: portal.id,
      startUrl: portal.startUrl,
      region: portal.region,
      accessToken: token.accessToken,
      expiresAt: new Date(clock.now() + token.expiresIn * 1000),
      ...(token.refreshToken ? { refreshToken: token.refreshToken } : {}),
      registration: reg,
      origin: 'signIn',
    };
  }
}
