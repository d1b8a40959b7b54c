// Console sign-in, pure: the federation endpoint's URLs (getSigninToken, login) per partition, the
// Destination, the access portal's shortcut URL for IAM Identity Center permission sets, and the rule
// that decides which sessions the federation endpoint refuses.
//
// AWS, "Enable custom identity broker access to the AWS console" (IAM User Guide):
//   1. GET https://<signin host>/federation?Action=getSigninToken&Session=<JSON {sessionId, sessionKey,
//      sessionToken}, URL-encoded>[&SessionDuration=900..43200] -> {"SigninToken": "..."}
//   2. https://<signin host>/federation?Action=login&Issuer=<url>&Destination=<console url>&SigninToken=<token>
// "If you use DurationSeconds with an AssumeRole* operation, you must call it as an IAM user with
// long-term credentials. Otherwise, the call to the federation endpoint in step 3 fails." The switch
// always sends DurationSeconds, so a session it signed with temporary credentials (role chaining, an
// MFA session from GetSessionToken) is assumed again for the console without DurationSeconds: a
// 1-hour console session (consoleRoute below; Switcher.assumeForConsole does it).
// SessionDuration is only for sessions assumed without DurationSeconds and not by role chaining (which
// caps the console at the session's hour); the extension sends it only when asked (`sessionDurationSeconds`).
//
// Every URL built here holds a secret (the session, or the sign-in token): callers add the token to the
// redactor and never log or store the URL.

import type { Session } from './types';
import { partitionInfo, partitionOfArn, regionForRole } from './partitions';

/** Shown as the issuer: where AWS sends the user when the console session ends (it re-runs the command). */
export const DEFAULT_ISSUER = 'https://marketplace.visualstudio.com/vscode';

/** A console sign-in step that failed, worded with the next step. Never carries a secret. */
export class ConsoleSigninError extends Error {
  override readonly name = 'ConsoleSigninError';
  constructor(message: string, readonly setting?: string) {
    super(message);
  }
}

/** `https://<console host>/console/home?region=<region>`: the default Destination. */
export function consoleHomeUrl(partition: string | undefined, region: string): string {
  return `https://${partitionInfo(partition).consoleHost}/console/home?region=${encodeURIComponent(region)}`;
}

/**
 * The Destination: `setting` (roleSwitcher.console.destination) or the console home of `region`.
 * The setting may be a console path (`/s3/home`), or a full https URL on the partition's console host
 * or one of its subdomains (`https://s3.console.aws.amazon.com/s3/home`); `{region}` in it becomes the
 * session's region. Anything else is refused with the setting named.
 */
export function resolveDestination(setting: string | undefined, partition: string | undefined, region: string): string {
  const raw = (setting ?? '').trim();
  if (!raw) return consoleHomeUrl(partition, region);
  const host = partitionInfo(partition).consoleHost;
  const text = raw.replace(/\{region\}/g, encodeURIComponent(region));
  const bad = (why: string) =>
    new ConsoleSigninError(
      `The setting roleSwitcher.console.destination (${JSON.stringify(raw)}) ${why}. Use a console path such as "/s3/home?region={region}", a URL on https://${host}, or leave it empty for the console home.`,
      'roleSwitcher.console.destination',
    );
  let url: URL;
  try {
    url = new URL(text.startsWith('/') ? `https://${host}${text}` : text);
  } catch {
    throw bad('is not a URL');
  }
  if (url.protocol !== 'https:') throw bad('must be an https URL');
  if (url.username || url.password) throw bad('must not carry a user name or password');
  const h = url.hostname.toLowerCase();
  if (h !== host && !h.endsWith(`.${host}`)) throw bad(`is not on the ${partitionInfo(partition).partition} console (${host})`);
  return url.toString();
}

/**
 * The federation endpoint: `override` (roleSwitcher.console.federationEndpoint, for tests and private
 * endpoints) or `https://<partition's sign-in host>/federation`.
 */
export function federationEndpoint(partition: string | undefined, override?: string): string {
  const o = (override ?? '').trim();
  if (!o) return `https://${partitionInfo(partition).signinHost}/federation`;
  let url: URL;
  try {
    url = new URL(o);
  } catch {
    throw new ConsoleSigninError(`The setting roleSwitcher.console.federationEndpoint (${JSON.stringify(o)}) is not a URL. Set it to an https URL ending in /federation, or clear it to use ${federationEndpoint(partition)}.`, 'roleSwitcher.console.federationEndpoint');
  }
  const loopback = /^127(\.\d{1,3}){3}$/.test(url.hostname) || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConsoleSigninError(`The setting roleSwitcher.console.federationEndpoint (${JSON.stringify(o)}) must be https (plain http only to this computer's loopback address): the request carries the session's credentials.`, 'roleSwitcher.console.federationEndpoint');
  }
  url.search = '';
  url.hash = '';
  return url.toString();
}

export interface ConsoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

