/**
 * IAM Identity Center in the fake: the SSO OIDC API (RegisterClient, StartDeviceAuthorization, CreateToken)
 * and the SSO portal API (ListAccounts, ListAccountRoles, GetRoleCredentials, Logout), both REST-JSON and
 * unsigned as the real services are, routed by path (with an endpoint override the SDK sends
 * oidc.<region>.amazonaws.com and portal.sso.<region>.amazonaws.com calls to our port). Plus the test-only
 * admin API under /__admin/sso/. Never logs a token, a secret or a device code. See ./README.md.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type * as http from 'node:http';
import type { CallRecord, FaultSpec } from './server';
import { type IdentityCenterDoc, type SsoAccountDoc, identityCenters, instanceArnOf, ssoRoleName } from './ssoScenario';
import type { FakeState, RoleState, Session } from './state';

export type SsoService = 'sso' | 'sso-oidc';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const REFRESH_GRANT = 'refresh_token';
const ACCOUNT_SCOPE = 'sso:account:access';
const KNOWN_GRANTS = new Set([DEVICE_GRANT, REFRESH_GRANT, 'authorization_code']);
const MAX_BODY = 1024 * 1024;
/** Polls this much sooner than `interval` still count as on time (timer jitter), not as slow_down. */
const POLL_TOLERANCE_MS = 150;
const CLIENT_SECRET_LIFETIME_MS = 90 * 86400_000;
const NO_SESSION = 'Session token not found or invalid';

/** What the fake needs from the server it lives in. */
export interface SsoHost {
  now(): number;
  readonly state: FakeState;
  readonly quiet: boolean;
  endpoint(): string;
  issue(s: Omit<Session, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'expiration' | 'issuedAt'>, durationSec: number): Session;
  takeFault(service: string, action: string, phase: 'error' | 'mutate'): FaultSpec | undefined;
  record(call: CallRecord): void;
}

/** Throttling and latency for SSO portal ('sso') or OIDC ('sso-oidc') calls. */
export interface SsoLoadSpec {
  service: SsoService;
  /** only this action (e.g. 'ListAccountRoles'); default every action of the service */
  action?: string;
  /** fraction 0..1 of calls answered 429 TooManyRequestsException, deterministically: call n is throttled when floor(n·rate) > floor((n−1)·rate) */
  rate?: number;
  /** delay before every answer, ms */
  latencyMs?: number;
}

export interface PendingAuthorization {
  userCode: string;
  startUrl: string;
  clientName: string;
  status: 'pending' | 'approved' | 'denied';
  createdAt: string;
  expiresAt: string;
  interval: number;
  user?: string;
}

class SsoError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly oauthError?: string) {
    super(message);
  }
}
const oidcError = (status: number, code: string, oauth: string, description: string) => new SsoError(status, code, description, oauth);
const invalidClient = (d = 'Invalid client') => oidcError(401, 'InvalidClientException', 'invalid_client', d);
const invalidGrant = (d = 'Invalid grant provided') => oidcError(400, 'InvalidGrantException', 'invalid_grant', d);
const invalidRequest = (d: string) => oidcError(400, 'InvalidRequestException', 'invalid_request', d);
const unauthorized = () => new SsoError(401, 'UnauthorizedException', NO_SESSION);
const portalInvalid = (m: string) => new SsoError(400, 'InvalidRequestException', m);

interface Instance {
  doc: IdentityCenterDoc;
  arn: string;
  region: string;
  accounts: SsoAccountDoc[];
  users: Map<string, { userName: string; assignments: Map<string, Set<string>> }>;
}

interface OidcClient {
  clientId: string;
  clientSecret: string;
  clientName: string;
  secretExpiresAt: number;
  scopes: string[];
  grantTypes?: string[];
}

interface DeviceAuth {
  deviceCode: string;
  userCode: string;
  client: OidcClient;
  instance: Instance;
  startUrl: string;
  createdAt: number;
  expiresAt: number;
  interval: number;
  lastPollAt?: number;
  status: 'pending' | 'approved' | 'denied' | 'consumed';
  user?: string;
}

interface TokenRecord {
  accessToken: string;
  refreshToken?: string;
  client: OidcClient;
  instance: Instance;
  startUrl: string;
  user: string;
  expiresAt: number;
  refreshExpiresAt?: number;
  revoked: boolean;
}

