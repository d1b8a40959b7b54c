// The console sign-in flow over injected ports (fetch, the re-assume), so it is tested without VS Code:
// route the session (core/console.ts), re-assume it without DurationSeconds when the federation
// endpoint would refuse it, ask for a sign-in token, build the login URL. Every failure is a
// ConsoleSigninError worded with the next step; nothing here logs or returns a secret except the URL,
// whose token it adds to the redactor first.

import {
  ConsoleSigninError,
  consoleRoute,
  federationEndpoint,
  loginUrl,
  parseSigninTokenAnswer,
  resolveDestination,
  sessionPlace,
  signinTokenRequestUrl,
  ssoConsoleUrl,
} from './console';
import { CancelledError, isCancelled } from './errors';
import type { Redactor } from './redact';
import type { Session } from './types';

/** The slice of WHATWG fetch the flow uses (Node's global fetch fits). */
export type FetchLike = (url: string, init: { method: 'GET'; redirect: 'manual'; signal?: AbortSignal; headers?: Record<string, string> }) => Promise<{ status: number; text(): Promise<string> }>;

export interface ConsoleSigninDeps {
  readonly fetch: FetchLike;
  /** Switcher.assumeForConsole: the active role again, without DurationSeconds, for the console only. */
  reassume(signal?: AbortSignal): Promise<Session>;
  /** roleSwitcher.console.destination (may be empty). */
  readonly destinationSetting?: string;
  /** roleSwitcher.console.federationEndpoint (may be empty: the partition's sign-in host). */
  readonly federationEndpointSetting?: string;
  /** The window's region (roleSwitcher.region / AWS_REGION), for sessions that name none. */
  readonly configuredRegion: string;
  /** The access portal of a permission set (IAM Identity Center), by portal id. */
  portalStartUrl?(portalId: string): string | undefined;
  readonly redactor?: Redactor;
  readonly timeoutMs?: number;
  readonly issuer?: string;
  readonly signal?: AbortSignal;
  /** Told when the role is assumed again for the console (for the progress message). */
  onReassume?(why: string): void;
}

export interface ConsoleSignin {
  /** The login (or access portal) URL. A secret for federation: open it, or copy it on request, never log it. */
  readonly url: string;
  readonly via: 'federation' | 'reassumed' | 'portal';
  /** Where the console opens (no secret). */
  readonly destination: string;
  /** The identity the console signs in as. */
  readonly identityArn: string;
  /** When the credentials behind the console session end (federation only). */
  readonly expiration?: Date;
  /** Why the role was assumed again (via 'reassumed'). */
  readonly reassumeReason?: string;
}

