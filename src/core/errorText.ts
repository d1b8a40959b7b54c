// AWS and configuration errors, translated into words a user acts on. Pure: the host adds buttons
// for the actions and redacts the text before showing it.

import { ConfigError, isCancelled } from './errors';

export type ErrorAction = 'copyCallerArn' | 'explain' | 'openConfig' | 'openSettings' | 'retry' | 'showLog' | 'assumeAgain';

export interface ErrorContext {
  /** The role the user asked for. */
  readonly roleLabel?: string;
  readonly roleArn?: string;
  /** The identity that made the failing call, when known. */
  readonly callerArn?: string;
  /** "hop 2 of 3 (profile 'deploy')" for chains. */
  readonly hop?: { readonly index: number; readonly count: number; readonly profile?: string; readonly roleArn: string };
  readonly endpoint?: string;
  readonly region?: string;
  /** The base credential source, for expired-credential hints. */
  readonly baseProfile?: string;
  readonly baseIsSso?: boolean;
  /** What discovery knows about the trust policy, if anything. */
  readonly trustVerdict?: 'trusted' | 'notTrusted' | 'delegates';
}

export interface TranslatedError {
  /** Short code for logs and tests: 'accessDenied', 'mfa', 'expiredBase', ... */
  readonly kind: string;
  readonly message: string;
  readonly actions: readonly ErrorAction[];
}

interface AwsLikeError {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $fault?: string;
}

export function errorCode(err: unknown): string {
  const e = err as AwsLikeError | undefined;
  return String(e?.name ?? e?.Code ?? e?.code ?? 'Error');
}

function msg(err: unknown): string {
  return String((err as AwsLikeError | undefined)?.message ?? err ?? '');
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);
const THROTTLE = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown']);
const TIMEOUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

