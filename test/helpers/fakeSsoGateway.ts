// An in-memory IAM Identity Center (OIDC + portal) for the core's SSO tests: records every call, answers
// from a script. Hand-written against the SsoGateway port, not the wire format.
import type { DeviceAuthorization, SsoAccount, SsoCallOptions, SsoClientRegistration, SsoGateway, SsoRoleCredentials, SsoTokenRecord, SsoTokenStore } from '../../src/core/ssoTypes';

export function awsError(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

export interface FakeSsoCall {
  readonly op: string;
  readonly opts: SsoCallOptions;
  readonly params?: Record<string, unknown>;
}

export class FakeSsoGateway implements SsoGateway {
  calls: FakeSsoCall[] = [];
  now: () => number = Date.now;
  registrationSeconds = 90 * 24 * 3600;
  tokenSeconds = 3600;
  issueRefreshToken = true;
  auth: Omit<DeviceAuthorization, 'deviceCode'> = { userCode: 'ABCD-EFGH', verificationUri: 'https://device.sso.example/', verificationUriComplete: 'https://device.sso.example/?user_code=ABCD-EFGH', expiresIn: 600, interval: 5 };
  /** What each device-code CreateToken answers, in order (an Error is thrown); then success. */
  devicePolls: Array<Error | 'ok'> = [];
  /** Errors the next refresh-token CreateToken calls throw. */
  refreshFailures: Error[] = [];
  /** Held open until resolved (single-flight tests). */
  refreshHold: Promise<void> | undefined;
  logoutFailure: Error | undefined;
  n = 0;

  // Portal
  accounts: SsoAccount[] = [];
  pageSize = 10;
  rolesOf: (accountId: string) => string[] = () => ['ReadOnly'];
  /** Called before each ListAccountRoles/ListAccounts page; may throw (throttling) or wait. */
  beforePortalCall: (op: string, accountId?: string) => Promise<void> | void = () => undefined;
  inFlight = 0;
  maxInFlight = 0;

  ops(): string[] {
    return this.calls.map((c) => c.op);
  }

  async registerClient(opts: SsoCallOptions, params: { clientName: string; scopes?: readonly string[] }): Promise<SsoClientRegistration> {
    this.calls.push({ op: 'RegisterClient', opts, params: { ...params } });
    const i = ++this.n;
    return { clientId: `client-${i}`, clientSecret: `client-secret-${i}`.padEnd(60, 'c'), expiresAt: new Date(this.now() + this.registrationSeconds * 1000) };
  }

  async startDeviceAuthorization(opts: SsoCallOptions, params: { clientId: string; clientSecret: string; startUrl: string }): Promise<DeviceAuthorization> {
    this.calls.push({ op: 'StartDeviceAuthorization', opts, params: { ...params } });
    return { ...this.auth, deviceCode: `device-code-${++this.n}` };
  }

  async createToken(
    opts: SsoCallOptions,
    params: { clientId: string; clientSecret: string; grantType: string; deviceCode?: string; refreshToken?: string },
  ): Promise<{ accessToken: string; expiresIn: number; refreshToken?: string }> {
    this.calls.push({ op: params.grantType === 'refresh_token' ? 'CreateToken(refresh)' : 'CreateToken', opts, params: { ...params } });
    if (params.grantType === 'refresh_token') {
      if (this.refreshHold) await this.refreshHold;
      const f = this.refreshFailures.shift();
      if (f) throw f;
    } else {
      const next = this.devicePolls.shift();
      if (next instanceof Error) throw next;
    }
    const i = ++this.n;
    return { accessToken: `access-token-${i}`.padEnd(120, 'a'), expiresIn: this.tokenSeconds, ...(this.issueRefreshToken ? { refreshToken: `refresh-token-${i}`.padEnd(120, 'r') } : {}) };
  }

  async *listAccounts(opts: SsoCallOptions, accessToken: string): AsyncIterable<SsoAccount[]> {
    for (let i = 0; i < this.accounts.length || i === 0; i += this.pageSize) {
      this.calls.push({ op: 'ListAccounts', opts, params: { accessToken, page: i / this.pageSize } });
      await this.beforePortalCall('ListAccounts');
      yield this.accounts.slice(i, i + this.pageSize);
      if (this.accounts.length === 0) return;
    }
  }

  /** Offer the optional one-page method (SsoGateway.listAccountsPage). */
  enablePageMethod(): void {
    this.listAccountsPage = async (opts: SsoCallOptions, accessToken: string, nextToken?: string) => {
      const i = nextToken ? Number(nextToken) : 0;
      this.calls.push({ op: 'ListAccounts', opts, params: { accessToken, page: i / this.pageSize } });
      await this.beforePortalCall('ListAccounts');
      const next = i + this.pageSize < this.accounts.length ? String(i + this.pageSize) : undefined;
      return { accounts: this.accounts.slice(i, i + this.pageSize), ...(next ? { nextToken: next } : {}) };
    };
  }
  listAccountsPage?: SsoGateway['listAccountsPage'];

  async listAccountRoles(opts: SsoCallOptions, accessToken: string, accountId: string): Promise<string[]> {
    this.calls.push({ op: 'ListAccountRoles', opts, params: { accessToken, accountId } });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.beforePortalCall('ListAccountRoles', accountId);
      return this.rolesOf(accountId);
    } finally {
      this.inFlight--;
    }
  }

  async getRoleCredentials(opts: SsoCallOptions, accessToken: string, accountId: string, roleName: string): Promise<SsoRoleCredentials> {
    this.calls.push({ op: 'GetRoleCredentials', opts, params: { accessToken, accountId, roleName } });
    return { accessKeyId: 'ASIAFAKEFAKEFAKEFAKE', secretAccessKey: 's'.repeat(40), sessionToken: 't'.repeat(120), expiration: new Date(this.now() + 3600_000) };
  }

  async logout(opts: SsoCallOptions, accessToken: string): Promise<void> {
    this.calls.push({ op: 'Logout', opts, params: { accessToken } });
    if (this.logoutFailure) throw this.logoutFailure;
  }
}

/** SecretStorage stand-in. */
export class MemoryTokenStore implements SsoTokenStore {
  readonly records = new Map<string, SsoTokenRecord>();
  sets = 0;
  deletes = 0;
  async get(portalId: string) {
    return this.records.get(portalId);
  }
  async set(record: SsoTokenRecord) {
    this.sets++;
    this.records.set(record.portalId, record);
  }
  async delete(portalId: string) {
    this.deletes++;
    this.records.delete(portalId);
  }
}
