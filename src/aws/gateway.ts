// The AWS SDK v3 implementation of AwsGateway; the entry of dist/aws.js (loaded lazily by lazy.ts).
// Only the commands we use are imported so esbuild can tree-shake the rest of each client.
import { STSClient, AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import {
  IAMClient,
  ListRolesCommand,
  ListAccountAliasesCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { OrganizationsClient, ListAccountsCommand } from '@aws-sdk/client-organizations';
import { fromNodeProviderChain, fromIni, fromEnv } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { stsUseGlobalEndpoint } from './endpointConfig';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, HttpHandlerOptions } from '@smithy/types';
import { pipeline, Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import type {
  AssumeRoleOutput,
  AssumeRoleParams,
  AwsGateway,
  BaseCredentialSource,
  CallerIdentity,
  CallOptions,
  IamRoleSummary,
  OrgAccount,
  SimulationResult,
  SessionTokenOutput,
  SessionTokenParams,
} from '../core/gateway';

export interface GatewayOptions {
  /** Total attempts per call, standard retry strategy. Default 3. */
  readonly maxAttempts?: number;
  /** One line per call: service:operation, outcome, HTTP status, attempts, duration. Never parameters. */
  readonly logger?: (line: string) => void;
  /** Told when the SDK corrected its clock by more than a minute after a skew rejection. */
  readonly onClockSkew?: (offsetMs: number) => void;
  /** Default per-attempt timeout when CallOptions.timeoutMs is absent. Default 10000. */
  readonly timeoutMs?: number;
  /** Largest response body accepted; larger ones fail with `ResponseTooLarge`. Default 16 MiB. */
  readonly maxResponseBytes?: number;
  /** Clients kept (LRU). Default 32. */
  readonly maxClients?: number;
  /**
   * The HTTP handler under the size limit; NodeHttpHandler by default. Only the warm-up's dry run
   * (src/aws/prime.ts) passes another: an in-memory STS that never opens a socket.
   */
  readonly httpHandler?: (timeoutMs: number) => NodeHttpHandler;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
export const STS_MAX_RESPONSE_BYTES = 1024 * 1024;
/** IAM documents no count limit for ResourceArns; stay well below any request-size limit. */
export const SIMULATE_BATCH = 50;

type Service = 'sts' | 'iam' | 'organizations';
type AnyClient = STSClient | IAMClient | OrganizationsClient;

interface CacheEntry {
  readonly client: AnyClient;
  /** For static credentials: the secret the client was built with (a different secret → new client). */
  readonly secret?: string;
}

/** An error of our own making, shaped like the SDK's (name + $metadata). */
function gatewayError(name: string, message: string, httpStatusCode?: number): Error {
  const e = new Error(message) as Error & { $metadata: { httpStatusCode?: number }; $fault: string };
  e.name = name;
  e.$metadata = { httpStatusCode };
  e.$fault = 'client';
  return e;
}

function malformed(what: string): Error {
  return gatewayError('MalformedResponse', `Malformed AWS response: ${what}`);
}

/**
 * Wraps NodeHttpHandler to refuse bodies above a size limit, so a runaway response fails fast
 * instead of being buffered whole. With a Content-Length below the limit there is no extra cost.
 */
class BoundedHttpHandler {
  readonly metadata: { handlerProtocol: string };
  constructor(private readonly inner: NodeHttpHandler, private readonly maxBytes: number) {
    this.metadata = inner.metadata;
  }

  async handle(request: any, options?: HttpHandlerOptions): Promise<{ response: any }> {
    const out = await this.inner.handle(request, options);
    const res = out.response;
    const body = res.body as Readable | undefined;
    if (!body || typeof body.pipe !== 'function') return out;
    const lenHeader = res.headers?.['content-length'];
    const len = lenHeader === undefined ? NaN : Number(lenHeader);
    if (Number.isFinite(len)) {
      if (len <= this.maxBytes) return out;
      body.destroy();
      throw gatewayError('ResponseTooLarge', `The response (${len} bytes) exceeds the ${this.maxBytes}-byte limit.`, res.statusCode);
    }
    // No length (chunked): count while streaming.
    let seen = 0;
    const max = this.maxBytes;
    const status = res.statusCode;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        seen += chunk.length;
        if (seen > max) cb(gatewayError('ResponseTooLarge', `The response exceeds the ${max}-byte limit.`, status));
        else cb(null, chunk);
      },
    });
    res.body = pipeline(body, counter, () => undefined);
    return out;
  }

  updateHttpClientConfig(key: any, value: any): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): any {
    return this.inner.httpHandlerConfigs();
  }

  destroy(): void {
    this.inner.destroy();
  }
}

