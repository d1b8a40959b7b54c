/**
 * The fake AWS HTTP server: STS + IAM (AWS Query) and Organizations (AWS JSON 1.1) on one port,
 * routed by the SigV4 credential scope's service and X-Amz-Target, plus an unsigned admin API under /__admin/.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  type CallerPrincipal, type CtxValue, type NamedPolicy, RequestContext, evaluateIdentity, evaluateTrust,
} from './policy';
import { type ScenarioDoc, loadScenario } from './scenario';
import { formatAmzDate, parseAmzDate, parseAuthorization, verifySignature } from './sigv4';
import {
  type AccountState, FakeState, type RoleState, type Session, type UserState, isoNoMillis, randomKeyId, randomSecret,
  randomSessionToken,
} from './state';
import { handleFederation } from './federation';
import { FakeIdentityCenter, ssoRoute } from './sso';
import { expandIdentityCenter } from './ssoScenario';

export type FaultKind =
  | 'http500' | 'http503' | 'throttle' | 'timeout' | 'malformedXml' | 'oversized' | 'expiredToken' | 'regionDisabled'
  | 'missingFields' | 'badExpiration';

export interface FaultSpec {
  service?: 'sts' | 'iam' | 'organizations' | 'sso' | 'sso-oidc';
  action?: string;
  times?: number;
  kind: FaultKind;
}

export interface CallRecord {
  service: string;
  action: string;
  accessKeyId?: string;
  status: number;
  errorCode?: string;
}

const FAULT_KINDS = new Set<FaultKind>(['http500', 'http503', 'throttle', 'timeout', 'malformedXml', 'oversized', 'expiredToken', 'regionDisabled', 'missingFields', 'badExpiration']);
const CREDENTIAL_ACTIONS = new Set(['AssumeRole', 'GetSessionToken', 'GetRoleCredentials']);
const MUTATING = new Set<FaultKind>(['missingFields', 'badExpiration']);
const MAX_BODY = 1024 * 1024;
const SKEW_LIMIT_MS = 5 * 60 * 1000;
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const ORG_TARGET_PREFIX = 'AWSOrganizationsV20161128.';

const MSG = {
  invalidToken: 'The security token included in the request is invalid.',
  badSignature:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  expired: 'The security token included in the request is expired',
  missingAuth: 'Request is missing Authentication Token',
  mfaFailed: 'MultiFactorAuthentication failed with invalid MFA one time pass code.',
  orgDenied: "You don't have permissions to access this resource.",
};

/** Error codes of the Query protocol, renamed for the JSON protocol (Organizations). */
const JSON_CODES: Record<string, string> = {
  InvalidClientTokenId: 'UnrecognizedClientException',
  SignatureDoesNotMatch: 'InvalidSignatureException',
  ExpiredToken: 'ExpiredTokenException',
  MissingAuthenticationToken: 'MissingAuthenticationTokenException',
  IncompleteSignature: 'IncompleteSignatureException',
  AccessDenied: 'AccessDeniedException',
  Throttling: 'TooManyRequestsException',
  InternalFailure: 'ServiceException',
  ServiceUnavailable: 'ServiceException',
  ValidationError: 'InvalidInputException',
  InvalidAction: 'UnknownOperationException',
  RequestEntityTooLarge: 'InvalidInputException',
};

export class AwsError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}
const accessDenied = (callerArn: string, action: string, resource: string) =>
  new AwsError(403, 'AccessDenied', `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`);
const validation = (msg: string) => new AwsError(400, 'ValidationError', msg);

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
const el = (name: string, value: string | number | undefined) =>
  value === undefined ? '' : `<${name}>${xmlEscape(String(value))}</${name}>`;

interface Caller {
  principal: CallerPrincipal;
  /** ARN used in messages and GetCallerIdentity */
  arn: string;
  userId: string;
  account: string;
  isRoot: boolean;
  user?: UserState;
  role?: RoleState;
  session?: Session;
  accessKeyId: string;
}

interface Reply {
  status: number;
  contentType: string;
  body: string | Buffer;
  errorCode?: string;
  hang?: boolean;
}

type Params = Map<string, string>;

export interface ServerOptions {
  port?: number;
  host?: string;
  scenario?: string | ScenarioDoc;
  quiet?: boolean;
}

export class FakeAwsServer {
  state: FakeState;
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private faults: (FaultSpec & { remaining: number })[] = [];
  private skewMs = 0;
  private lifetimeSec: number | null = null;
  readonly calls: CallRecord[] = [];
  private readonly quiet: boolean;
  port = 0;
  host: string;

