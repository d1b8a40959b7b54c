/**
 * The fake's federation endpoint (console sign-in), as the IAM User Guide's "Enable custom identity
 * broker access to the AWS console" describes it:
 *   GET /federation?Action=getSigninToken&Session=<JSON {sessionId, sessionKey, sessionToken}>[&SessionDuration=900..43200]
 *     -> 200 {"SigninToken": "..."}
 *   GET /federation?Action=login&Issuer=...&Destination=<https console URL>&SigninToken=...
 *     -> 200, a page naming the federated identity and the destination (a test checks it; the real
 *        endpoint redirects to Destination, which a machine without the internet cannot follow).
 * Rules enforced, as AWS documents them:
 *   - the session must be one the fake issued, with the matching secret and token, and unexpired;
 *   - credentials from GetSessionToken cannot sign in (only AssumeRole / GetFederationToken ones);
 *   - "If you use DurationSeconds with an AssumeRole* operation, you must call it as an IAM user with
 *     long-term credentials. Otherwise, the call to the federation endpoint fails": a role session
 *     whose AssumeRole set DurationSeconds while the signer was temporary credentials is refused;
 *   - SessionDuration is 900..43200.
 * Tokens are never logged; every issued one joins issuedSecrets() (the leak scans look for them).
 */
import { randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import type { FakeState, Session } from './state';

const TOKEN_LIFETIME_MS = 15 * 60 * 1000;

interface IssuedToken {
  readonly accessKeyId: string;
  readonly identityArn: string;
  readonly expires: number;
  readonly consoleSessionSeconds: number;
}

export interface FederationHost {
  readonly state: FakeState;
  now(): number;
  readonly calls: { service: string; action: string; accessKeyId?: string; status: number; errorCode?: string }[];
}

const tokens = new WeakMap<FakeState, Map<string, IssuedToken>>();

function tokensOf(state: FakeState): Map<string, IssuedToken> {
  let m = tokens.get(state);
  if (!m) tokens.set(state, (m = new Map()));
  return m;
}

function identityOf(s: Session): string {
  if (s.kind === 'role' && s.role) return `arn:${partitionOf(s.role.arn)}:sts::${s.role.account}:assumed-role/${s.role.name}/${s.sessionName}`;
  return s.user?.arn ?? 'unknown';
}

function partitionOf(arn: string): string {
  return /^arn:([a-z-]+):/.exec(arn)?.[1] ?? 'aws';
}

function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Answers a request to /federation. */
export function handleFederation(host: FederationHost, req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
  const action = url.searchParams.get('Action') ?? 'Unknown';
  const answer = (status: number, body: string, contentType = 'application/json', errorCode?: string, akid?: string) => {
    host.calls.push({ service: 'federation', action, accessKeyId: akid, status, errorCode });
    res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
    res.end(body);
  };
  // AWS answers a refused sign-in with a bare 400; the fake adds the reason, for the tests' benefit.
  const refuse = (code: string, message: string, akid?: string) => answer(400, JSON.stringify({ Error: code, Message: message }), 'application/json', code, akid);
  if (req.method !== 'GET') return refuse('InvalidRequest', 'The federation endpoint takes GET requests.');
  const tokenMap = tokensOf(host.state);
  const now = host.now();

  if (action === 'getSigninToken') {
    const raw = url.searchParams.get('Session');
    if (!raw) return refuse('InvalidRequest', 'Session is required.');
    let parsed: { sessionId?: unknown; sessionKey?: unknown; sessionToken?: unknown };
    try {
      parsed = JSON.parse(raw) as typeof parsed;
    } catch {
      return refuse('InvalidRequest', 'Session is not JSON.');
    }
    const { sessionId, sessionKey, sessionToken } = parsed ?? {};
    if (typeof sessionId !== 'string' || typeof sessionKey !== 'string' || typeof sessionToken !== 'string') {
      return refuse('InvalidRequest', 'Session needs sessionId, sessionKey and sessionToken.');
    }
    const s = host.state.sessions.get(sessionId);
    if (!s || s.secretAccessKey !== sessionKey || s.sessionToken !== sessionToken) return refuse('InvalidCredentials', 'The session is not valid.', sessionId);
    if (now >= s.expiration) return refuse('ExpiredCredentials', 'The session has expired.', sessionId);
    if (s.kind !== 'role') return refuse('InvalidCredentials', 'Credentials from GetSessionToken cannot sign in to the console.', sessionId);
    if (s.durationWithTemporarySigner) {
      return refuse('InvalidCredentials', 'The role session was assumed with DurationSeconds while signed with temporary credentials.', sessionId);
    }
    let seconds = Math.max(0, Math.floor((s.expiration - now) / 1000));
    const d = url.searchParams.get('SessionDuration');
    if (d !== null) {
      const n = Number(d);
      if (!/^\d+$/.test(d) || n < 900 || n > 43200) return refuse('InvalidRequest', 'SessionDuration must be 900 to 43200.', sessionId);
      seconds = n;
    }
    const token = randomBytes(48).toString('base64url');
    host.state.recordIssued(token);
    tokenMap.set(token, { accessKeyId: sessionId, identityArn: identityOf(s), expires: now + TOKEN_LIFETIME_MS, consoleSessionSeconds: seconds });
    return answer(200, JSON.stringify({ SigninToken: token }), 'application/json', undefined, sessionId);
  }

  if (action === 'login') {
    const token = url.searchParams.get('SigninToken') ?? '';
    const destination = url.searchParams.get('Destination') ?? '';
    const t = tokenMap.get(token);
    if (!t || now >= t.expires) return answer(400, '<html><body><h1>Amazon Web Services Sign-In</h1><p>Your request included an invalid sign-in token.</p></body></html>', 'text/html', 'InvalidToken');
    let dest: URL;
    try {
      dest = new URL(destination);
    } catch {
      return answer(400, '<html><body><p>Destination is not a URL.</p></body></html>', 'text/html', 'InvalidDestination', t.accessKeyId);
    }
    if (dest.protocol !== 'https:') return answer(400, '<html><body><p>Destination must be https.</p></body></html>', 'text/html', 'InvalidDestination', t.accessKeyId);
    const issuer = url.searchParams.get('Issuer') ?? '';
    const body =
      `<!doctype html><html><head><title>Fake AWS console: ${htmlEscape(t.identityArn)}</title></head><body>` +
      `<h1 id="identity">${htmlEscape(t.identityArn)}</h1>` +
      `<p id="destination">${htmlEscape(dest.toString())}</p>` +
      `<p id="issuer">${htmlEscape(issuer)}</p>` +
      `<p id="duration">${t.consoleSessionSeconds}</p></body></html>`;
    res.setHeader('X-Fake-Federated-Identity', t.identityArn);
    res.setHeader('X-Fake-Destination', dest.toString());
    return answer(200, body, 'text/html; charset=utf-8', undefined, t.accessKeyId);
  }

  return refuse('InvalidAction', `Unknown Action ${action}.`);
}