export function translateError(err: unknown, ctx: ErrorContext = {}): TranslatedError | undefined {
  if (isCancelled(err)) return undefined;
  const role = ctx.roleLabel ? `"${ctx.roleLabel}"` : 'the role';
  const hop = ctx.hop && ctx.hop.count > 1
    ? ` at hop ${ctx.hop.index + 1} of ${ctx.hop.count} (${ctx.hop.profile ? `profile "${ctx.hop.profile}", ` : ''}${ctx.hop.roleArn})`
    : '';
  const prefix = `Could not assume ${role}${hop}: `;

  if (err instanceof ConfigError) {
    return { kind: 'config', message: `${prefix}${err.message}`, actions: ['openConfig'] };
  }
  const code = errorCode(err);
  const text = msg(err);
  const status = (err as AwsLikeError | undefined)?.$metadata?.httpStatusCode;
  const attempts = (err as AwsLikeError | undefined)?.$metadata?.attempts;
  const errno = (err as { code?: string } | undefined)?.code;
  const where = ctx.endpoint ? ` at ${ctx.endpoint}` : '';

  if (/MultiFactorAuthentication failed|invalid MFA one time pass code/i.test(text)) {
    return {
      kind: 'mfa',
      message: `${prefix}the MFA code was not accepted. Codes change every 30 seconds: wait for the next code and try again. The previous session is unchanged.`,
      actions: ['retry'],
    };
  }
  if (code === 'AccessDenied' || code === 'AccessDeniedException') {
    if (/root accounts/i.test(text)) {
      return { kind: 'root', message: `${prefix}AWS never lets the root user assume a role. Use an IAM user or role as your base identity (setting roleSwitcher.sourceProfile).`, actions: ['openSettings'] };
    }
    const caller = ctx.callerArn ? ` (${ctx.callerArn})` : '';
    const roleArn = ctx.hop?.roleArn ?? ctx.roleArn ?? 'the role';
    const c1 = `(1) your identity${caller} must be allowed sts:AssumeRole on ${roleArn} by an IAM policy`;
    const c2 = `(2) the role's trust policy must name you or your account`;
    let likely: string;
    switch (ctx.trustVerdict) {
      case 'notTrusted':
        likely = 'Likely missing: (2), the role\'s trust policy does not name you.';
        break;
      case 'trusted':
      case 'delegates':
        likely = 'Likely missing: (1), the trust policy names you, so your IAM policy lacks sts:AssumeRole on this role.';
        break;
      default:
        likely = /not authorized to perform: sts:AssumeRole/.test(text)
          ? 'AWS does not say which one failed; "Explain" checks the trust policy when you may read it.'
          : 'Explain checks which one is missing.';
    }
    return {
      kind: 'accessDenied',
      message: `${prefix}access denied. Assuming a role needs two things: ${c1}, and ${c2}. ${likely}`,
      actions: ['explain', 'copyCallerArn'],
    };
  }
  if (code === 'ExpiredToken' || code === 'ExpiredTokenException' || code === 'TokenRefreshRequired' || /token included in the request is expired/i.test(text)) {
    const login = ctx.baseIsSso && ctx.baseProfile
      ? `Run "aws sso login --profile ${ctx.baseProfile}" and try again.`
      : ctx.baseProfile
        ? `Refresh the credentials of profile "${ctx.baseProfile}" (its login flow, or new keys in the credentials file) and try again.`
        : 'Refresh your base credentials and try again.';
    return { kind: 'expiredBase', message: `${prefix}your base credentials have expired. ${login}`, actions: ['retry'] };
  }
  if (code === 'InvalidClientTokenId' || code === 'UnrecognizedClientException') {
    return { kind: 'invalidKey', message: `${prefix}AWS does not recognize the access key of your base credentials (deleted, deactivated, or for another partition). Check the profile${ctx.baseProfile ? ` "${ctx.baseProfile}"` : ''} in your credentials file.`, actions: ['openConfig'] };
  }
  if (code === 'SignatureDoesNotMatch' || code === 'InvalidSignatureException') {
    const skew = /expired|skew|time/i.test(text);
    return {
      kind: skew ? 'clockSkew' : 'badSignature',
      message: skew
        ? `${prefix}the request's time was refused by AWS. Check this computer's clock; the SDK corrects small offsets on its own.`
        : `${prefix}AWS rejected the request signature: the secret key of your base credentials does not match its access key.`,
      actions: ['openConfig'],
    };
  }
  if (code === 'RegionDisabledException') {
    return { kind: 'regionDisabled', message: `${prefix}STS is not activated in region ${ctx.region ?? '(unknown)'} for this account. Use another region (setting roleSwitcher.region) or the global endpoint https://sts.amazonaws.com, or ask an admin to activate the region in IAM account settings.`, actions: ['openSettings'] };
  }
  if (THROTTLE.has(code) || status === 429) {
    return { kind: 'throttled', message: `${prefix}AWS is throttling requests${attempts ? ` (tried ${attempts} times)` : ''}. Wait a few seconds and try again.`, actions: ['retry'] };
  }
  if (code === 'ValidationError') {
    return { kind: 'validation', message: `${prefix}${text}`, actions: ['openConfig'] };
  }
  if (code === 'MalformedResponse' || /Deserialization error|Unexpected|XML|parse/i.test(code) || /Deserialization error|could not parse|Expected closing tag/i.test(text)) {
    return { kind: 'malformed', message: `${prefix}STS${where} answered with a response that could not be read, so no session was created. Check the endpoint (setting roleSwitcher.endpointUrl, AWS_ENDPOINT_URL).`, actions: ['showLog', 'retry'] };
  }
  if (code === 'ResponseTooLarge') {
    return { kind: 'malformed', message: `${prefix}STS${where} sent an unexpectedly large response, which was refused. Check the endpoint (setting roleSwitcher.endpointUrl, AWS_ENDPOINT_URL).`, actions: ['showLog'] };
  }
  if (TIMEOUT.has(code) || errno === 'ETIMEDOUT' || /timed? ?out/i.test(text)) {
    return { kind: 'timeout', message: `${prefix}STS${where} did not answer in time. Check your network or proxy, or raise roleSwitcher.requestTimeoutSeconds.`, actions: ['retry'] };
  }
  if ((errno && NETWORK_CODES.has(errno)) || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|socket hang up/.test(text)) {
    return { kind: 'network', message: `${prefix}could not reach STS${where} (${errno ?? 'network error'}). Check your network, proxy and the endpoint (setting roleSwitcher.endpointUrl, AWS_ENDPOINT_URL).`, actions: ['retry'] };
  }
  if (code === 'CredentialsProviderError' || /Could not load credentials|Unable to load credentials|could not resolve credentials/i.test(text)) {
    return { kind: 'noBase', message: `${prefix}no base credentials were found${ctx.baseProfile ? ` for profile "${ctx.baseProfile}"` : ''}. Add keys to ~/.aws/credentials, log in with your profile's login flow, or pick a profile with the setting roleSwitcher.sourceProfile.`, actions: ['openConfig', 'openSettings'] };
  }
  if ((status && status >= 500) || code === 'InternalFailure' || code === 'ServiceUnavailable' || code === 'InternalError') {
    return { kind: 'server', message: `${prefix}AWS STS had a server error (${code}${attempts ? `, tried ${attempts} times` : ''}). Try again in a moment.`, actions: ['retry'] };
  }
  return { kind: 'other', message: `${prefix}${code}: ${text}`, actions: ['showLog'] };
}
