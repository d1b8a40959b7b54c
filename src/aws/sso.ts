// The AWS SDK v3 implementation of SsoGateway (core/ssoTypes.ts): IAM Identity Center's OIDC service
// (@aws-sdk/client-sso-oidc: RegisterClient, StartDeviceAuthorization, CreateToken) and its portal
// (@aws-sdk/client-sso: ListAccounts, ListAccountRoles, GetRoleCredentials, Logout). Part of
// dist/aws.js, loaded lazily; never imported by dist/extension.js.
//
// These calls are not SigV4-signed: the OIDC calls carry the client registration, the portal calls
// the access token (x-amz-sso_bearer_token). Clients are cached per service, region, endpoint and
// timeout, like gateway.ts. The endpoint is SsoCallOptions.endpoint when given, else the SDK's own
// resolution, which reads AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL_SSO_OIDC / AWS_ENDPOINT_URL.
// Errors are the SDK's own, untouched (name = the service's error code); an answer without what the
// call promises is MalformedResponse. Nothing here logs a parameter or an answer (tokens, secrets).
import { CreateTokenCommand, RegisterClientCommand, SSOOIDCClient, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { GetRoleCredentialsCommand, ListAccountRolesCommand, ListAccountsCommand, LogoutCommand, SSOClient } from '@aws-sdk/client-sso';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { DeviceAuthorization, SsoAccount, SsoCallOptions, SsoClientRegistration, SsoGateway, SsoRoleCredentials } from '../core/ssoTypes';

export interface SsoGatewayOptions {
  /** Total attempts per call (standard retry strategy: throttling and 5xx are retried). Default 3. */
  readonly maxAttempts?: number;
  /** Per-attempt timeout when SsoCallOptions.timeoutMs is absent. Default 10000. */
  readonly timeoutMs?: number;
  /** One line per call: service:operation, outcome, HTTP status, attempts, duration. Never parameters. */
  readonly logger?: (line: string) => void;
  /** Clients kept (LRU). Default 16. */
  readonly maxClients?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** The OAuth device grant and the refresh grant, as RegisterClient and CreateToken name them. */
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const REFRESH_GRANT = 'refresh_token';

type Service = 'sso' | 'oidc';
type AnyClient = SSOClient | SSOOIDCClient;

function malformed(what: string): Error {
  const e = new Error(`Malformed IAM Identity Center response: ${what}`) as Error & { $metadata: object; $fault: string };
  e.name = 'MalformedResponse';
  e.$metadata = {};
  e.$fault = 'client';
  return e;
}

/** Seconds or milliseconds since the epoch (the SDK gives numbers) as a Date; NaN dates stay NaN. */
function epochDate(value: unknown, unit: 'ms' | 's'): Date {
  return new Date(typeof value === 'number' ? (unit === 's' ? value * 1000 : value) : NaN);
}

export class SdkSsoGateway implements SsoGateway {
  private readonly clients = new Map<string, AnyClient>();
  private readonly maxAttempts: number;
  private readonly defaultTimeoutMs: number;
  private readonly maxClients: number;
  private readonly logger?: (line: string) => void;

  constructor(options: SsoGatewayOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.defaultTimeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxClients = options.maxClients ?? 16;
    this.logger = options.logger;
  }

  /** Number of cached SDK clients (tests and the benchmark). */
  clientCount(): number {
    return this.clients.size;
  }

  /** Drops the cached clients (settings changed). */
  reset(): void {
    for (const c of this.clients.values()) {
      try {
        c.destroy();
      } catch {
        /* nothing left to do for a client that fails to close */
      }
    }
    this.clients.clear();
  }

  private client(service: 'sso', opts: SsoCallOptions): SSOClient;
  private client(service: 'oidc', opts: SsoCallOptions): SSOOIDCClient;
  private client(service: Service, opts: SsoCallOptions): AnyClient {
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    const key = `${service}|${opts.region}|${opts.endpoint ?? ''}|${timeoutMs}`;
    const hit = this.clients.get(key);
    if (hit) {
      this.clients.delete(key);
      this.clients.set(key, hit);
      return hit;
    }
    const config = {
      region: opts.region,
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
      maxAttempts: this.maxAttempts,
      retryMode: 'standard',
      requestHandler: new NodeHttpHandler({ connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true, socketTimeout: timeoutMs }),
    };
    const client: AnyClient = service === 'sso' ? new SSOClient(config) : new SSOOIDCClient(config);
    this.clients.set(key, client);
    while (this.clients.size > this.maxClients) {
      const oldest = this.clients.keys().next().value as string;
      const c = this.clients.get(oldest);
      this.clients.delete(oldest);
      c?.destroy();
    }
    return client;
  }

  /** client.send with one log line per call (operation, outcome, status, attempts, duration). */
  private async send<T extends { $metadata?: { httpStatusCode?: number; attempts?: number } }>(label: string, client: AnyClient, command: unknown, opts: SsoCallOptions): Promise<T> {
    const t0 = performance.now();
    try {
      const out = (await (client as any).send(command, opts.abortSignal ? { abortSignal: opts.abortSignal } : undefined)) as T;
      this.logger?.(`${label} ok ${out.$metadata?.httpStatusCode ?? ''} attempts=${out.$metadata?.attempts ?? 1} ${Math.round(performance.now() - t0)}ms`);
      return out;
    } catch (e) {
      const m = (e as { $metadata?: { httpStatusCode?: number; attempts?: number } }).$metadata;
      this.logger?.(`${label} failed ${(e as Error)?.name ?? 'Error'} ${m?.httpStatusCode ?? ''} attempts=${m?.attempts ?? 1} ${Math.round(performance.now() - t0)}ms`);
      throw e;
    }
  }

  async registerClient(opts: SsoCallOptions, params: { readonly clientName: string; readonly scopes?: readonly string[]; readonly issuerUrl?: string }): Promise<SsoClientRegistration> {
    const scopes = params.scopes?.length ? [...params.scopes] : undefined;
    const out = await this.send<{ clientId?: string; clientSecret?: string; clientSecretExpiresAt?: number; $metadata?: object }>(
      'sso-oidc:RegisterClient',
      this.client('oidc', opts),
      new RegisterClientCommand({
        clientName: params.clientName,
        clientType: 'public',
        ...(scopes ? { scopes } : {}),
        // With scopes (an sso-session), register for refresh tokens too, as the AWS CLI does.
        ...(scopes ? { grantTypes: [DEVICE_GRANT, REFRESH_GRANT] } : {}),
        ...(params.issuerUrl ? { issuerUrl: params.issuerUrl } : {}),
      }),
      opts,
    );
    if (!out.clientId || !out.clientSecret) throw malformed('RegisterClient returned no client id or secret');
    return { clientId: out.clientId, clientSecret: out.clientSecret, expiresAt: epochDate(out.clientSecretExpiresAt, 's'), ...(scopes ? { scopes } : {}) };
  }

  async startDeviceAuthorization(opts: SsoCallOptions, params: { readonly clientId: string; readonly clientSecret: string; readonly startUrl: string }): Promise<DeviceAuthorization> {
    const out = await this.send<{ deviceCode?: string; userCode?: string; verificationUri?: string; verificationUriComplete?: string; expiresIn?: number; interval?: number; $metadata?: object }>(
      'sso-oidc:StartDeviceAuthorization',
      this.client('oidc', opts),
      new StartDeviceAuthorizationCommand({ clientId: params.clientId, clientSecret: params.clientSecret, startUrl: params.startUrl }),
      opts,
    );
    if (!out.deviceCode || !out.userCode || !out.verificationUri) throw malformed('StartDeviceAuthorization returned no device code, user code or verification URI');
    return {
      deviceCode: out.deviceCode,
      userCode: out.userCode,
      verificationUri: out.verificationUri,
      verificationUriComplete: out.verificationUriComplete ?? out.verificationUri,
      expiresIn: typeof out.expiresIn === 'number' ? out.expiresIn : 600,
      interval: typeof out.interval === 'number' && out.interval > 0 ? out.interval : 5,
    };
  }

  async createToken(
    opts: SsoCallOptions,
    params: { readonly clientId: string; readonly clientSecret: string; readonly grantType: typeof DEVICE_GRANT | typeof REFRESH_GRANT; readonly deviceCode?: string; readonly refreshToken?: string },
  ): Promise<{ readonly accessToken: string; readonly expiresIn: number; readonly refreshToken?: string }> {
    const out = await this.send<{ accessToken?: string; expiresIn?: number; refreshToken?: string; $metadata?: object }>(
      'sso-oidc:CreateToken',
      this.client('oidc', opts),
      new CreateTokenCommand({
        clientId: params.clientId,
        clientSecret: params.clientSecret,
        grantType: params.grantType,
        ...(params.deviceCode !== undefined ? { deviceCode: params.deviceCode } : {}),
        ...(params.refreshToken !== undefined ? { refreshToken: params.refreshToken } : {}),
      }),
      opts,
    );
    if (!out.accessToken || typeof out.expiresIn !== 'number') throw malformed('CreateToken returned no access token or expiry');
    return out.refreshToken ? { accessToken: out.accessToken, expiresIn: out.expiresIn, refreshToken: out.refreshToken } : { accessToken: out.accessToken, expiresIn: out.expiresIn };
  }

  async *listAccounts(opts: SsoCallOptions, accessToken: string): AsyncIterable<SsoAccount[]> {
    let nextToken: string | undefined;
    const seen = new Set<string>();
    do {
      const out = await this.send<{ accountList?: Array<{ accountId?: string; accountName?: string; emailAddress?: string }>; nextToken?: string; $metadata?: object }>(
        'sso:ListAccounts',
        this.client('sso', opts),
        new ListAccountsCommand({ accessToken, ...(nextToken ? { nextToken } : {}) }),
        opts,
      );
      const page: SsoAccount[] = [];
      for (const a of out.accountList ?? []) {
        if (!a.accountId) continue;
        page.push({ accountId: a.accountId, ...(a.accountName ? { accountName: a.accountName } : {}), ...(a.emailAddress ? { emailAddress: a.emailAddress } : {}) });
      }
      yield page;
      nextToken = out.nextToken || undefined;
      // A service that hands back a token it gave before would page forever.
      if (nextToken !== undefined) {
        if (seen.has(nextToken)) throw malformed('ListAccounts repeated a page token');
        seen.add(nextToken);
      }
    } while (nextToken !== undefined);
  }

  async listAccountRoles(opts: SsoCallOptions, accessToken: string, accountId: string): Promise<string[]> {
    const roles: string[] = [];
    const seen = new Set<string>();
    let nextToken: string | undefined;
    do {
      const out = await this.send<{ roleList?: Array<{ roleName?: string }>; nextToken?: string; $metadata?: object }>(
        'sso:ListAccountRoles',
        this.client('sso', opts),
        new ListAccountRolesCommand({ accessToken, accountId, ...(nextToken ? { nextToken } : {}) }),
        opts,
      );
      for (const r of out.roleList ?? []) if (r.roleName) roles.push(r.roleName);
      nextToken = out.nextToken || undefined;
      if (nextToken !== undefined) {
        if (seen.has(nextToken)) throw malformed('ListAccountRoles repeated a page token');
        seen.add(nextToken);
      }
    } while (nextToken !== undefined);
    return roles;
  }

  async getRoleCredentials(opts: SsoCallOptions, accessToken: string, accountId: string, roleName: string): Promise<SsoRoleCredentials> {
    const out = await this.send<{ roleCredentials?: { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string; expiration?: number }; $metadata?: object }>(
      'sso:GetRoleCredentials',
      this.client('sso', opts),
      new GetRoleCredentialsCommand({ accessToken, accountId, roleName }),
      opts,
    );
    const c = out.roleCredentials;
    if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken) throw malformed('GetRoleCredentials returned no complete set of credentials');
    const expiration = epochDate(c.expiration, 'ms');
    if (!Number.isFinite(expiration.getTime())) throw malformed('GetRoleCredentials returned no valid expiration');
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration };
  }

  async logout(opts: SsoCallOptions, accessToken: string): Promise<void> {
    await this.send('sso:Logout', this.client('sso', opts), new LogoutCommand({ accessToken }), opts);
  }
}

/** The factory dist/aws.js exports (AwsModule.createSsoGateway). */
export function createSsoGateway(options?: SsoGatewayOptions): SdkSsoGateway {
  return new SdkSsoGateway(options);
}