  constructor(opts: ServerOptions = {}) {
    this.state = new FakeState(expandIdentityCenter(loadScenario(opts.scenario)));
    this.quiet = opts.quiet ?? true;
    this.host = opts.host ?? '127.0.0.1';
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        // Never crash: a bug in a handler becomes an InternalFailure.
        if (!res.headersSent) {
          this.send(res, 'sts', 'Unknown', undefined, this.errorReply('sts', new AwsError(500, 'InternalFailure', String((e as Error)?.message ?? e))));
        } else res.destroy();
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    this.server.keepAliveTimeout = 5000;
    this.requestedPort = opts.port ?? 0;
    this.sso = new FakeIdentityCenter({
      now: () => this.now(),
      state: this.state,
      quiet: this.quiet,
      endpoint: () => this.endpoint,
      issue: (s, d) => this.issue(s, d),
      takeFault: (svc, action, phase) => this.takeFault(svc, action, phase),
      record: (c) => this.calls.push(c),
    });
  }
  /** IAM Identity Center: SSO OIDC + portal APIs and their test knobs (test/fake-aws/sso.ts). */
  readonly sso: FakeIdentityCenter;
  private readonly requestedPort: number;

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.requestedPort, this.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  get endpoint(): string {
    const h = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${h}:${this.port}`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  now(): number {
    return Date.now() + this.skewMs;
  }

  // ------------------------------------------------------------------ test knobs
  setClockSkew(ms: number): void {
    this.skewMs = ms;
  }
  setIssuedCredentialLifetime(seconds: number | null): void {
    this.lifetimeSec = seconds;
  }
  injectFault(f: FaultSpec): void {
    if (!FAULT_KINDS.has(f.kind)) throw new Error(`unknown fault kind ${String(f.kind)}`);
    this.faults.push({ ...f, remaining: f.times ?? 1 });
  }
  clearFaults(): void {
    this.faults = [];
  }
  userKeys(userName: string): { accessKeyId: string; secretAccessKey: string } {
    for (const [id, k] of this.state.longTermKeys) {
      if (k.kind === 'user' && k.user.name === userName) return { accessKeyId: id, secretAccessKey: k.secret };
      if (k.kind === 'root' && (userName === 'root' || userName === `root@${k.account.id}`)) return { accessKeyId: id, secretAccessKey: k.secret };
    }
    throw new Error(`fake-aws: no access key for user ${userName}`);
  }
  putUserPolicy(userName: string, policyName: string, document: object): void {
    const u = this.state.findUser(userName);
    if (!u) throw new Error(`fake-aws: no user ${userName}`);
    u.inline.set(policyName, document as Record<string, unknown>);
  }
  deleteUserPolicy(userName: string, policyName: string): void {
    const u = this.state.findUser(userName);
    if (!u) throw new Error(`fake-aws: no user ${userName}`);
    u.inline.delete(policyName);
  }
  issuedSecrets(): string[] {
    return [...this.state.issued];
  }

  /**
   * Take the first queued fault matching this call. Error faults are taken before authentication;
   * response-mutating faults (missingFields, badExpiration) only once the call has succeeded.
   */
  private takeFault(service: string, action: string, phase: 'error' | 'mutate'): FaultSpec | undefined {
    const i = this.faults.findIndex(
      (f) =>
        (!f.service || f.service === service) &&
        (!f.action || f.action === action) &&
        MUTATING.has(f.kind) === (phase === 'mutate') &&
        (f.kind !== 'badExpiration' || CREDENTIAL_ACTIONS.has(action)),
    );
    if (i < 0) return undefined;
    const f = this.faults[i];
    if (--f.remaining <= 0) this.faults.splice(i, 1);
    return f;
  }

  // ------------------------------------------------------------------ HTTP plumbing
  private async readBody(req: http.IncomingMessage): Promise<Buffer | 'tooLarge'> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY) return 'tooLarge';
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > MAX_BODY) return 'tooLarge';
      chunks.push(c);
    }
    return Buffer.concat(chunks);
  }

  private send(res: http.ServerResponse, service: string, action: string, akid: string | undefined, reply: Reply, closeAfter = false): void {
    this.calls.push({ service, action, accessKeyId: akid, status: reply.status, errorCode: reply.errorCode });
    if (!this.quiet) process.stderr.write(`[fake-aws] ${service}.${action} ${akid ?? '-'} -> ${reply.status}${reply.errorCode ? ' ' + reply.errorCode : ''}\n`);
    if (reply.hang) return; // the 'timeout' fault: accept and never answer (close() destroys the socket)
    const requestId = randomUUID();
    res.statusCode = reply.status;
    res.setHeader('Date', new Date(this.now()).toUTCString());
    res.setHeader('x-amzn-RequestId', requestId);
    res.setHeader('Content-Type', reply.contentType);
    if (reply.errorCode && reply.contentType.includes('json')) res.setHeader('x-amzn-ErrorType', reply.errorCode);
    const body = typeof reply.body === 'string' ? reply.body.replace(/__REQUEST_ID__/g, requestId) : reply.body;
    res.setHeader('Content-Length', Buffer.byteLength(body));
    if (closeAfter) res.setHeader('Connection', 'close');
    res.end(body);
  }

  private errorReply(service: string, e: AwsError): Reply {
    if (service === 'organizations') {
      const code = JSON_CODES[e.code] ?? e.code;
      const status = e.status === 403 ? 400 : e.status; // JSON services answer auth errors with 400
      return { status, contentType: 'application/x-amz-json-1.1', errorCode: code, body: JSON.stringify({ __type: code, Message: e.message, message: e.message }) };
    }
    const ns = service === 'iam' ? IAM_NS : STS_NS;
    const type = e.status >= 500 ? 'Receiver' : 'Sender';
    return {
      status: e.status,
      contentType: 'text/xml',
      errorCode: e.code,
      body: `<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type>${el('Code', e.code)}${el('Message', e.message)}</Error><RequestId>__REQUEST_ID__</RequestId></ErrorResponse>\n`,
    };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/__admin/sso/')) return this.sso.handleAdmin(req, res, url);
    if (url.pathname.startsWith('/__admin/')) return this.handleAdmin(req, res, url);
    const sso = ssoRoute(req.method, url.pathname);
    if (sso) return this.sso.handle(req, res, url, sso);
    if (url.pathname === '/federation') return handleFederation(this, req, res, url);

    const auth = parseAuthorization(req.headers.authorization);
    const target = req.headers['x-amz-target'];
    const targetStr = Array.isArray(target) ? target[0] : target;
    const body = await this.readBody(req);
    let service: string = typeof auth === 'object' ? auth.service : targetStr ? 'organizations' : 'sts';
    if (body === 'tooLarge') {
      this.send(res, service, 'Unknown', undefined, this.errorReply(service, new AwsError(413, 'RequestEntityTooLarge', 'Request body exceeds 1 MB')), true);
      req.resume();
      return;
    }

    // Protocol and action.
    let action = 'Unknown';
    let params: Params = new Map();
    let jsonInput: Record<string, unknown> = {};
    let protocolError: AwsError | undefined;
    if (targetStr) {
      service = 'organizations';
      action = targetStr.startsWith(ORG_TARGET_PREFIX) ? targetStr.slice(ORG_TARGET_PREFIX.length) : targetStr;
      try {
        const parsed: unknown = body.length ? JSON.parse(body.toString('utf8')) : {};
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        jsonInput = parsed as Record<string, unknown>;
      } catch {
        protocolError = new AwsError(400, 'SerializationException', 'Start of structure or map found where not expected.');
      }
      if (!targetStr.startsWith(ORG_TARGET_PREFIX)) protocolError = new AwsError(400, 'UnknownOperationException', `Unknown operation ${targetStr}`);
    } else {
      params = new Map(url.searchParams);
      try {
        for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
      } catch {
        protocolError = validation('Could not parse the request body.');
      }
      action = params.get('Action') ?? 'Unknown';
      if (typeof auth !== 'object') {
        const version = params.get('Version');
        service = version === '2010-05-08' ? 'iam' : 'sts';
      }
      if (service !== 'sts' && service !== 'iam') {
        protocolError = new AwsError(400, 'InvalidAction', `The service ${service} is not served by this endpoint.`);
        service = 'sts';
      }
    }
    const akid = typeof auth === 'object' ? auth.accessKeyId : undefined;
    const reply = (r: Reply) => this.send(res, service, action, akid, r);
    const fail = (e: AwsError) => reply(this.errorReply(service, e));
    if (protocolError) return fail(protocolError);

    // Injected faults.
    const fault = this.takeFault(service, action, 'error');
    if (fault) return reply(this.faultReply(service, action, fault.kind));

    // Authentication.
    let caller: Caller;
    try {
      if (auth === 'missing') throw new AwsError(403, 'MissingAuthenticationToken', MSG.missingAuth);
      if (auth === 'malformed') throw new AwsError(400, 'IncompleteSignature', 'Authorization header is not a valid AWS4-HMAC-SHA256 signature.');
      caller = await this.authenticate(req, body, auth);
    } catch (e) {
      if (e instanceof AwsError) return fail(e);
      throw e;
    }

    try {
      let out: Reply;
      if (service === 'organizations') out = this.handleOrganizations(action, jsonInput, caller);
      else if (service === 'iam') out = this.handleIam(action, params, caller);
      else out = this.handleSts(action, params, caller);
      const mutation = out.status === 200 ? this.takeFault(service, action, 'mutate') : undefined;
      if (mutation) out = this.mutate(out, mutation.kind, action);
      reply(out);
    } catch (e) {
      if (e instanceof AwsError) return fail(e);
      throw e;
    }
  }

  private faultReply(service: string, action: string, kind: FaultKind): Reply {
    const json = service === 'organizations';
    switch (kind) {
      case 'http500': return this.errorReply(service, new AwsError(500, 'InternalFailure', 'An internal error occurred (injected fault).'));
      case 'http503': return this.errorReply(service, new AwsError(503, 'ServiceUnavailable', 'Service is unavailable (injected fault).'));
      case 'throttle': return this.errorReply(service, new AwsError(400, 'Throttling', 'Rate exceeded'));
      case 'expiredToken': return this.errorReply(service, new AwsError(400, 'ExpiredToken', MSG.expired));
      case 'regionDisabled':
        return this.errorReply(service, new AwsError(403, 'RegionDisabledException',
          'STS is not activated in this region for account:111111111111. Your account administrator can activate STS in this region using the IAM Console.'));
      case 'timeout': return { status: 0, contentType: '', body: '', hang: true, errorCode: 'timeout' };
      case 'malformedXml':
        return json
          ? { status: 200, contentType: 'application/x-amz-json-1.1', body: '{"Accounts": [{"Id": "1111' }
          : { status: 200, contentType: 'text/xml', body: `<${action}Response xmlns="${service === 'iam' ? IAM_NS : STS_NS}"><${action}Result><Credentials><AccessKeyId>ASIA` };
      case 'oversized': {
        const pad = Buffer.alloc(10 * 1024 * 1024, 0x20);
        const head = json ? '{"Padding":"' : `<${action}Response xmlns="${service === 'iam' ? IAM_NS : STS_NS}"><Padding>`;
        const tail = json ? '"}' : `</Padding></${action}Response>`;
        return { status: 200, contentType: json ? 'application/x-amz-json-1.1' : 'text/xml', body: Buffer.concat([Buffer.from(head), pad, Buffer.from(tail)]) };
      }
      default: throw new Error(`fault ${kind} is not an error fault`);
    }
  }

  private mutate(out: Reply, kind: FaultKind, action: string): Reply {
    if (out.status !== 200 || typeof out.body !== 'string') return out;
    let body = out.body;
    if (kind === 'badExpiration') body = body.replace(/<Expiration>[^<]*<\/Expiration>/, '<Expiration>not-a-date</Expiration>');
    else if (kind === 'missingFields') {
      if (CREDENTIAL_ACTIONS.has(action)) body = body.replace(/<SessionToken>[^<]*<\/SessionToken>/, '');
      else if (action === 'GetCallerIdentity') body = body.replace(/<Arn>[^<]*<\/Arn>/, '');
      else if (out.contentType.includes('json')) body = '{}';
      else body = body.replace(new RegExp(`<${action}Result>[\\s\\S]*</${action}Result>`), `<${action}Result></${action}Result>`);
    }
    return { ...out, body };
  }

  // ------------------------------------------------------------------ authentication
  private async authenticate(req: http.IncomingMessage, body: Buffer, auth: Exclude<ReturnType<typeof parseAuthorization>, string>): Promise<Caller> {
    const akid = auth.accessKeyId;
    const tokenHeader = req.headers['x-amz-security-token'];
    const token = Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader;
    let secret: string;
    let caller: Caller;
    const longTerm = this.state.longTermKeys.get(akid);
    const session = this.state.sessions.get(akid);
    if (longTerm) {
      secret = longTerm.secret;
      if (longTerm.kind === 'user') caller = this.userCaller(longTerm.user, akid);
      else caller = this.rootCaller(longTerm.account, akid);
    } else if (session) {
      if (!token || token !== session.sessionToken) throw new AwsError(403, 'InvalidClientTokenId', MSG.invalidToken);
      secret = session.secretAccessKey;
      caller = this.sessionCaller(session, akid);
    } else {
      throw new AwsError(403, 'InvalidClientTokenId', MSG.invalidToken);
    }
    if (session && this.now() >= session.expiration) throw new AwsError(400, 'ExpiredToken', MSG.expired);

    const amzDateRaw = req.headers['x-amz-date'];
    const amzDate = parseAmzDate(Array.isArray(amzDateRaw) ? amzDateRaw[0] : amzDateRaw);
    if (!amzDate) throw new AwsError(400, 'IncompleteSignature', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    const now = this.now();
    if (amzDate.getTime() < now - SKEW_LIMIT_MS) {
      throw new AwsError(403, 'SignatureDoesNotMatch',
        `Signature expired: ${formatAmzDate(amzDate)} is now earlier than ${formatAmzDate(new Date(now - SKEW_LIMIT_MS))} (${formatAmzDate(new Date(now))} - 5 min.)`);
    }
    if (amzDate.getTime() > now + SKEW_LIMIT_MS) {
      throw new AwsError(403, 'SignatureDoesNotMatch',
        `Signature not yet current: ${formatAmzDate(amzDate)} is still later than ${formatAmzDate(new Date(now + SKEW_LIMIT_MS))} (${formatAmzDate(new Date(now))} + 5 min.)`);
    }
    if (!auth.signedHeaders.includes('host')) throw new AwsError(403, 'SignatureDoesNotMatch', MSG.badSignature);
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const ok = await verifySignature({
      method: req.method ?? 'POST',
      path: q < 0 ? rawUrl : rawUrl.slice(0, q),
      rawQuery: q < 0 ? '' : rawUrl.slice(q + 1),
      headers: req.headers,
      body,
      auth,
      secretAccessKey: secret,
      signingDate: amzDate,
    });
    if (!ok) throw new AwsError(403, 'SignatureDoesNotMatch', MSG.badSignature);
    return caller;
  }

  private userCaller(user: UserState, akid: string): Caller {
    return {
      principal: { kind: 'user', account: user.account, principalArn: user.arn, uniqueId: user.userId },
      arn: user.arn,
      userId: user.userId,
      account: user.account,
      isRoot: false,
      user,
      accessKeyId: akid,
    };
  }
  private rootCaller(account: AccountState, akid: string): Caller {
    const arn = `arn:${account.partition}:iam::${account.id}:root`;
    return { principal: { kind: 'root', account: account.id, principalArn: arn }, arn, userId: account.id, account: account.id, isRoot: true, accessKeyId: akid };
  }
  private sessionCaller(s: Session, akid: string): Caller {
    if (s.kind === 'role' && s.role) {
      const sessionArn = `arn:${partitionOfArn(s.role.arn)}:sts::${s.role.account}:assumed-role/${s.role.name}/${s.sessionName}`;
      return {
        principal: { kind: 'assumed-role', account: s.role.account, principalArn: s.role.arn, sessionArn, uniqueId: s.role.roleId },
        arn: sessionArn,
        userId: `${s.role.roleId}:${s.sessionName}`,
        account: s.role.account,
        isRoot: false,
        role: s.role,
        session: s,
        accessKeyId: akid,
      };
    }
    const base = s.user ? this.userCaller(s.user, akid) : this.rootCaller(s.rootAccount!, akid);
    return { ...base, session: s };
  }

  // ------------------------------------------------------------------ authorization helpers
  private context(caller: Caller, extra: Record<string, CtxValue | undefined> = {}, mfaThisRequest = false): RequestContext {
    const s = caller.session;
    const mfa = mfaThisRequest || !!s?.mfa;
    const tags = caller.role?.tags ?? caller.user?.tags ?? {};
    const org = this.state.doc.organization;
    const inOrg = org && (org.accountIds ?? [...this.state.accounts.keys()]).includes(caller.account);
    const now = this.now();
    const init: Record<string, CtxValue | undefined> = {
      'aws:PrincipalArn': caller.principal.principalArn,
      'aws:PrincipalAccount': caller.account,
      'aws:PrincipalType': caller.isRoot ? 'Account' : caller.role ? 'AssumedRole' : 'User',
      'aws:userid': caller.userId,
      'aws:username': caller.user && !caller.role ? caller.user.name : undefined,
      'aws:PrincipalOrgID': inOrg ? org!.id : undefined,
      'aws:RequestedRegion': 'us-east-1',
      'aws:CurrentTime': isoNoMillis(now),
      'aws:EpochTime': String(Math.floor(now / 1000)),
      'aws:SecureTransport': 'false',
      'aws:PrincipalIsAWSService': 'false',
      'aws:ViaAWSService': 'false',
      // Present as "true" only with MFA; for temporary credentials present as "false" otherwise; absent for
      // long-term keys without MFA (AWS documents exactly this asymmetry).
      'aws:MultiFactorAuthPresent': mfa ? 'true' : s ? 'false' : undefined,
      'aws:MultiFactorAuthAge': mfa ? String(Math.floor((now - (s?.mfaAuthTime ?? now)) / 1000)) : undefined,
      'aws:TokenIssueTime': s ? isoNoMillis(s.issuedAt) : undefined,
      'aws:SourceIdentity': s?.sourceIdentity,
      ...extra,
    };
    for (const [k, v] of Object.entries(tags)) init[`aws:PrincipalTag/${k}`] = v;
    return new RequestContext(init);
  }

  private identityPoliciesOf(caller: Caller): NamedPolicy[] {
    if (caller.role) return this.state.identityPolicies(caller.role);
    if (caller.user) return this.state.identityPolicies(caller.user);
    return [];
  }

  /** identity-policy decision (with session policies for sessions) */
  private identityDecision(caller: Caller, action: string, resource: string, ctx: RequestContext): 'allowed' | 'explicitDeny' | 'implicitDeny' {
    if (caller.isRoot) return 'allowed';
    const id = evaluateIdentity(this.identityPoliciesOf(caller), action, resource, ctx).decision;
    if (id === 'explicitDeny') return id;
    const sp = caller.session?.sessionPolicies ?? [];
    if (sp.length) {
      const sd = evaluateIdentity(sp, action, resource, ctx).decision;
      if (sd === 'explicitDeny') return sd;
      if (sd !== 'allowed') return 'implicitDeny';
    }
    return id;
  }

  private requireAllowed(caller: Caller, action: string, resource: string): void {
    // Credentials from GetSessionToken without MFA cannot call IAM (AWS: "You cannot call any IAM API
    // operations unless MFA authentication information is included in the request").
    if (caller.session?.kind === 'session-token' && !caller.session.mfa && action.startsWith('iam:')) throw accessDenied(caller.arn, action, resource);
    if (this.identityDecision(caller, action, resource, this.context(caller)) !== 'allowed') throw accessDenied(caller.arn, action, resource);
  }

  // ------------------------------------------------------------------ STS
  private handleSts(action: string, p: Params, caller: Caller): Reply {
    const wrap = (inner: string) => ({
      status: 200,
      contentType: 'text/xml',
      body: `<${action}Response xmlns="${STS_NS}">\n  <${action}Result>\n${inner}\n  </${action}Result>\n  <ResponseMetadata>\n    <RequestId>__REQUEST_ID__</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`,
    });
    switch (action) {
      case 'GetCallerIdentity':
        return wrap(`    ${el('Arn', caller.arn)}\n    ${el('UserId', caller.userId)}\n    ${el('Account', caller.account)}`);
      case 'AssumeRole':
        return wrap(this.assumeRole(p, caller));
      case 'GetSessionToken':
        return wrap(this.getSessionToken(p, caller));
      default:
        throw new AwsError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
    }
  }

  private checkMfa(p: Params, caller: Caller): boolean {
    const serial = p.get('SerialNumber');
    const code = p.get('TokenCode');
    if (serial === undefined && code === undefined) return false;
    if (serial === undefined || code === undefined) throw new AwsError(403, 'AccessDenied', 'MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.');
    lengthPattern('serialNumber', serial, 9, 256, /^[\w+=/:,.@-]*$/, '[\\w+=/:,.@-]*');
    lengthPattern('tokenCode', code, 6, 6, /^\d*$/, '[\\d]*');
    const user = caller.role ? undefined : caller.user;
    const codes = user?.mfa.get(serial);
    if (!codes || !codes.has(code)) throw new AwsError(403, 'AccessDenied', MSG.mfaFailed);
    return true;
  }

  private issue(s: Omit<Session, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'expiration' | 'issuedAt'>, durationSec: number): Session {
    const now = this.now();
    const session: Session = {
      ...s,
      accessKeyId: randomKeyId('ASIA'),
      secretAccessKey: randomSecret(),
      sessionToken: randomSessionToken(),
      issuedAt: now,
      expiration: now + (this.lifetimeSec ?? durationSec) * 1000,
      mfaAuthTime: s.mfa ? now : undefined,
    };
    this.state.sessions.set(session.accessKeyId, session);
    this.state.recordIssued(session.secretAccessKey, session.sessionToken);
    return session;
  }

  private credentialsXml(s: Session): string {
    return `    <Credentials>\n      ${el('AccessKeyId', s.accessKeyId)}\n      ${el('SecretAccessKey', s.secretAccessKey)}\n      ${el('SessionToken', s.sessionToken)}\n      ${el('Expiration', isoNoMillis(s.expiration))}\n    </Credentials>`;
  }

  private assumeRole(p: Params, caller: Caller): string {
    // Parameter validation (AWS answers these with ValidationError before looking at permissions).
    const roleArn = required(p, 'RoleArn', 'roleArn');
    const sessionName = required(p, 'RoleSessionName', 'roleSessionName');
    lengthPattern('roleArn', roleArn, 20, 2048, /^[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD]*$/, '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+');
    lengthPattern('roleSessionName', sessionName, 2, 64, /^[\w+=,.@-]*$/, '[\\w+=,.@-]*');
    const duration = optionalInt(p, 'DurationSeconds', 'durationSeconds', 900, 43200);
    const externalId = p.get('ExternalId');
    if (externalId !== undefined) lengthPattern('externalId', externalId, 2, 1224, /^[\w+=,.@:/-]*$/, '[\\w+=,.@:\\/-]*');
    const sourceIdentity = p.get('SourceIdentity');
    if (sourceIdentity !== undefined) lengthPattern('sourceIdentity', sourceIdentity, 2, 64, /^[\w+=,.@-]*$/, '[\\w+=,.@-]*');
    const policy = p.get('Policy');
    const sessionPolicies: NamedPolicy[] = [];
    if (policy !== undefined) {
      if (policy.length < 1 || policy.length > 2048) lengthPattern('policy', policy, 1, 2048, /.*/s, '');
      let doc: unknown;
      try {
        doc = JSON.parse(policy);
      } catch {
        throw new AwsError(400, 'MalformedPolicyDocument', 'The policy is not in the valid JSON format.');
      }
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new AwsError(400, 'MalformedPolicyDocument', 'The policy is not in the valid JSON format.');
      sessionPolicies.push({ id: 'SessionPolicy', type: 'Session Policy', document: doc as Record<string, unknown> });
    }
    for (const arn of list(p, 'PolicyArns', 'arn')) {
      const doc = this.state.resolveManaged(arn);
      if (!doc) throw new AwsError(404, 'NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
      sessionPolicies.push({ id: arn, type: 'Session Policy', document: doc });
    }
    if (!/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/.test(roleArn)) throw validation('Request ARN is invalid');

    if (caller.isRoot) throw new AwsError(403, 'AccessDenied', 'Roles may not be assumed by root accounts.');
    const mfaNow = this.checkMfa(p, caller);

    const role = this.state.findRoleByArn(roleArn);
    const denied = () => accessDenied(caller.arn, 'sts:AssumeRole', roleArn);
    if (!role) throw denied();

    const ctx = this.context(caller, {
      'sts:ExternalId': externalId,
      'sts:RoleSessionName': sessionName,
      'sts:SourceIdentity': sourceIdentity,
    }, mfaNow);
    const identity = this.identityDecision(caller, 'sts:AssumeRole', roleArn, ctx);
    const trust = evaluateTrust(role.trust, 'sts:AssumeRole', caller.principal, ctx);
    if (identity === 'explicitDeny' || trust === 'explicitDeny' || trust === 'implicitDeny') throw denied();
    const sameAccount = role.account === caller.account;
    const allowed = sameAccount && trust === 'allowedDirect' ? true : identity === 'allowed';
    if (!allowed) throw denied();

    const chained = caller.session?.kind === 'role';
    const requested = duration ?? 3600;
    if (chained && requested > 3600) throw validation('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    if (requested > role.maxSessionDuration) throw validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');

    const s = this.issue({
      kind: 'role',
      role,
      sessionName,
      mfa: mfaNow || !!caller.session?.mfa,
      sourceIdentity: sourceIdentity ?? caller.session?.sourceIdentity,
      sessionPolicies,
      durationWithTemporarySigner: duration !== undefined && !!caller.session,
    }, requested);
    const packed = policy !== undefined || sessionPolicies.length ? `\n    ${el('PackedPolicySize', Math.min(99, Math.ceil(((policy?.length ?? 0) + sessionPolicies.length * 20) / 20)))}` : '';
    return [
      s.sourceIdentity ? `    ${el('SourceIdentity', s.sourceIdentity)}` : undefined,
      `    <AssumedRoleUser>\n      ${el('AssumedRoleId', `${role.roleId}:${sessionName}`)}\n      ${el('Arn', `arn:${partitionOfArn(role.arn)}:sts::${role.account}:assumed-role/${role.name}/${sessionName}`)}\n    </AssumedRoleUser>`,
      this.credentialsXml(s) + packed,
    ].filter(Boolean).join('\n');
  }

  private getSessionToken(p: Params, caller: Caller): string {
    if (caller.session) throw new AwsError(403, 'AccessDenied', 'Cannot call GetSessionToken with session credentials');
    const duration = optionalInt(p, 'DurationSeconds', 'durationSeconds', 900, 129600);
    if (caller.isRoot && duration !== undefined && duration > 3600) throw validation('The requested DurationSeconds exceeds the 1 hour session limit for the root user.');
    const mfaNow = this.checkMfa(p, caller);
    const s = this.issue({
      kind: 'session-token',
      user: caller.user,
      rootAccount: caller.isRoot ? this.state.accounts.get(caller.account) : undefined,
      mfa: mfaNow,
      sessionPolicies: [],
    }, duration ?? (caller.isRoot ? 3600 : 43200));
    return this.credentialsXml(s);
  }

  // ------------------------------------------------------------------ IAM
  private handleIam(action: string, p: Params, caller: Caller): Reply {
    const wrap = (inner: string) => ({
      status: 200,
      contentType: 'text/xml',
      body: `<${action}Response xmlns="${IAM_NS}">\n  <${action}Result>\n${inner}\n  </${action}Result>\n  <ResponseMetadata>\n    <RequestId>__REQUEST_ID__</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`,
    });
    const acct = this.state.accounts.get(caller.account);
    switch (action) {
      case 'ListRoles': {
        const prefix = p.get('PathPrefix') ?? '/';
        lengthPattern('pathPrefix', prefix, 1, 512, /^\u002F[\u0021-\u007F]*$/, '\\u002F[\\u0021-\\u007F]*');
        const maxItems = optionalInt(p, 'MaxItems', 'maxItems', 1, 1000) ?? 100;
        this.requireAllowed(caller, 'iam:ListRoles', `arn:aws:iam::${caller.account}:role${prefix}`);
        const roles = (acct?.roles ?? []).filter((r) => r.path.startsWith(prefix));
        const start = decodeMarker(p.get('Marker'), caller.account, prefix);
        const page = roles.slice(start, start + maxItems);
        const truncated = start + maxItems < roles.length;
        return wrap([
          `    ${el('IsTruncated', String(truncated))}`,
          truncated ? `    ${el('Marker', encodeMarker(start + maxItems, caller.account, prefix))}` : '',
          `    <Roles>\n${page.map((r) => `      <member>\n${roleXml(r, false)}\n      </member>`).join('\n')}\n    </Roles>`,
        ].filter(Boolean).join('\n'));
      }
      case 'GetRole': {
        const name = required(p, 'RoleName', 'roleName');
        lengthPattern('roleName', name, 1, 64, /^[\w+=,.@-]+$/, '[\\w+=,.@-]+');
        const role = acct?.rolesByName.get(name);
        this.requireAllowed(caller, 'iam:GetRole', role?.arn ?? `arn:aws:iam::${caller.account}:role/${name}`);
        if (!role) throw new AwsError(404, 'NoSuchEntity', `The role with name ${name} cannot be found.`);
        return wrap(`    <Role>\n${roleXml(role, true)}\n    </Role>`);
      }
      case 'ListAccountAliases': {
        this.requireAllowed(caller, 'iam:ListAccountAliases', '*');
        const aliases = acct?.alias ? [acct.alias] : [];
        return wrap(`    ${el('IsTruncated', 'false')}\n    <AccountAliases>${aliases.map((a) => `\n      ${el('member', a)}`).join('')}\n    </AccountAliases>`);
      }
      case 'SimulatePrincipalPolicy':
        return wrap(this.simulate(p, caller));
      default:
        throw new AwsError(400, 'InvalidAction', `Could not find operation ${action} for version 2010-05-08`);
    }
  }

  private simulate(p: Params, caller: Caller): string {
    const source = required(p, 'PolicySourceArn', 'policySourceArn');
    const actions = list(p, 'ActionNames');
    if (!actions.length) throw validation("1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null");
    const resources = list(p, 'ResourceArns');
    if (!resources.length) resources.push('*');
    this.requireAllowed(caller, 'iam:SimulatePrincipalPolicy', source);
    let principal: UserState | RoleState | undefined;
    const m = /^arn:aws:iam::(\d{12}):(user|role)(\/.*\/|\/)([^/]+)$/.exec(source);
    if (m && m[1] === caller.account) {
      const acct = this.state.accounts.get(m[1]);
      principal = m[2] === 'user' ? acct?.users.get(m[4]) : acct?.rolesByName.get(m[4]);
      if (principal && principal.arn !== source) principal = undefined;
    }
    if (!principal) throw new AwsError(404, 'NoSuchEntity', `PolicySourceArn ${source} does not exist.`);
    const policies = this.state.identityPolicies(principal);
    list(p, 'PolicyInputList').forEach((doc, i) => {
      try {
        policies.push({ id: `PolicyInputList.${i + 1}`, type: 'IAM Policy', document: JSON.parse(doc) as Record<string, unknown> });
      } catch {
        throw new AwsError(400, 'InvalidInput', `PolicyInputList.${i + 1} is not valid JSON.`);
      }
    });
    const ctxInit: Record<string, CtxValue> = {};
    for (let i = 1; p.has(`ContextEntries.member.${i}.ContextKeyName`); i++) {
      const key = p.get(`ContextEntries.member.${i}.ContextKeyName`)!;
      const values = list(p, `ContextEntries.member.${i}.ContextKeyValues`);
      const type = p.get(`ContextEntries.member.${i}.ContextKeyType`) ?? 'string';
      ctxInit[key] = type.endsWith('List') ? values : values[0] ?? '';
    }
    const results: string[] = [];
    for (const action of actions) {
      for (const resource of resources) {
        const ctx = new RequestContext(ctxInit, true);
        const r = evaluateIdentity(policies, action, resource, ctx);
        const matched = r.matched
          .filter((s) => (r.decision === 'explicitDeny' ? s.effect === 'Deny' : s.effect === 'Allow'))
          .map((s) => `          <member>\n            ${el('SourcePolicyId', s.sourcePolicyId)}\n            ${el('SourcePolicyType', s.sourcePolicyType === 'IAM Policy' ? 'IAM Policy' : 'user')}\n          </member>`);
        results.push([
          '      <member>',
          `        ${el('EvalActionName', action)}`,
          `        ${el('EvalResourceName', resource)}`,
          `        ${el('EvalDecision', r.decision)}`,
          `        <MatchedStatements>${matched.length ? '\n' + matched.join('\n') + '\n        ' : ''}</MatchedStatements>`,
          `        <MissingContextValues>${[...ctx.missing].map((k) => el('member', k)).join('')}</MissingContextValues>`,
          '      </member>',
        ].join('\n'));
      }
    }
    return `    ${el('IsTruncated', 'false')}\n    <EvaluationResults>\n${results.join('\n')}\n    </EvaluationResults>`;
  }

  // ------------------------------------------------------------------ Organizations
  private handleOrganizations(action: string, input: Record<string, unknown>, caller: Caller): Reply {
    const ok = (o: unknown): Reply => ({ status: 200, contentType: 'application/x-amz-json-1.1', body: JSON.stringify(o) });
    const org = this.state.doc.organization;
    switch (action) {
      case 'ListAccounts': {
        const max = input.MaxResults;
        if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 20)) {
          throw new AwsError(400, 'InvalidInputException', 'You provided a value that does not match the required pattern.');
        }
        if (!this.isAllowedQuiet(caller, 'organizations:ListAccounts', '*')) throw new AwsError(400, 'AccessDeniedException', MSG.orgDenied);
        if (!org) throw new AwsError(400, 'AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
        if (caller.account !== org.managementAccountId) throw new AwsError(400, 'AccessDeniedException', MSG.orgDenied);
        const ids = org.accountIds ?? [...this.state.accounts.keys()];
        const start = input.NextToken === undefined ? 0 : decodeOrgToken(input.NextToken);
        const size = (max as number | undefined) ?? 20;
        const page = ids.slice(start, start + size).map((id, i) => {
          const a = this.state.accounts.get(id);
          return {
            Id: id,
            Arn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${id}`,
            Email: a?.email ?? `aws+${id}@example.invalid`,
            Name: a?.name ?? id,
            Status: 'ACTIVE',
            State: 'ACTIVE',
            JoinedMethod: id === org.managementAccountId ? 'CREATED' : 'INVITED',
            JoinedTimestamp: Date.UTC(2024, 0, 1) / 1000 + (start + i) * 86400,
          };
        });
        const next = start + size < ids.length ? Buffer.from(`orgs:${start + size}`).toString('base64') : undefined;
        return ok(next ? { Accounts: page, NextToken: next } : { Accounts: page });
      }
      default:
        throw new AwsError(400, 'UnknownOperationException', `Unknown operation ${action}`);
    }
  }

  private isAllowedQuiet(caller: Caller, action: string, resource: string): boolean {
    try {
      this.requireAllowed(caller, action, resource);
      return true;
    } catch {
      return false;
    }
  }

  // ------------------------------------------------------------------ admin API
  private async handleAdmin(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const answer = (status: number, o: unknown) => {
      const body = JSON.stringify(o);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Date: new Date(this.now()).toUTCString() });
      res.end(body);
    };
    const raw = await this.readBody(req);
    if (raw === 'tooLarge') return answer(413, { error: 'body too large' });
    let input: Record<string, unknown> = {};
    try {
      if (raw.length) input = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return answer(400, { error: 'body must be JSON' });
    }
    for (const [k, v] of url.searchParams) if (!(k in input)) input[k] = v;
    const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
    try {
      switch (route) {
        case 'POST /__admin/faults': {
          const specs = Array.isArray(input) ? (input as FaultSpec[]) : [input as unknown as FaultSpec];
          for (const f of specs) this.injectFault(f);
          return answer(200, { ok: true, queued: this.faults.length });
        }
        case 'DELETE /__admin/faults':
          this.clearFaults();
          return answer(200, { ok: true });
        case 'POST /__admin/lifetime': {
          const s = input.seconds;
          this.setIssuedCredentialLifetime(s === null || s === undefined || s === 'null' ? null : Number(s));
          return answer(200, { ok: true, seconds: this.lifetimeSec });
        }
        case 'POST /__admin/skew':
          this.setClockSkew(Number(input.ms ?? 0));
          return answer(200, { ok: true, ms: this.skewMs });
        case 'PUT /__admin/user-policy':
          this.putUserPolicy(String(input.user), String(input.policyName), input.document as object);
          return answer(200, { ok: true });
        case 'DELETE /__admin/user-policy':
          this.deleteUserPolicy(String(input.user), String(input.policyName));
          return answer(200, { ok: true });
        case 'GET /__admin/calls':
          return answer(200, this.calls);
        case 'GET /__admin/issued-secrets':
          return answer(200, this.issuedSecrets());
        case 'GET /__admin/health':
          return answer(200, { ok: true, endpoint: this.endpoint });
        default:
          return answer(404, { error: `no admin route ${route}` });
      }
    } catch (e) {
      return answer(400, { error: String((e as Error).message ?? e) });
    }
  }
}