interface Reply {
  status: number;
  body: string | Buffer;
  errorCode?: string;
  hang?: boolean;
  contentType?: string;
}

type Route = { service: SsoService; action: string };
const ROUTES: Record<string, Route> = {
  'POST /client/register': { service: 'sso-oidc', action: 'RegisterClient' },
  'POST /device_authorization': { service: 'sso-oidc', action: 'StartDeviceAuthorization' },
  'POST /token': { service: 'sso-oidc', action: 'CreateToken' },
  'GET /assignment/accounts': { service: 'sso', action: 'ListAccounts' },
  'GET /assignment/roles': { service: 'sso', action: 'ListAccountRoles' },
  'GET /federation/credentials': { service: 'sso', action: 'GetRoleCredentials' },
  'POST /logout': { service: 'sso', action: 'Logout' },
};

/** The SSO route of a request, or undefined (then it is STS/IAM/Organizations). */
export function ssoRoute(method: string | undefined, pathname: string): Route | undefined {
  return ROUTES[`${method ?? 'GET'} ${pathname.replace(/\/+$/, '') || '/'}`];
}

function opaque(prefix: string, bytes: number): string {
  return prefix + randomBytes(bytes).toString('base64url');
}
function userCode(): string {
  const letters = 'BCDFGHJKLMNPQRSTVWXZ';
  const b = randomBytes(8);
  let s = '';
  for (let i = 0; i < 8; i++) s += letters[b[i] % letters.length] + (i === 3 ? '-' : '');
  return s;
}
const iso = (ms: number) => new Date(ms).toISOString();
const htmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FakeIdentityCenter {
  private readonly instances: Instance[] = [];
  private readonly byStartUrl = new Map<string, Instance>();
  private readonly clients = new Map<string, OidcClient>();
  private readonly devices = new Map<string, DeviceAuth>();
  private readonly deviceOrder: DeviceAuth[] = [];
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly refreshTokens = new Map<string, TokenRecord>();
  private loads: (SsoLoadSpec & { count: number })[] = [];
  private offsetMs = 0;
  private autoApprove?: { afterMs: number; user?: string };

  constructor(private readonly host: SsoHost) {
    for (const doc of identityCenters(host.state.doc)) {
      const inst: Instance = {
        doc,
        arn: instanceArnOf(doc),
        region: doc.region ?? 'us-east-1',
        accounts: doc.accounts,
        users: new Map(doc.users.map((u) => [u.userName, {
          userName: u.userName,
          assignments: new Map((u.assignments ?? []).map((a) => [a.accountId, new Set(a.permissionSets)])),
        }])),
      };
      this.instances.push(inst);
      for (const url of doc.startUrls) this.byStartUrl.set(url, inst);
      if (doc.autoApproveAfterMs !== undefined) this.autoApprove = { afterMs: doc.autoApproveAfterMs };
    }
  }

  /** The Identity Center clock: the fake's clock plus advanceClock() offsets. Tokens and device codes expire by it. */
  now(): number {
    return this.host.now() + this.offsetMs;
  }

  // ------------------------------------------------------------------ test knobs (also /__admin/sso/)
  get startUrls(): string[] {
    return [...this.byStartUrl.keys()];
  }
  regionOf(startUrl: string): string | undefined {
    return this.byStartUrl.get(startUrl)?.region;
  }
  advanceClock(ms: number): void {
    this.offsetMs += ms;
  }
  pending(): PendingAuthorization[] {
    return this.deviceOrder
      .filter((d) => d.status !== 'consumed' && d.expiresAt > this.now())
      .map((d) => ({
        userCode: d.userCode,
        startUrl: d.startUrl,
        clientName: d.client.clientName,
        status: d.status as PendingAuthorization['status'],
        createdAt: iso(d.createdAt),
        expiresAt: iso(d.expiresAt),
        interval: d.interval,
        user: d.user,
      }));
  }
  /** Play the user approving a device code (default: the latest pending one) as `user` (default: the instance's first user). */
  approve(opts: { userCode?: string; user?: string } = {}): { userCode: string; user: string } {
    const d = this.findPending(opts.userCode);
    const user = opts.user ?? d.instance.doc.users[0].userName;
    if (!d.instance.users.has(user)) throw new Error(`fake-aws sso: no user ${user} in the instance of ${d.startUrl}`);
    d.status = 'approved';
    d.user = user;
    return { userCode: d.userCode, user };
  }
  deny(opts: { userCode?: string } = {}): { userCode: string } {
    const d = this.findPending(opts.userCode);
    d.status = 'denied';
    return { userCode: d.userCode };
  }
  /** Approve every device code automatically `afterMs` after it was started (null: stop). */
  setAutoApprove(afterMs: number | null, user?: string): void {
    this.autoApprove = afterMs === null ? undefined : { afterMs, user };
  }
  /** Revoke one access token (and its refresh token), or every token of a user, or all tokens. Returns how many. */
  revoke(opts: { accessToken?: string; user?: string; all?: boolean }): number {
    let n = 0;
    for (const t of this.tokens.values()) {
      if (t.revoked) continue;
      if (opts.all || (opts.accessToken !== undefined && t.accessToken === opts.accessToken) || (opts.user !== undefined && t.user === opts.user)) {
        t.revoked = true;
        n++;
      }
    }
    return n;
  }
  /** Expire every access token (and refresh tokens too when `refresh`), now. */
  expireTokens(opts: { refresh?: boolean } = {}): void {
    const now = this.now();
    for (const t of this.tokens.values()) {
      t.expiresAt = Math.min(t.expiresAt, now);
      if (opts.refresh && t.refreshExpiresAt !== undefined) t.refreshExpiresAt = Math.min(t.refreshExpiresAt, now);
    }
  }
  expireDeviceCodes(): void {
    const now = this.now();
    for (const d of this.devices.values()) d.expiresAt = Math.min(d.expiresAt, now);
  }
  /** Remove a permission set from a user's assignments in an account (default user: every user). Returns whether one was removed. */
  removeAssignment(opts: { accountId: string; permissionSet: string; user?: string }): boolean {
    let removed = false;
    for (const inst of this.instances) {
      for (const u of inst.users.values()) {
        if (opts.user !== undefined && u.userName !== opts.user) continue;
        const set = u.assignments.get(opts.accountId);
        if (set?.delete(opts.permissionSet)) removed = true;
        if (set && !set.size) u.assignments.delete(opts.accountId);
      }
    }
    return removed;
  }
  setLoad(spec: SsoLoadSpec): void {
    if (spec.service !== 'sso' && spec.service !== 'sso-oidc') throw new Error(`fake-aws sso: load service must be 'sso' or 'sso-oidc', got ${String(spec.service)}`);
    if (spec.rate !== undefined && !(spec.rate >= 0 && spec.rate <= 1)) throw new Error('fake-aws sso: rate must be 0..1');
    if (spec.latencyMs !== undefined && !(spec.latencyMs >= 0)) throw new Error('fake-aws sso: latencyMs must be >= 0');
    this.loads.push({ ...spec, count: 0 });
  }
  clearLoad(): void {
    this.loads = [];
  }
  /** How many access tokens are live (not expired, not revoked). */
  activeTokenCount(): number {
    const now = this.now();
    return [...this.tokens.values()].filter((t) => !t.revoked && t.expiresAt > now).length;
  }

  private findPending(code?: string): DeviceAuth {
    const now = this.now();
    const live = this.deviceOrder.filter((d) => d.status === 'pending' && d.expiresAt > now);
    const d = code === undefined ? live[live.length - 1] : live.find((x) => x.userCode === code.toUpperCase());
    if (!d) throw new Error(code === undefined ? 'fake-aws sso: no pending device authorization' : `fake-aws sso: no pending device authorization with user code ${code}`);
    return d;
  }

  // ------------------------------------------------------------------ HTTP
  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL, route: Route): Promise<void> {
    const { service, action } = route;
    const body = await readBody(req);
    const reply = async (r: Reply) => {
      const latency = this.latencyFor(service, action);
      if (latency > 0) await sleep(latency);
      this.send(res, service, action, r);
    };
    if (body === 'tooLarge') return reply(this.errorReply(service, new SsoError(413, 'InvalidRequestException', 'Request body exceeds 1 MB', 'invalid_request')));
    const fault = this.host.takeFault(service, action, 'error');
    if (fault) return reply(this.faultReply(service, fault.kind));
    if (this.throttled(service, action)) return reply(this.errorReply(service, new SsoError(429, 'TooManyRequestsException', 'Too many requests', 'slow_down')));
    try {
      let out = service === 'sso-oidc' ? this.handleOidc(action, parseJson(body)) : this.handlePortal(action, req, url);
      const mutation = out.status === 200 ? this.host.takeFault(service, action, 'mutate') : undefined;
      if (mutation) out = mutate(out, mutation.kind, action);
      return reply(out);
    } catch (e) {
      if (e instanceof SsoError) return reply(this.errorReply(service, e));
      throw e;
    }
  }

  private latencyFor(service: SsoService, action: string): number {
    let ms = 0;
    for (const l of this.loads) if (l.service === service && (!l.action || l.action === action) && l.latencyMs) ms = Math.max(ms, l.latencyMs);
    return ms;
  }

  private throttled(service: SsoService, action: string): boolean {
    let hit = false;
    for (const l of this.loads) {
      if (l.service !== service || (l.action && l.action !== action) || !l.rate) continue;
      l.count++;
      if (Math.floor(l.count * l.rate + 1e-9) > Math.floor((l.count - 1) * l.rate + 1e-9)) hit = true;
    }
    return hit;
  }

  private send(res: http.ServerResponse, service: SsoService, action: string, r: Reply): void {
    this.host.record({ service, action, status: r.status, errorCode: r.errorCode });
    if (!this.host.quiet) process.stderr.write(`[fake-aws] ${service}.${action} - -> ${r.status}${r.errorCode ? ' ' + r.errorCode : ''}\n`);
    if (r.hang) return;
    res.statusCode = r.status;
    res.setHeader('Date', new Date(this.host.now()).toUTCString());
    res.setHeader('x-amzn-RequestId', randomUUID());
    res.setHeader('Content-Type', r.contentType ?? 'application/json');
    if (r.errorCode) res.setHeader('x-amzn-ErrorType', r.errorCode);
    res.setHeader('Content-Length', Buffer.byteLength(r.body));
    res.end(r.body);
  }

  private errorReply(service: SsoService, e: SsoError): Reply {
    // OIDC answers OAuth-style bodies; the portal answers { message }. The SDK takes the code from x-amzn-ErrorType.
    const body = service === 'sso-oidc'
      ? { error: e.oauthError ?? 'invalid_request', error_description: e.message }
      : { message: e.message };
    return { status: e.status, errorCode: e.code, body: JSON.stringify(body) };
  }

  private faultReply(service: SsoService, kind: FaultSpec['kind']): Reply {
    const oidc = service === 'sso-oidc';
    switch (kind) {
      case 'http500': return this.errorReply(service, new SsoError(500, 'InternalServerException', 'An internal error occurred (injected fault).', 'server_error'));
      case 'http503': return this.errorReply(service, new SsoError(503, 'ServiceUnavailableException', 'Service is unavailable (injected fault).', 'server_error'));
      case 'throttle': return this.errorReply(service, new SsoError(429, 'TooManyRequestsException', 'Too many requests', 'slow_down'));
      case 'expiredToken':
        return this.errorReply(service, oidc ? oidcError(400, 'ExpiredTokenException', 'expired_token', 'Token is expired') : unauthorized());
      case 'regionDisabled':
        return this.errorReply(service, oidc ? oidcError(400, 'InvalidRequestRegionException', 'invalid_request', 'Invalid request region') : new SsoError(403, 'ForbiddenException', 'Region is disabled'));
      case 'timeout': return { status: 0, body: '', hang: true, errorCode: 'timeout' };
      case 'malformedXml': return { status: 200, body: '{"accountList": [{"accountId": "1111' };
      case 'oversized': return { status: 200, body: Buffer.concat([Buffer.from('{"padding":"'), Buffer.alloc(10 * 1024 * 1024, 0x20), Buffer.from('"}')]) };
      default: throw new Error(`fault ${kind} is not an error fault`);
    }
  }

  // ------------------------------------------------------------------ OIDC
  private handleOidc(action: string, input: Record<string, unknown> | undefined): Reply {
    if (!input) throw invalidRequest('Request body is not valid JSON');
    const ok = (o: unknown): Reply => ({ status: 200, body: JSON.stringify(o) });
    const now = this.now();
    switch (action) {
      case 'RegisterClient': {
        const clientName = str(input.clientName);
        const clientType = str(input.clientType);
        if (!clientName) throw invalidRequest('clientName is required');
        if (clientType !== 'public') throw oidcError(400, 'InvalidClientMetadataException', 'invalid_client_metadata', 'clientType must be public');
        const scopes = strList(input.scopes, 'scopes');
        for (const s of scopes) if (!/^[\w:*.-]+$/.test(s)) throw oidcError(400, 'InvalidScopeException', 'invalid_scope', `Invalid scope: ${s}`);
        const grantTypes = input.grantTypes === undefined ? undefined : strList(input.grantTypes, 'grantTypes');
        for (const g of grantTypes ?? []) if (!KNOWN_GRANTS.has(g)) throw oidcError(400, 'InvalidClientMetadataException', 'invalid_client_metadata', `Invalid grant type: ${g}`);
        const client: OidcClient = {
          clientId: opaque('', 16),
          clientSecret: 'eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0.' + opaque('', 300),
          clientName,
          secretExpiresAt: now + CLIENT_SECRET_LIFETIME_MS,
          scopes,
          grantTypes,
        };
        this.clients.set(client.clientId, client);
        this.host.state.recordIssued(client.clientSecret);
        return ok({
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          clientIdIssuedAt: Math.floor(now / 1000),
          clientSecretExpiresAt: Math.floor(client.secretExpiresAt / 1000),
        });
      }
      case 'StartDeviceAuthorization': {
        const client = this.client(input);
        const startUrl = str(input.startUrl);
        if (!startUrl) throw invalidRequest('startUrl is required');
        const instance = this.byStartUrl.get(startUrl) ?? this.byStartUrl.get(startUrl.replace(/\/+$/, '').replace(/#.*$/, ''));
        if (!instance) throw invalidRequest('Invalid start URL');
        const d: DeviceAuth = {
          deviceCode: opaque('', 48),
          userCode: userCode(),
          client,
          instance,
          startUrl,
          createdAt: now,
          expiresAt: now + (instance.doc.deviceCodeLifetime ?? 600) * 1000,
          interval: instance.doc.interval ?? 1,
          status: 'pending',
        };
        this.devices.set(d.deviceCode, d);
        this.deviceOrder.push(d);
        const verificationUri = `${this.host.endpoint()}/__admin/sso/device`;
        return ok({
          deviceCode: d.deviceCode,
          userCode: d.userCode,
          verificationUri,
          verificationUriComplete: `${verificationUri}?user_code=${d.userCode}`,
          expiresIn: Math.round((d.expiresAt - now) / 1000),
          interval: d.interval,
        });
      }
      case 'CreateToken':
        return ok(this.createToken(input, now));
      default:
        throw invalidRequest(`Unknown operation ${action}`);
    }
  }

  private client(input: Record<string, unknown>): OidcClient {
    const id = str(input.clientId);
    const secret = str(input.clientSecret);
    if (!id || !secret) throw invalidRequest('clientId and clientSecret are required');
    const c = this.clients.get(id);
    if (!c || c.clientSecret !== secret) throw invalidClient();
    if (this.now() >= c.secretExpiresAt) throw invalidClient('Client secret has expired');
    return c;
  }

  private createToken(input: Record<string, unknown>, now: number): Record<string, unknown> {
    const client = this.client(input);
    const grantType = str(input.grantType);
    if (!grantType) throw invalidRequest('grantType is required');
    if (grantType !== DEVICE_GRANT && grantType !== REFRESH_GRANT) throw oidcError(400, 'UnsupportedGrantTypeException', 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
    if (client.grantTypes && !client.grantTypes.includes(grantType)) throw oidcError(400, 'UnauthorizedClientException', 'unauthorized_client', `Client is not authorized to use the ${grantType} grant`);
    if (grantType === DEVICE_GRANT) {
      const code = str(input.deviceCode);
      if (!code) throw invalidRequest('deviceCode is required');
      const d = this.devices.get(code);
      if (!d || d.client !== client || d.status === 'consumed') throw invalidGrant('Invalid device code provided');
      if (now >= d.expiresAt) throw oidcError(400, 'ExpiredTokenException', 'expired_token', 'Device code has expired');
      if (d.status === 'pending' && this.autoApprove && now - d.createdAt >= this.autoApprove.afterMs) {
        d.status = 'approved';
        d.user = this.autoApprove.user ?? d.instance.doc.users[0].userName;
      }
      if (d.status === 'denied') throw oidcError(400, 'AccessDeniedException', 'access_denied', 'Access denied');
      if (d.status === 'pending') {
        const last = d.lastPollAt;
        d.lastPollAt = now;
        if (last !== undefined && now - last < d.interval * 1000 - POLL_TOLERANCE_MS) {
          d.interval += 5; // RFC 8628 3.5: the client must add 5 s to its interval for this and later polls
          throw oidcError(400, 'SlowDownException', 'slow_down', 'Client is polling too fast');
        }
        throw oidcError(400, 'AuthorizationPendingException', 'authorization_pending', 'Authorization is still pending');
      }
      d.status = 'consumed';
      return this.issueToken(client, d.instance, d.startUrl, d.user!, now);
    }
    if (!client.scopes.includes(ACCOUNT_SCOPE)) throw oidcError(400, 'UnauthorizedClientException', 'unauthorized_client', `Client is not registered with scope ${ACCOUNT_SCOPE}, so it has no refresh tokens`);
    const rt = str(input.refreshToken);
    if (!rt) throw invalidRequest('refreshToken is required');
    const t = this.refreshTokens.get(rt);
    if (!t || t.client !== client || t.revoked) throw invalidGrant('Invalid refresh token provided');
    if (t.refreshExpiresAt !== undefined && now >= t.refreshExpiresAt) throw oidcError(400, 'ExpiredTokenException', 'expired_token', 'Refresh token has expired');
    // Rotation: the old refresh token is spent; the old access token stays valid until it expires.
    this.refreshTokens.delete(rt);
    return this.issueToken(client, t.instance, t.startUrl, t.user, now);
  }

  private issueToken(client: OidcClient, instance: Instance, startUrl: string, user: string, now: number): Record<string, unknown> {
    const lifetime = instance.doc.accessTokenLifetime ?? 28800;
    const t: TokenRecord = {
      accessToken: opaque('aoa', 190),
      client,
      instance,
      startUrl,
      user,
      expiresAt: now + lifetime * 1000,
      revoked: false,
    };
    if (client.scopes.includes(ACCOUNT_SCOPE)) {
      t.refreshToken = opaque('aor', 190);
      t.refreshExpiresAt = now + (instance.doc.refreshTokenLifetime ?? 7776000) * 1000;
      this.refreshTokens.set(t.refreshToken, t);
    }
    this.tokens.set(t.accessToken, t);
    this.host.state.recordIssued(t.accessToken, ...(t.refreshToken ? [t.refreshToken] : []));
    return { accessToken: t.accessToken, tokenType: 'Bearer', expiresIn: lifetime, ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}) };
  }

  // ------------------------------------------------------------------ portal
  private handlePortal(action: string, req: http.IncomingMessage, url: URL): Reply {
    const raw = req.headers['x-amz-sso_bearer_token'];
    const bearer = Array.isArray(raw) ? raw[0] : raw;
    const t = bearer ? this.tokens.get(bearer) : undefined;
    if (!t || t.revoked || this.now() >= t.expiresAt) throw unauthorized();
    const user = t.instance.users.get(t.user);
    if (!user) throw unauthorized();
    const q = url.searchParams;
    const ok = (o: unknown): Reply => ({ status: 200, body: JSON.stringify(o) });
    switch (action) {
      case 'ListAccounts': {
        const accounts = t.instance.accounts.filter((a) => user.assignments.get(a.id)?.size);
        const { page, next } = paginate(accounts, q, `accounts`);
        return ok({ accountList: page.map((a) => ({ accountId: a.id, accountName: a.name, emailAddress: a.email ?? `aws+${a.id}@example.invalid` })), ...(next ? { nextToken: next } : {}) });
      }
      case 'ListAccountRoles': {
        const accountId = q.get('account_id');
        if (!accountId) throw portalInvalid('account_id is required');
        if (!t.instance.accounts.some((a) => a.id === accountId)) throw new SsoError(404, 'ResourceNotFoundException', 'No access');
        const sets = Object.keys(t.instance.doc.permissionSets).filter((p) => user.assignments.get(accountId)?.has(p));
        const { page, next } = paginate(sets, q, `roles:${accountId}`);
        return ok({ roleList: page.map((roleName) => ({ roleName, accountId })), ...(next ? { nextToken: next } : {}) });
      }
      case 'GetRoleCredentials': {
        const accountId = q.get('account_id');
        const roleName = q.get('role_name');
        if (!accountId || !roleName) throw portalInvalid('account_id and role_name are required');
        if (!user.assignments.get(accountId)?.has(roleName)) throw new SsoError(404, 'ResourceNotFoundException', 'No access');
        const role: RoleState | undefined = this.host.state.accounts.get(accountId)?.rolesByName.get(ssoRoleName(t.instance.arn, accountId, roleName));
        if (!role) throw new SsoError(404, 'ResourceNotFoundException', 'No access');
        const duration = t.instance.doc.permissionSets[roleName]?.sessionDuration ?? 3600;
        const s = this.host.issue({ kind: 'role', role, sessionName: user.userName, mfa: false, sessionPolicies: [] }, duration);
        return ok({ roleCredentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken, expiration: s.expiration } });
      }
      case 'Logout':
        // Ends the portal session: the access token and its refresh token. Role credentials already issued
        // stay valid until they expire, as AWS documents.
        t.revoked = true;
        if (t.refreshToken) this.refreshTokens.delete(t.refreshToken);
        return { status: 200, body: '' };
      default:
        throw portalInvalid(`Unknown operation ${action}`);
    }
  }

  // ------------------------------------------------------------------ admin API (/__admin/sso/...)
  async handleAdmin(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
    const raw = await readBody(req);
    const answer = (status: number, o: unknown) => {
      const body = JSON.stringify(o);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (raw === 'tooLarge') return answer(413, { error: 'body too large' });
    if (route === 'GET /__admin/sso/device' || route === 'POST /__admin/sso/device') return this.devicePage(req, res, url, raw);
    let input: Record<string, unknown> = {};
    try {
      if (raw.length) input = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return answer(400, { error: 'body must be JSON' });
    }
    for (const [k, v] of url.searchParams) if (!(k in input)) input[k] = v;
    const opt = (k: string) => (input[k] === undefined || input[k] === null ? undefined : String(input[k]));
    try {
      switch (route) {
        case 'GET /__admin/sso/pending':
          return answer(200, this.pending());
        case 'POST /__admin/sso/approve':
          return answer(200, { ok: true, ...this.approve({ userCode: opt('userCode'), user: opt('user') }) });
        case 'POST /__admin/sso/deny':
          return answer(200, { ok: true, ...this.deny({ userCode: opt('userCode') }) });
        case 'POST /__admin/sso/auto-approve': {
          const ms = input.afterMs;
          this.setAutoApprove(ms === null || ms === undefined || ms === 'null' ? null : Number(ms), opt('user'));
          return answer(200, { ok: true, afterMs: this.autoApprove?.afterMs ?? null });
        }
        case 'POST /__admin/sso/revoke':
          return answer(200, { ok: true, revoked: this.revoke({ accessToken: opt('accessToken'), user: opt('user'), all: input.all === true || input.all === 'true' }) });
        case 'DELETE /__admin/sso/assignment': {
          const accountId = opt('accountId');
          const permissionSet = opt('permissionSet');
          if (!accountId || !permissionSet) return answer(400, { error: 'accountId and permissionSet are required' });
          return answer(200, { ok: true, removed: this.removeAssignment({ accountId, permissionSet, user: opt('user') }) });
        }
        case 'POST /__admin/sso/load': {
          const specs = Array.isArray(input) ? (input as SsoLoadSpec[]) : [input as unknown as SsoLoadSpec];
          for (const s of specs) this.setLoad({ ...s, rate: s.rate === undefined ? undefined : Number(s.rate), latencyMs: s.latencyMs === undefined ? undefined : Number(s.latencyMs) });
          return answer(200, { ok: true, loads: this.loads.length });
        }
        case 'DELETE /__admin/sso/load':
          this.clearLoad();
          return answer(200, { ok: true });
        case 'POST /__admin/sso/advance':
          this.advanceClock(Number(input.ms ?? 0));
          return answer(200, { ok: true, offsetMs: this.offsetMs });
        case 'POST /__admin/sso/expire': {
          const what = opt('what') ?? 'all';
          if (what === 'tokens' || what === 'all') this.expireTokens({ refresh: input.refresh === true || input.refresh === 'true' });
          if (what === 'deviceCodes' || what === 'all') this.expireDeviceCodes();
          return answer(200, { ok: true });
        }
        case 'GET /__admin/sso/state':
          return answer(200, {
            instances: this.instances.map((i) => ({ instanceArn: i.arn, region: i.region, startUrls: i.doc.startUrls, users: [...i.users.keys()], accounts: i.accounts.length })),
            clients: this.clients.size,
            activeTokens: this.activeTokenCount(),
            pending: this.pending().filter((p) => p.status === 'pending').length,
            offsetMs: this.offsetMs,
          });
        default:
          return answer(404, { error: `no admin route ${route}` });
      }
    } catch (e) {
      return answer(400, { error: String((e as Error).message ?? e) });
    }
  }

  /** The "browser" step of the device flow: a tiny page that shows the code with Approve / Deny buttons. */
  private devicePage(req: http.IncomingMessage, res: http.ServerResponse, url: URL, raw: Buffer): void {
    let message = '';
    let code = url.searchParams.get('user_code') ?? '';
    if (req.method === 'POST') {
      const form = new URLSearchParams(raw.toString('utf8'));
      code = form.get('user_code') ?? code;
      try {
        if (form.get('decision') === 'deny') message = `Denied ${this.deny({ userCode: code }).userCode}. You can close this tab.`;
        else message = `Approved ${this.approve({ userCode: code }).userCode}. Return to VS Code; you can close this tab.`;
      } catch (e) {
        message = String((e as Error).message);
      }
    }
    const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fake IAM Identity Center sign-in</title></head><body>
<main><h1>Fake IAM Identity Center: authorize request</h1>
<p>This local fake AWS plays the AWS access portal. Confirm the code matches the one VS Code shows.</p>
${message ? `<p role="status">${htmlEscape(message)}</p>` : ''}
<form method="post"><label for="user_code">Code</label> <input id="user_code" name="user_code" value="${htmlEscape(code)}" autocomplete="off">
<button type="submit" name="decision" value="approve">Approve</button> <button type="submit" name="decision" value="deny">Deny</button></form></main></body></html>`;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(page) });
    res.end(page);
  }
}

// ------------------------------------------------------------------ helpers
async function readBody(req: http.IncomingMessage): Promise<Buffer | 'tooLarge'> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) {
    req.resume();
    return 'tooLarge';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) return 'tooLarge';
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  if (!body.length) return {};
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length ? v : undefined);
function strList(v: unknown, name: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidRequest(`${name} must be a list of strings`);
  return v as string[];
}

/** max_result (1..100, default 20) and an opaque next_token bound to what is listed. */
function paginate<T>(items: T[], q: URLSearchParams, what: string): { page: T[]; next?: string } {
  const rawMax = q.get('max_result');
  let max = 20;
  if (rawMax !== null) {
    max = Number(rawMax);
    if (!Number.isInteger(max) || max < 1 || max > 100) throw portalInvalid('max_result must be between 1 and 100');
  }
  let start = 0;
  const token = q.get('next_token');
  if (token !== null) {
    const m = /^(\d+)\|(.*)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!m || m[2] !== what) throw portalInvalid('Invalid next token');
    start = Number(m[1]);
  }
  const page = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(`${start + max}|${what}`).toString('base64url') : undefined;
  return { page, next };
}

function mutate(out: Reply, kind: FaultSpec['kind'], action: string): Reply {
  if (typeof out.body !== 'string' || !out.body) return out;
  const o = JSON.parse(out.body) as Record<string, Record<string, unknown>>;
  if (kind === 'badExpiration' && o.roleCredentials) o.roleCredentials.expiration = 'not-a-date' as unknown as number;
  else if (kind === 'missingFields') {
    if (action === 'GetRoleCredentials' && o.roleCredentials) delete o.roleCredentials.sessionToken;
    else if (action === 'CreateToken') delete o.accessToken;
    else return { ...out, body: '{}' };
  }
  return { ...out, body: JSON.stringify(o) };
}
