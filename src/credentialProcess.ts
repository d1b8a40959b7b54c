// `credential_process` helper (dist/credential-process.js). A terminal whose AWS_PROFILE points at the
// generated profile runs this; it prints the session the extension put in the terminal's environment,
// so the CLI and every SDK act as the session even though AWS_PROFILE is set (see FACTS.md).
// With `--endpoint` (endpoint mode) it asks the extension's credential endpoint instead, with the
// terminal's AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN.
// Output format: https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html
import * as http from 'node:http';

const REQUIRED = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;
/** The expiration: ROLE_SWITCHER_EXPIRATION, else AWS_CREDENTIAL_EXPIRATION (what core/terminalEnv.ts sets). */
const EXPIRATION = ['ROLE_SWITCHER_EXPIRATION', 'AWS_CREDENTIAL_EXPIRATION'] as const;

export interface ProcessCredentials {
  readonly Version: 1;
  readonly AccessKeyId: string;
  readonly SecretAccessKey: string;
  readonly SessionToken: string;
  readonly Expiration: string;
}

/** Pure: environment → credentials, or the names of what is missing or invalid (never values). */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): { ok: ProcessCredentials } | { error: string } {
  const missing: string[] = REQUIRED.filter((k) => !env[k]);
  const expName = EXPIRATION.find((k) => env[k]);
  if (!expName) missing.push(EXPIRATION.join(' or '));
  if (missing.length > 0 || !expName) {
    return { error: `role-switcher credential_process: missing ${missing.join(', ')}. Switch to a role in VS Code and open a new terminal.` };
  }
  const expiration = new Date(env[expName] as string);
  if (!Number.isFinite(expiration.getTime())) {
    return { error: `role-switcher credential_process: ${expName} is not a date.` };
  }
  return {
    ok: {
      Version: 1,
      AccessKeyId: env.AWS_ACCESS_KEY_ID as string,
      SecretAccessKey: env.AWS_SECRET_ACCESS_KEY as string,
      SessionToken: env.AWS_SESSION_TOKEN as string,
      Expiration: expiration.toISOString(),
    },
  };
}

const PREFIX = 'role-switcher credential_process:';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Pure: the endpoint to ask, from the terminal's environment. Plain http only to loopback. */
export function endpointFromEnv(env: NodeJS.ProcessEnv): { ok: { url: URL; token: string } } | { error: string } {
  const raw = env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  const token = env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
  if (!raw || !token) {
    return { error: `${PREFIX} missing AWS_CONTAINER_CREDENTIALS_FULL_URI or AWS_CONTAINER_AUTHORIZATION_TOKEN. Switch to a role in VS Code and open a new terminal.` };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { error: `${PREFIX} AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL.` };
  }
  if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname)) {
    return { error: `${PREFIX} AWS_CONTAINER_CREDENTIALS_FULL_URI must be http on 127.0.0.1, localhost or [::1].` };
  }
  if (/[\r\n]/.test(token)) return { error: `${PREFIX} AWS_CONTAINER_AUTHORIZATION_TOKEN is malformed.` };
  return { ok: { url, token } };
}

/** Pure: the endpoint's answer → credential_process JSON, or an error that names no value. */
export function credentialsFromEndpoint(status: number, body: string): { ok: ProcessCredentials } | { error: string } {
  if (status === 503) return { error: `${PREFIX} no role is active in the VS Code window of this terminal. Switch to a role there.` };
  if (status === 401) return { error: `${PREFIX} the endpoint refused this terminal's token (its window restarted the endpoint?). Open a new terminal.` };
  if (status === 404) return { error: `${PREFIX} this terminal's credential path is gone (its role binding ended). Open a new terminal.` };
  if (status !== 200) return { error: `${PREFIX} the credential endpoint answered HTTP ${status}.` };
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return { error: `${PREFIX} the credential endpoint's answer is not JSON.` };
  }
  const { AccessKeyId, SecretAccessKey, Token, Expiration } = parsed;
  if (typeof AccessKeyId !== 'string' || typeof SecretAccessKey !== 'string' || typeof Token !== 'string' || typeof Expiration !== 'string') {
    return { error: `${PREFIX} the credential endpoint's answer lacks AccessKeyId, SecretAccessKey, Token or Expiration.` };
  }
  const expiration = new Date(Expiration);
  if (!Number.isFinite(expiration.getTime())) return { error: `${PREFIX} the credential endpoint's Expiration is not a date.` };
  return { ok: { Version: 1, AccessKeyId, SecretAccessKey, SessionToken: Token, Expiration: expiration.toISOString() } };
}

/** One GET to the endpoint (no retry: the SDK or CLI that runs us retries at its next call). */
export function fetchFromEndpoint(env: NodeJS.ProcessEnv, timeoutMs = 3000): Promise<{ ok: ProcessCredentials } | { error: string }> {
  const target = endpointFromEnv(env);
  if ('error' in target) return Promise.resolve(target);
  const { url, token } = target.ok;
  return new Promise((resolve) => {
    const req = http.get(url, { headers: { authorization: token }, timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(credentialsFromEndpoint(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
      res.on('error', () => resolve({ error: `${PREFIX} the credential endpoint's answer was cut off.` }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) =>
      resolve({
        error:
          e.code === 'ECONNREFUSED'
            ? `${PREFIX} nothing listens at this terminal's credential endpoint (its VS Code window closed?). Open a new terminal.`
            : `${PREFIX} the credential endpoint did not answer (${e.code ?? e.message}).`,
      }),
    );
  });
}

async function main(argv: readonly string[]): Promise<void> {
  const result = argv.includes('--endpoint') ? await fetchFromEndpoint(process.env) : credentialsFromEnv(process.env);
  if ('error' in result) {
    process.stderr.write(result.error + '\n');
    process.exitCode = 1;
  } else {
    process.stdout.write(JSON.stringify(result.ok) + '\n');
  }
}

if (require.main === module) void main(process.argv.slice(2));