/** Memoize a provider; refresh 5 minutes before expiry; forget failures. */
function memoizeProvider(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let pending: Promise<AwsCredentialIdentity> | undefined;
  let value: AwsCredentialIdentity | undefined;
  return async () => {
    if (value && (!value.expiration || value.expiration.getTime() - Date.now() > 300_000)) return value;
    if (!pending) {
      pending = provider().then(
        (v) => {
          value = v;
          pending = undefined;
          return v;
        },
        (e) => {
          pending = undefined;
          throw e;
        },
      );
    }
    return pending;
  };
}

/**
 * A 2xx response the SDK could not parse (broken XML, a timestamp that is not one) surfaces as a
 * plain Error/TypeError carrying the hidden `$response`. Report it as MalformedResponse, without the
 * raw response (it may hold credentials). Service errors (with `$fault`) pass through untouched.
 */
function asMalformed(label: string, e: unknown): unknown {
  const err = e as { $fault?: string; $response?: unknown; $metadata?: { httpStatusCode?: number }; message?: unknown };
  const status = err?.$metadata?.httpStatusCode;
  if (!err || typeof err !== 'object' || err.$fault || !('$response' in err) || status === undefined || status < 200 || status > 299) {
    return e;
  }
  const detail = String(err.message ?? '').split('\n')[0].slice(0, 200);
  const wrapped = malformed(`${label}: ${detail}`) as Error & { $metadata: object };
  wrapped.$metadata = { ...err.$metadata };
  return wrapped;
}

function decodePolicy(doc: string | undefined): string | undefined {
  if (doc === undefined) return undefined;
  try {
    return decodeURIComponent(doc);
  } catch {
    return undefined;
  }
}

function isValidDate(d: unknown): d is Date {
  return d instanceof Date && Number.isFinite(d.getTime());
}

export class SdkGateway implements AwsGateway {
  private readonly maxAttempts: number;
  private readonly defaultTimeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly maxClients: number;
  private readonly logger?: (line: string) => void;
  private readonly onClockSkew?: (offsetMs: number) => void;
  private readonly clients = new Map<string, CacheEntry>();
  private readonly providers = new Map<string, AwsCredentialIdentityProvider>();
  private readonly httpHandler: GatewayOptions['httpHandler'];

  constructor(options: GatewayOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.defaultTimeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.maxClients = options.maxClients ?? 32;
    this.logger = options.logger;
    this.onClockSkew = options.onClockSkew;
    this.httpHandler = options.httpHandler;
  }

  /** Number of cached SDK clients (tests and the benchmark). */
  clientCount(): number {
    return this.clients.size;
  }

  reset(): void {
    for (const { client } of this.clients.values()) {
      try {
        client.destroy();
      } catch {
        // a client that fails to close has nothing left for us to do
      }
    }
    this.clients.clear();
    this.providers.clear();
  }

  /** Builds and caches the STS client (and credential provider) for `opts`, sending nothing: the warm-up. */
  warm(opts: CallOptions): void {
    this.client('sts', opts);
  }

  // ---- credentials ----------------------------------------------------------------------------

  private sourceKey(src: BaseCredentialSource): string {
    switch (src.kind) {
      case 'default':
        return 'default';
      case 'environment':
        return 'env';
      case 'profile':
        return `profile:${src.profile}`;
      case 'static':
        return `static:${src.credentials.accessKeyId}`;
    }
  }