export async function consoleSignin(session: Session, d: ConsoleSigninDeps): Promise<ConsoleSignin> {
  const { partition, region } = sessionPlace(session, d.configuredRegion);
  const destination = resolveDestination(d.destinationSetting, partition, region);
  const route = consoleRoute(session);

  if (route.kind === 'portal') {
    const ref = session.permissionSet ?? session.role.sso!;
    const startUrl = d.portalStartUrl?.(ref.portalId);
    if (!startUrl) {
      throw new ConsoleSigninError(`The access portal of ${session.role.label} (${ref.portalId}) is no longer configured, so its console link can't be built. Add the portal again (Role Switcher: Add IAM Identity Center…) or check sso_start_url in your AWS config file.`);
    }
    // A Destination setting applies to the portal too; the console home is the portal's own default.
    const dest = d.destinationSetting?.trim() ? destination : undefined;
    return { url: ssoConsoleUrl(startUrl, ref.accountId, ref.roleName, dest), via: 'portal', destination, identityArn: session.assumedRoleArn || `${ref.accountId}/${ref.roleName}` };
  }

  const endpoint = federationEndpoint(partition, d.federationEndpointSetting);
  let s = session;
  let reason: string | undefined;
  if (route.kind === 'reassume') {
    reason = route.why;
    d.onReassume?.(reason);
    s = await reassume(d, session, reason);
  }
  let answer = await getSigninToken(d, endpoint, s);
  if (!answer.ok && answer.refused && route.kind === 'federation') {
    // Refused although nothing said it would be (e.g. a base profile with temporary keys): assume it
    // again without DurationSeconds, once.
    reason = 'the federation endpoint refused the session (its base credentials may be temporary)';
    d.onReassume?.(reason);
    s = await reassume(d, session, reason);
    answer = await getSigninToken(d, endpoint, s);
  }
  if (!answer.ok) {
    const host = safeHost(endpoint);
    if (answer.refused) {
      throw new ConsoleSigninError(
        `The AWS federation endpoint (${host}) refused to sign in as ${session.role.label} (HTTP ${answer.status})${reason ? `, even after assuming the role again without DurationSeconds` : ''}. ` +
          `Switch to the role again and retry; if it still fails, the role's session may carry a session policy or tags the console does not accept. Show Log has the details.`,
      );
    }
    throw new ConsoleSigninError(`The AWS federation endpoint (${host}) did not return a sign-in token (HTTP ${answer.status}). Try again in a moment; check roleSwitcher.console.federationEndpoint if you set it.`, 'roleSwitcher.console.federationEndpoint');
  }
  d.redactor?.add(answer.signinToken, encodeURIComponent(answer.signinToken));
  const url = loginUrl(endpoint, { signinToken: answer.signinToken, destination, issuer: d.issuer });
  return { url, via: reason ? 'reassumed' : 'federation', destination, identityArn: s.assumedRoleArn, expiration: s.expiration, reassumeReason: reason };
}

async function reassume(d: ConsoleSigninDeps, session: Session, why: string): Promise<Session> {
  try {
    const s = await d.reassume(d.signal);
    d.redactor?.add(s.secretAccessKey, s.sessionToken);
    return s;
  } catch (e) {
    if (isCancelled(e)) throw e;
    const cause = (e as { cause?: { name?: string; message?: string } })?.cause ?? (e as { name?: string; message?: string });
    const code = cause?.name ?? 'Error';
    const msg = d.redactor ? d.redactor.redact(String(cause?.message ?? '')) : '';
    throw new ConsoleSigninError(
      `The AWS federation endpoint refuses this session of ${session.role.label} because ${why}, so the role was assumed again without DurationSeconds for the console, and that failed: ${code}${msg ? ` (${msg})` : ''}. ` +
        (code === 'AccessDenied' || code === 'ExpiredToken'
          ? `Switch Back and assume ${session.role.label} again, then retry Open AWS Console as Role.`
          : `Check your network and retry; Show Log has the details.`),
    );
  }
}

async function getSigninToken(d: ConsoleSigninDeps, endpoint: string, s: Session) {
  const url = signinTokenRequestUrl(endpoint, s);
  const timeout = AbortSignal.timeout(d.timeoutMs ?? 10_000);
  const signal = d.signal ? anySignal([d.signal, timeout]) : timeout;
  let res: { status: number; text(): Promise<string> };
  try {
    res = await d.fetch(url, { method: 'GET', redirect: 'manual', signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if (d.signal?.aborted) throw new CancelledError();
    // Never the error's message: it may quote the request URL, which holds the session.
    const code = (e as { cause?: { code?: string }; name?: string })?.cause?.code ?? (e as Error)?.name ?? 'Error';
    throw new ConsoleSigninError(`Could not reach the AWS federation endpoint ${safeHost(endpoint)} (${code}). Check your network or proxy, or the setting roleSwitcher.console.federationEndpoint, and try again.`, 'roleSwitcher.console.federationEndpoint');
  }
  const body = await res.text().catch(() => '');
  return parseSigninTokenAnswer(res.status, body);
}

function anySignal(signals: AbortSignal[]): AbortSignal {
  const any = (AbortSignal as unknown as { any?: (s: AbortSignal[]) => AbortSignal }).any;
  if (any) return any(signals);
  const c = new AbortController();
  for (const s of signals) {
    if (s.aborted) c.abort();
    else s.addEventListener?.('abort', () => c.abort(), { once: true });
  }
  return c.signal;
}

function safeHost(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return 'the federation endpoint';
  }
}
