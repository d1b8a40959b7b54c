// IAM Identity Center (AWS SSO): the shapes and ports the core uses, types only. This file is the
// contract between the config reader, the token lifecycle, discovery, the switch path and the host:
// src/aws/sso.ts implements SsoGateway with @aws-sdk/client-sso-oidc and @aws-sdk/client-sso (inside
// dist/aws.js, loaded lazily); the host implements SsoTokenStore with SecretStorage.
//
// One session model for "assumed role" and "permission set": a permission set is a RoleDefinition with
// origin 'sso' and `sso` set, and no hops; switching to it calls GetRoleCredentials and yields an
// ordinary Session (with `permissionSet` set). Roles chained from an SSO profile keep their hops and take
// the BaseSource `{ kind: 'sso' }`: the permission set's credentials sign hop 0 (a role session, so AWS
// caps the chained hop at one hour). Status bar, terminals, switch back, renewal and chaining then
// work on it like on any other Session.

/**
 * One access portal to sign in to: an `[sso-session NAME]` section, a legacy profile's own
 * `sso_start_url`, or an entry of the roleSwitcher.sso.startUrls setting. Holds no secret.
 */
export interface SsoPortal {
  /**
   * Stable key: `session:<NAME>` for an sso-session section, `url:<startUrl>` for the legacy form and
   * for settings entries. Tokens are stored and the tree groups by this key.
   */
  readonly id: string;
  readonly startUrl: string;
  /** The region of the portal and the OIDC service (`sso_region`). */
  readonly region: string;
  /** `sso_registration_scopes`, split on commas; the legacy form has none (no refresh token). */
  readonly scopes?: readonly string[];
  readonly source: 'sso-session' | 'legacy-profile' | 'settings';
  /** The sso-session name (source 'sso-session'); the CLI cache file name is sha1 of it. */
  readonly sessionName?: string;
  /** Where it is defined, for messages ("~/.aws/config line 12"). */
  readonly file?: string;
  readonly line?: number;
}

/** A permission set in an account: what GetRoleCredentials needs, plus what the tree shows. */
export interface SsoRoleRef {
  readonly portalId: string;
  readonly accountId: string;
  readonly roleName: string;
  readonly accountName?: string;
  readonly accountEmail?: string;
}

/** An OIDC client registration (RegisterClient). Secret: clientSecret. */
export interface SsoClientRegistration {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly expiresAt: Date;
  readonly scopes?: readonly string[];
}

/** What SecretStorage keeps for one portal (never a setting, never globalState, never a log). */
export interface SsoTokenRecord {
  readonly portalId: string;
  readonly startUrl: string;
  readonly region: string;
  readonly accessToken: string;
  readonly expiresAt: Date;
  readonly refreshToken?: string;
  readonly registration?: SsoClientRegistration;
  /** Where the token came from: our own sign-in, or the AWS CLI's cache (read only). */
  readonly origin: 'signIn' | 'cliCache';
}

/** StartDeviceAuthorization's answer. */
export interface DeviceAuthorization {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly verificationUri: string;
  readonly verificationUriComplete: string;
  /** Seconds. */
  readonly expiresIn: number;
  /** Seconds between polls; AWS's default is 5 when absent. */
  readonly interval: number;
}

export interface SsoAccount {
  readonly accountId: string;
  readonly accountName?: string;
  readonly emailAddress?: string;
}

export interface SsoRoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** Where to send SSO and OIDC calls: the portal's region, and an explicit endpoint if one is set. */
export interface SsoCallOptions {
  readonly region: string;
  /** The roleSwitcher.endpointUrl setting or AWS_ENDPOINT_URL(_SSO/_SSO_OIDC); else the SDK's own. */
  readonly endpoint?: string;
  readonly timeoutMs?: number;
  readonly abortSignal?: AbortSignal;
}

/**
 * The SDK calls of IAM Identity Center. Errors are the SDK's own, untouched: `name` is the service's
 * error code (AuthorizationPendingException, SlowDownException, ExpiredTokenException,
 * AccessDeniedException, UnauthorizedException, TooManyRequestsException, ResourceNotFoundException, ...).
 */
export interface SsoGateway {
  registerClient(opts: SsoCallOptions, params: { readonly clientName: string; readonly scopes?: readonly string[]; readonly issuerUrl?: string }): Promise<SsoClientRegistration>;
  startDeviceAuthorization(opts: SsoCallOptions, params: { readonly clientId: string; readonly clientSecret: string; readonly startUrl: string }): Promise<DeviceAuthorization>;
  /** grant `urn:ietf:params:oauth:grant-type:device_code` (deviceCode) or `refresh_token` (refreshToken). */
  createToken(
    opts: SsoCallOptions,
    params: { readonly clientId: string; readonly clientSecret: string; readonly grantType: 'urn:ietf:params:oauth:grant-type:device_code' | 'refresh_token'; readonly deviceCode?: string; readonly refreshToken?: string },
  ): Promise<{ readonly accessToken: string; readonly expiresIn: number; readonly refreshToken?: string }>;
  /** sso:ListAccounts, one page per iteration. */
  listAccounts(opts: SsoCallOptions, accessToken: string): AsyncIterable<SsoAccount[]>;
  /**
   * Optional: sso:ListAccounts, one page from `nextToken`. When present, discovery (core/ssoDiscovery.ts)
   * uses it so a throttled page is retried alone instead of starting the listing over.
   */
  listAccountsPage?(opts: SsoCallOptions, accessToken: string, nextToken?: string): Promise<{ readonly accounts: SsoAccount[]; readonly nextToken?: string }>;
  /** sso:ListAccountRoles for one account, every page. */
  listAccountRoles(opts: SsoCallOptions, accessToken: string, accountId: string): Promise<string[]>;
  getRoleCredentials(opts: SsoCallOptions, accessToken: string, accountId: string, roleName: string): Promise<SsoRoleCredentials>;
  logout(opts: SsoCallOptions, accessToken: string): Promise<void>;
}

/** SecretStorage behind a port: one record per portal id. */
export interface SsoTokenStore {
  get(portalId: string): Promise<SsoTokenRecord | undefined>;
  set(record: SsoTokenRecord): Promise<void>;
  delete(portalId: string): Promise<void>;
}

/** No valid token for the portal (never signed in, expired, refresh failed, revoked): sign in again. */
export class SsoSignInRequiredError extends Error {
  override readonly name = 'SsoSignInRequired';
  constructor(
    readonly portalId: string,
    readonly startUrl: string,
    why: string,
  ) {
    super(`Sign in to IAM Identity Center (${startUrl}) again: ${why}`);
  }
}