  private provider(src: BaseCredentialSource, key: string): AwsCredentialIdentityProvider | AwsCredentialIdentity {
    if (src.kind === 'static') {
      const c = src.credentials;
      return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration };
    }
    let p = this.providers.get(key);
    if (!p) {
      if (src.kind === 'default') p = fromNodeProviderChain();
      else if (src.kind === 'environment') p = fromEnv();
      else p = fromIni({ profile: src.profile });
      p = memoizeProvider(p);
      this.providers.set(key, p);
    }
    return p;
  }

  // ---- clients --------------------------------------------------------------------------------

  private client(service: 'sts', opts: CallOptions): STSClient;
  private client(service: 'iam', opts: CallOptions): IAMClient;
  private client(service: 'organizations', opts: CallOptions): OrganizationsClient;
  private client(service: Service, opts: CallOptions): AnyClient {
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    const credKey = this.sourceKey(opts.credentials);
    const key = `${service}|${opts.region}|${opts.endpoint ?? ''}|${credKey}|${timeoutMs}`;
    const secret = opts.credentials.kind === 'static' ? opts.credentials.credentials.secretAccessKey : undefined;
    const hit = this.clients.get(key);
    if (hit && hit.secret === secret) {
      // LRU: most recently used goes last.
      this.clients.delete(key);
      this.clients.set(key, hit);
      return hit.client;
    }
    if (hit) {
      this.clients.delete(key);
      hit.client.destroy();
    }
    const config = {
      region: opts.region,
      // The explicit endpoint (roleSwitcher.endpointUrl) wins over every variant: with FIPS on the SDK
      // would refuse it ("FIPS and custom endpoint are not supported"). Otherwise the variants (FIPS,
      // dual-stack) are the SDK's: it reads AWS_USE_FIPS_ENDPOINT and use_fips_endpoint itself;
      // sts_regional_endpoints it does not read, so that one is passed (endpointConfig.ts).
      ...(opts.endpoint ? { endpoint: opts.endpoint, useFipsEndpoint: false, useDualstackEndpoint: false } : {}),
      ...(service === 'sts' && !opts.endpoint ? { useGlobalEndpoint: stsUseGlobalEndpoint() } : {}),
      credentials: this.provider(opts.credentials, credKey),
      maxAttempts: this.maxAttempts,
      retryMode: 'standard',
      requestHandler: new BoundedHttpHandler(
        this.httpHandler?.(timeoutMs) ??
          new NodeHttpHandler({
            connectionTimeout: timeoutMs,
            requestTimeout: timeoutMs,
            throwOnRequestTimeout: true,
            socketTimeout: timeoutMs,
          }),
        // An STS answer is a few KB; IAM pages of 1,000 roles with long trust policies can reach MBs.
        service === 'sts' ? Math.min(this.maxResponseBytes, STS_MAX_RESPONSE_BYTES) : this.maxResponseBytes,
      ),
    };
    const client: AnyClient =
      service === 'sts' ? new STSClient(config as any) : service === 'iam' ? new IAMClient(config as any) : new OrganizationsClient(config as any);
    this.clients.set(key, { client, secret });
    while (this.clients.size > this.maxClients) {
      const oldest = this.clients.keys().next().value as string;
      const entry = this.clients.get(oldest);
      this.clients.delete(oldest);
      entry?.client.destroy();
    }
    return client;
  }

  /** client.send with one log line per call (operation, outcome, status, attempts, duration). */
  private async send<T extends { $metadata?: { httpStatusCode?: number; attempts?: number } }>(
    label: string,
    client: AnyClient,
    command: unknown,
    opts: CallOptions,
  ): Promise<T> {
    const t0 = performance.now();
    const config = (client as { config?: { systemClockOffset?: number } }).config;
    const offsetBefore = config?.systemClockOffset ?? 0;
    try {
      const out = (await (client as any).send(command, opts.abortSignal ? { abortSignal: opts.abortSignal } : undefined)) as T;
      // The SDK corrects its clock from the response's Date header after a skew rejection and
      // retries; say so instead of hiding it, since the computer's clock is wrong.
      const offsetAfter = config?.systemClockOffset ?? 0;
      if (offsetAfter !== offsetBefore && Math.abs(offsetAfter) > 60_000) {
        this.logger?.(`${label} clock skew corrected: this computer's clock is ${Math.round(-offsetAfter / 1000)} s off from AWS`);
        this.onClockSkew?.(offsetAfter);
      }
      if (this.logger) {
        const m = out.$metadata ?? {};
        this.logger(`${label} ok ${m.httpStatusCode ?? '-'} attempts=${m.attempts ?? 1} ${Math.round(performance.now() - t0)}ms`);
      }
      return out;
    } catch (caught) {
      const e = asMalformed(label, caught);
      if (this.logger) {
        const err = e as { name?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
        const m = err.$metadata ?? {};
        this.logger(
          `${label} failed ${err.name ?? 'Error'} ${m.httpStatusCode ?? '-'} attempts=${m.attempts ?? '-'} ${Math.round(performance.now() - t0)}ms`,
        );
      }
      throw e;
    }
  }

  // ---- operations -----------------------------------------------------------------------------

  async getCallerIdentity(opts: CallOptions): Promise<CallerIdentity> {
    const out = await this.send<any>('sts:GetCallerIdentity', this.client('sts', opts), new GetCallerIdentityCommand({}), opts);
    if (!out.Arn || !out.Account) throw malformed('GetCallerIdentity without Arn or Account');
    return { arn: out.Arn, account: out.Account, userId: out.UserId ?? '' };
  }

  async assumeRole(opts: CallOptions, p: AssumeRoleParams): Promise<AssumeRoleOutput> {
    const command = new AssumeRoleCommand({
      RoleArn: p.roleArn,
      RoleSessionName: p.roleSessionName,
      DurationSeconds: p.durationSeconds,
      ExternalId: p.externalId,
      SerialNumber: p.serialNumber,
      TokenCode: p.tokenCode,
      SourceIdentity: p.sourceIdentity,
    });
    const out = await this.send<any>('sts:AssumeRole', this.client('sts', opts), command, opts);
    const c = out.Credentials;
    if (!c) throw malformed('AssumeRole without Credentials');
    if (!c.AccessKeyId) throw malformed('AssumeRole without AccessKeyId');
    if (!c.SecretAccessKey) throw malformed('AssumeRole without SecretAccessKey');
    if (!c.SessionToken) throw malformed('AssumeRole without SessionToken');
    if (!isValidDate(c.Expiration)) throw malformed('AssumeRole with an invalid Expiration');
    const user = out.AssumedRoleUser ?? {};
    return {
      credentials: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration,
      },
      assumedRoleArn: user.Arn ?? '',
      assumedRoleId: user.AssumedRoleId ?? '',
    };
  }

  async getSessionToken(opts: CallOptions, p: SessionTokenParams): Promise<SessionTokenOutput> {
    const command = new GetSessionTokenCommand({ DurationSeconds: p.durationSeconds, SerialNumber: p.serialNumber, TokenCode: p.tokenCode });
    const out = await this.send<any>('sts:GetSessionToken', this.client('sts', opts), command, opts);
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw malformed('GetSessionToken without a full set of Credentials');
    if (!isValidDate(c.Expiration)) throw malformed('GetSessionToken with an invalid Expiration');
    return { credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration } };
  }

  async *listRoles(opts: CallOptions, pageSize = 1000): AsyncIterable<IamRoleSummary[]> {
    const client = this.client('iam', opts);
    // Many roles carry the same trust policy word for word: decode each distinct text once per listing
    // (decodeURIComponent of thousands of policies is a measurable part of a discovery).
    const decoded = new Map<string, string | undefined>();
    const policy = (doc: string | undefined): string | undefined => {
      if (doc === undefined) return undefined;
      let d = decoded.get(doc);
      if (d === undefined && !decoded.has(doc)) {
        d = decodePolicy(doc);
        decoded.set(doc, d);
      }
      return d;
    };
    let marker: string | undefined;
    do {
      const out = await this.send<any>('iam:ListRoles', client, new ListRolesCommand({ Marker: marker, MaxItems: pageSize }), opts);
      const roles: IamRoleSummary[] = (out.Roles ?? []).map((r: any) => ({
        arn: r.Arn,
        roleName: r.RoleName,
        path: r.Path ?? '/',
        roleId: r.RoleId ?? '',
        trustPolicy: policy(r.AssumeRolePolicyDocument),
        maxSessionDuration: r.MaxSessionDuration,
        description: r.Description,
      }));
      yield roles;
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
  }

  async listAccountAliases(opts: CallOptions): Promise<string[]> {
    const client = this.client('iam', opts);
    const aliases: string[] = [];
    let marker: string | undefined;
    do {
      const out = await this.send<any>('iam:ListAccountAliases', client, new ListAccountAliasesCommand({ Marker: marker }), opts);
      aliases.push(...(out.AccountAliases ?? []));
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
    return aliases;
  }

  async simulateAssumeRole(opts: CallOptions, policySourceArn: string, roleArns: readonly string[]): Promise<SimulationResult[]> {
    const client = this.client('iam', opts);
    const results: SimulationResult[] = [];
    for (let i = 0; i < roleArns.length; i += SIMULATE_BATCH) {
      const batch = roleArns.slice(i, i + SIMULATE_BATCH);
      let marker: string | undefined;
      do {
        const command = new SimulatePrincipalPolicyCommand({
          PolicySourceArn: policySourceArn,
          ActionNames: ['sts:AssumeRole'],
          ResourceArns: batch,
          Marker: marker,
        });
        const out = await this.send<any>('iam:SimulatePrincipalPolicy', client, command, opts);
        for (const r of out.EvaluationResults ?? []) {
          const specific: any[] = r.ResourceSpecificResults ?? [];
          if ((r.EvalResourceName === undefined || r.EvalResourceName === '*') && specific.length > 0) {
            for (const s of specific) {
              results.push({ resourceArn: s.EvalResourceName, decision: s.EvalResourceDecision });
            }
          } else {
            results.push({ resourceArn: r.EvalResourceName ?? '*', decision: r.EvalDecision });
          }
        }
        marker = out.IsTruncated ? out.Marker : undefined;
      } while (marker);
    }
    return results;
  }

  async *listAccounts(opts: CallOptions): AsyncIterable<OrgAccount[]> {
    const client = this.client('organizations', opts);
    let token: string | undefined;
    do {
      const out = await this.send<any>('organizations:ListAccounts', client, new ListAccountsCommand({ NextToken: token }), opts);
      yield (out.Accounts ?? []).map((a: any) => ({ id: a.Id, name: a.Name ?? '', status: a.Status ?? a.State }));
      token = out.NextToken || undefined;
    } while (token);
  }
}

export function createAwsGateway(options?: GatewayOptions): SdkGateway {
  return new SdkGateway(options);
}
