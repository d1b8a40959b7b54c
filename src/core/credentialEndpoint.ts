// The credential endpoint (issue 11): serves the current session's credentials on 127.0.0.1 in the
// container-credentials format every AWS SDK and the CLI read (AWS_CONTAINER_CREDENTIALS_FULL_URI +
// AWS_CONTAINER_AUTHORIZATION_TOKEN). No vscode, no SDK: node:http and node:crypto only.
// Rules and the Expiration policy: docs/terminal-credentials.md.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a binding serves; a Session satisfies it. Read at request time, never stored. */
export interface EndpointCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

export interface EndpointBinding {
  /** Random per binding, e.g. `/role-switcher/3q2-…`. */
  readonly path: string;
  /** 32 random bytes, base64url: the AWS_CONTAINER_AUTHORIZATION_TOKEN value. */
  readonly token: string;
  /** `http://127.0.0.1:<port><path>`: the AWS_CONTAINER_CREDENTIALS_FULL_URI value. */
  readonly url: string;
  dispose(): void;
}

export interface CredentialEndpointOptions {
  /** Injected clock (ms since epoch); defaults to Date.now. */
  readonly now?: () => number;
  /** Longest lifetime advertised in `Expiration`; see advertisedExpiration. */
  readonly maxAdvertisedMs?: number;
}

/**
 * The longest `Expiration` the endpoint advertises, counted from the request. Clients re-ask when
 * the advertised time draws near, so this bounds how long a running process keeps a session after a
 * switch. 16 minutes: botocore (AWS CLI, boto3) refreshes once fewer than 15 minutes are left
 * (advisory window; 10 minutes mandatory), so it re-asks after ~1 minute instead of on every call;
 * the JavaScript SDK v3 refreshes once fewer than 5 minutes are left, i.e. after ~11 minutes.
 */
export const MAX_ADVERTISED_MS = 16 * 60_000;

/** Pure: the Expiration to advertise, min(real expiration, now + max). */
export function advertisedExpiration(real: Date, nowMs: number, maxMs = MAX_ADVERTISED_MS): Date {
  return new Date(Math.min(real.getTime(), nowMs + maxMs));
}

/** Pure: whether a Host header names this endpoint on loopback (DNS-rebinding guard). */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}` || h === `[::1]:${port}`;
}

interface Entry {
  readonly tokenDigest: Buffer;
  readonly get: () => EndpointCredentials | undefined;
}

const PATH_PREFIX = '/role-switcher/';
const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' } as const;

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

export class CredentialEndpoint {
  private readonly bindings = new Map<string, Entry>();
  private server: http.Server | undefined;
  private starting: Promise<{ port: number }> | undefined;
  private port = 0;
  private readonly now: () => number;
  private readonly maxAdvertisedMs: number;

  constructor(opts: CredentialEndpointOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.maxAdvertisedMs = opts.maxAdvertisedMs ?? MAX_ADVERTISED_MS;
  }

  get listening(): boolean {
    return this.port !== 0;
  }

  /** Listens on 127.0.0.1 on a random port. Idempotent. */
  start(): Promise<{ port: number }> {
    if (!this.starting) {
      const server = http.createServer({ keepAlive: true }, (req, res) => this.handle(req, res));
      // Small limits: the only legitimate client is a credential provider on this machine.
      server.headersTimeout = 5_000;
      server.requestTimeout = 5_000;
      server.maxHeadersCount = 50;
      this.server = server;
      this.starting = new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
          server.off('error', reject);
          this.port = (server.address() as AddressInfo).port;
          resolve({ port: this.port });
        });
      });
      this.starting.catch(() => {
        this.starting = undefined;
        this.server = undefined;
      });
    }
    return this.starting;
  }

  /**
   * Adds a binding: a random path and token that serve whatever `getCredentials` returns at request
   * time (undefined: no session, 503). Requires start() to have resolved.
   */
  bind(getCredentials: () => EndpointCredentials | undefined): EndpointBinding {
    if (!this.port) throw new Error('CredentialEndpoint.bind() before start()');
    const path = PATH_PREFIX + randomBytes(18).toString('base64url');
    const token = randomBytes(32).toString('base64url');
    this.bindings.set(path, { tokenDigest: digest(token), get: getCredentials });
    const url = `http://127.0.0.1:${this.port}${path}`;
    return { path, token, url, dispose: () => void this.bindings.delete(path) };
  }

  get bindingCount(): number {
    return this.bindings.size;
  }

  /** Stops listening, drops every binding and closes open keep-alive connections. */
  async close(): Promise<void> {
    this.bindings.clear();
    const server = this.server;
    const starting = this.starting;
    this.server = undefined;
    this.starting = undefined;
    this.port = 0;
    if (!server) return;
    await starting?.catch(() => undefined);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    // Host first: a page that rebinds its DNS name to 127.0.0.1 sends its own name here.
    if (!isLoopbackHost(req.headers.host, this.port)) return reply(res, 403, 'Forbidden', 'Host must be 127.0.0.1, localhost or [::1] with this port.');
    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      return reply(res, 405, 'MethodNotAllowed', 'Only GET.');
    }
    const q = (req.url ?? '').indexOf('?');
    const entry = this.bindings.get(q < 0 ? (req.url ?? '') : (req.url ?? '').slice(0, q));
    if (!entry) return reply(res, 404, 'NotFound', 'No such credential path.');
    const auth = req.headers.authorization;
    if (typeof auth !== 'string' || !timingSafeEqual(digest(auth), entry.tokenDigest)) {
      return reply(res, 401, 'Unauthorized', 'Missing or wrong authorization token.');
    }
    let creds: EndpointCredentials | undefined;
    try {
      creds = entry.get();
    } catch {
      creds = undefined;
    }
    const now = this.now();
    if (!creds || !(creds.expiration.getTime() > now)) {
      return reply(res, 503, 'NoActiveSession', 'No role is active in Role Switcher for AWS. Switch to a role in VS Code.');
    }
    const body = JSON.stringify({
      AccessKeyId: creds.accessKeyId,
      SecretAccessKey: creds.secretAccessKey,
      Token: creds.sessionToken,
      Expiration: advertisedExpiration(creds.expiration, now, this.maxAdvertisedMs).toISOString(),
    });
    res.writeHead(200, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }
}

/** Every refusal: a fixed JSON text with Code and Message (what the JS SDK reads), never a secret. */
function reply(res: http.ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ Code: code, Message: message });
  res.writeHead(status, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