// ------------------------------------------------------------------ helpers

function roleXml(r: RoleState, full: boolean): string {
  const i = full ? '      ' : '        ';
  const lines = [
    el('Path', r.path),
    el('RoleName', r.name),
    el('RoleId', r.roleId),
    el('Arn', r.arn),
    el('CreateDate', r.createDate),
    el('AssumeRolePolicyDocument', encodeURIComponent(JSON.stringify(r.trust))),
    r.description !== undefined ? el('Description', r.description) : '',
    el('MaxSessionDuration', r.maxSessionDuration),
  ];
  if (full) {
    const tags = Object.entries(r.tags);
    if (tags.length) lines.push(`<Tags>${tags.map(([k, v]) => `<member>${el('Key', k)}${el('Value', v)}</member>`).join('')}</Tags>`);
    lines.push('<RoleLastUsed/>');
  }
  return lines.filter(Boolean).map((l) => i + l).join('\n');
}

function required(p: Params, name: string, member: string): string {
  const v = p.get(name);
  if (v === undefined) throw validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  return v;
}

function lengthPattern(member: string, v: string, min: number, max: number, re: RegExp, reText: string): void {
  const shown = member === 'tokenCode' || member === 'policy' ? '' : ` '${v}'`;
  if (v.length < min) throw validation(`1 validation error detected: Value${shown} at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`);
  if (v.length > max) throw validation(`1 validation error detected: Value${shown} at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  if (!re.test(v)) throw validation(`1 validation error detected: Value${shown} at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${reText}`);
}

function optionalInt(p: Params, name: string, member: string, min: number, max: number): number | undefined {
  const raw = p.get(name);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) throw validation(`1 validation error detected: Value '${raw}' at '${member}' failed to satisfy constraint: Member must be a number`);
  const n = Number(raw);
  if (n < min) throw validation(`1 validation error detected: Value '${n}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  if (n > max) throw validation(`1 validation error detected: Value '${n}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  return n;
}

/** `Name.member.N` (or `Name.member.N.sub`) list parameters of the Query protocol. */
function list(p: Params, name: string, sub?: string): string[] {
  const out: string[] = [];
  for (let i = 1; ; i++) {
    const v = p.get(`${name}.member.${i}${sub ? '.' + sub : ''}`);
    if (v === undefined) break;
    out.push(v);
  }
  return out;
}

function encodeMarker(offset: number, account: string, prefix: string): string {
  return Buffer.from(JSON.stringify({ o: offset, a: account, p: prefix })).toString('base64');
}
function decodeMarker(marker: string | undefined, account: string, prefix: string): number {
  if (marker === undefined) return 0;
  try {
    const m = JSON.parse(Buffer.from(marker, 'base64').toString('utf8')) as { o: number; a: string; p: string };
    if (typeof m.o === 'number' && m.a === account && m.p === prefix && m.o >= 0) return m.o;
  } catch {
    /* fall through */
  }
  throw validation('Invalid Marker.');
}
function decodeOrgToken(t: unknown): number {
  const m = typeof t === 'string' ? /^orgs:(\d+)$/.exec(Buffer.from(t, 'base64').toString('utf8')) : null;
  if (!m) throw new AwsError(400, 'InvalidInputException', 'The NextToken value is not valid.');
  return Number(m[1]);
}

/** The partition of an ARN of the fake's state (accounts may be in aws-cn or aws-us-gov). */
function partitionOfArn(arn: string): string {
  return /^arn:([a-z-]+):/.exec(arn)?.[1] ?? 'aws';
}