/** The sign-in token request. Holds the session's secrets: never log it. */
export function signinTokenRequestUrl(endpoint: string, c: ConsoleCredentials, opts: { readonly sessionDurationSeconds?: number } = {}): string {
  const session = JSON.stringify({ sessionId: c.accessKeyId, sessionKey: c.secretAccessKey, sessionToken: c.sessionToken });
  let url = `${endpoint}?Action=getSigninToken&Session=${encodeURIComponent(session)}`;
  const d = opts.sessionDurationSeconds;
  if (d !== undefined) {
    if (!Number.isInteger(d) || d < 900 || d > 43200) throw new ConsoleSigninError(`A console session lasts 900 to 43200 seconds; ${d} is outside that range.`);
    url += `&SessionDuration=${d}`;
  }
  return url;
}

/** The login URL that opens the console. Holds the sign-in token: never log it. */
export function loginUrl(endpoint: string, p: { readonly signinToken: string; readonly destination: string; readonly issuer?: string }): string {
  return `${endpoint}?Action=login&Issuer=${encodeURIComponent(p.issuer ?? DEFAULT_ISSUER)}&Destination=${encodeURIComponent(p.destination)}&SigninToken=${encodeURIComponent(p.signinToken)}`;
}

/** What the federation endpoint said to getSigninToken. */
export type SigninTokenAnswer = { readonly ok: true; readonly signinToken: string } | { readonly ok: false; readonly refused: boolean; readonly status: number };

/**
 * Reads the getSigninToken answer. A 4xx (AWS answers a session it will not federate with 400 and no
 * token) is `refused`; a 5xx or a body without a token is a failure of the endpoint itself.
 */
export function parseSigninTokenAnswer(status: number, body: string): SigninTokenAnswer {
  if (status === 200) {
    try {
      const o = JSON.parse(body) as { SigninToken?: unknown };
      if (typeof o?.SigninToken === 'string' && o.SigninToken.length > 0) return { ok: true, signinToken: o.SigninToken };
    } catch {
      /* below */
    }
    return { ok: false, refused: false, status };
  }
  return { ok: false, refused: status >= 400 && status < 500, status };
}

/**
 * How a session reaches the console:
 * - `portal`: an IAM Identity Center permission set: the access portal's shortcut URL, no federation call;
 * - `federation`: getSigninToken with the session as it is;
 * - `reassume`: the session was assumed with DurationSeconds while signed by temporary credentials (role
 *   chaining, or an MFA session from GetSessionToken), which the federation endpoint refuses: assume
 *   the role again without DurationSeconds, for the console only.
 */
export type ConsoleRoute = { readonly kind: 'portal' } | { readonly kind: 'federation' } | { readonly kind: 'reassume'; readonly why: string };

export function consoleRoute(s: Pick<Session, 'chained' | 'viaMfaSession' | 'permissionSet' | 'role'>): ConsoleRoute {
  if (s.permissionSet || (s.role.origin === 'sso' && s.role.sso)) return { kind: 'portal' };
  if (s.chained) return { kind: 'reassume', why: 'it was assumed with another role session (role chaining)' };
  if (s.viaMfaSession) return { kind: 'reassume', why: 'it was assumed with an MFA session (sts:GetSessionToken)' };
  return { kind: 'federation' };
}

/** The partition and region of a session, for hosts and the Destination. */
export function sessionPlace(s: Pick<Session, 'assumedRoleArn' | 'region' | 'role'>, configuredRegion: string): { partition: string; region: string } {
  const partition = partitionOfArn(s.assumedRoleArn) ?? partitionOfArn(s.role.roleArn) ?? s.role.partition ?? 'aws';
  return { partition, region: regionForRole(partition, s.region ?? s.role.region, configuredRegion) };
}

/**
 * The access portal's shortcut URL for a permission set: `<startUrl>/#/console?account_id=…&role_name=…`
 * (and `&destination=` when given). It holds no secret: the portal signs the user in with its own session.
 */
export function ssoConsoleUrl(startUrl: string, accountId: string, roleName: string, destination?: string): string {
  if (!/^\d{12}$/.test(accountId)) throw new ConsoleSigninError(`"${accountId}" is not a 12-digit AWS account ID.`);
  let base: URL;
  try {
    base = new URL(startUrl.trim());
  } catch {
    throw new ConsoleSigninError(`The access portal URL ${JSON.stringify(startUrl)} is not a URL. Check sso_start_url in your AWS config file or roleSwitcher.sso.startUrls.`);
  }
  if (base.protocol !== 'https:') throw new ConsoleSigninError(`The access portal URL ${JSON.stringify(startUrl)} must be https.`);
  const root = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
  const q = `account_id=${encodeURIComponent(accountId)}&role_name=${encodeURIComponent(roleName)}${destination ? `&destination=${encodeURIComponent(destination)}` : ''}`;
  return `${root}/#/console?${q}`;
}

/** The one-line description of a console URL for messages: never the URL itself. */
export function describeConsoleTarget(destination: string): string {
  try {
    const u = new URL(destination);
    return `${u.hostname}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'the AWS console';
  }
}
