// Issue 11 measurements of the credential endpoint (src/core/credentialEndpoint.ts), called from
// bench/main.ts. Its own fake AWS and scratch home, so nothing leaks into the other measurements.
//   endpoint_p50_ms / endpoint_p99_ms  one credential request with the SDK's container provider
//                                      (fromHttp: a fresh connection per call, as the SDK makes it)
//   endpoint_rps                       answers/s for 5 s to 16 concurrent keep-alive clients in
//                                      another process; any error makes it null
//   refresh_gap_failures               failed GetCallerIdentity calls of a child (real SDK, default
//                                      chain, endpoint-mode terminal env with a [default] of other
//                                      keys) calling every 50 ms across 20 renewals and 20 switches
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { fromHttp } from '@aws-sdk/credential-providers';
import { CredentialEndpoint, type EndpointCredentials } from '../src/core/credentialEndpoint';
import { computeTerminalEnv, endpointShim } from '../src/core/terminalEnv';
import type { Session } from '../src/core/types';
import { startFakeAws, writeAwsHome } from '../test/fake-aws';

const ROOT = path.resolve(__dirname, '..');
const SCRIPT = path.join(ROOT, 'dist', 'credential-process.js');
const ROLES = ['arn:aws:iam::111111111111:role/s3-Full-Access', 'arn:aws:iam::222222222222:role/cross-account-readonly'];

export interface EndpointResult {
  endpoint_p50_ms: number | null;
  endpoint_p99_ms: number | null;
  endpoint_rps: number | null;
  refresh_gap_failures: number | null;
  refresh_gap_calls?: number;
  refresh_gap_followed?: boolean;
  /** How many of the 41 sessions (first + 20 renewals + 20 switches) the child acted as. */
  refresh_gap_sessions_seen?: number;
  endpoint_notes: string[];
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const r3 = (x: number) => Math.round(x * 1000) / 1000;

// 16 keep-alive clients for DURATION ms; prints {ok, errors, ms}.
const RPS_CLIENT = `
const http = require('node:http');
const [url, token, n, ms] = [process.env.U, process.env.T, Number(process.env.N), Number(process.env.MS)];
const agent = new http.Agent({ keepAlive: true, maxSockets: n });
let ok = 0, errors = 0;
const t0 = Date.now();
function one() {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, headers: { authorization: token } }, (res) => {
      res.resume();
      res.on('end', () => { if (res.statusCode === 200) ok++; else errors++; resolve(); });
    });
    req.on('error', () => { errors++; resolve(); });
  });
}
async function loop() { while (Date.now() - t0 < ms) await one(); }
Promise.all(Array.from({ length: n }, loop)).then(() => { console.log(JSON.stringify({ ok, errors, ms: Date.now() - t0 })); agent.destroy(); });`;

// The long-running process: GetCallerIdentity every 50 ms until stdin closes.
const GAP_CLIENT = `
const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
const c = new STSClient({ region: 'us-east-1' });
let busy = false;
const t = setInterval(() => {
  if (busy) return;
  busy = true;
  c.send(new GetCallerIdentityCommand({})).then((r) => console.log(r.Arn), (e) => console.log('ERROR ' + e.name)).finally(() => (busy = false));
}, 50);
process.stdin.on('end', () => { clearInterval(t); setTimeout(() => process.exit(0), 200); });
process.stdin.resume();`;

export async function measureEndpoint(opts: { quick?: boolean } = {}): Promise<EndpointResult> {
  const out: EndpointResult = { endpoint_p50_ms: null, endpoint_p99_ms: null, endpoint_rps: null, refresh_gap_failures: null, endpoint_notes: [] };
  const fake = await startFakeAws();
  const scratch = mkdtempSync(path.join(tmpdir(), 'rs-bench-endpoint-'));
  const server = new CredentialEndpoint();
  try {
    fake.setIssuedCredentialLifetime(120);
    const home = writeAwsHome(path.join(scratch, 'home'), fake);
    const sts = new STSClient({ region: 'us-east-1', endpoint: fake.endpoint, credentials: fake.userKeys('test-user') });
    let n = 0;
    const assume = async (roleArn: string): Promise<Session> => {
      const name = `bench-${++n}`;
      const r = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: name }));
      const c = r.Credentials!;
      const session: Session = {
        role: { id: roleArn, origin: 'settings', label: name, roleArn, accountId: roleArn.split(':')[4], partition: 'aws', roleName: name, hops: [{ roleArn }], base: { kind: 'default' } },
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken!,
        expiration: c.Expiration!,
        assumedRoleArn: r.AssumedRoleUser!.Arn!,
        sessionName: name,
        sourceIdentityArn: 'arn:aws:iam::111111111111:user/test-user',
        region: 'us-east-1',
      };
      return Object.freeze(session);
    };
    let current: Session = await assume(ROLES[0]);
    const served = new Set<string>([current.assumedRoleArn]);
    await server.start();
    const binding = server.bind((): EndpointCredentials | undefined => current);

    // Latency with the real SDK container provider, in this process (a child process adds the
    // scheduler's wake-up jitter of a loaded 2-core machine to every sample, not the endpoint's cost).
    const provider = fromHttp({ awsContainerCredentialsFullUri: binding.url, awsContainerAuthorizationToken: binding.token });
    for (let i = 0; i < (opts.quick ? 50 : 500); i++) await provider();
    (globalThis as { gc?: () => void }).gc?.();
    const ms: number[] = [];
    for (let i = 0, n = opts.quick ? 200 : 2000; i < n; i++) {
      const t0 = performance.now();
      const c = await provider();
      ms.push(performance.now() - t0);
      if (c.accessKeyId !== current.accessKeyId) throw new Error('the endpoint served other keys');
    }
    out.endpoint_p50_ms = r3(pct(ms, 50));
    out.endpoint_p99_ms = r3(pct(ms, 99));

    // Throughput: 16 concurrent keep-alive clients in another process for 5 s.
    const rps = await runChild(process.execPath, ['-e', RPS_CLIENT], { PATH: process.env.PATH ?? '', U: binding.url, T: binding.token, N: '16', MS: opts.quick ? '1000' : '5000' });
    const rep = JSON.parse(rps.stdout.trim().split('\n').pop() ?? '{}') as { ok?: number; errors?: number; ms?: number };
    if (rep.errors === 0 && rep.ok && rep.ms) out.endpoint_rps = Math.round((rep.ok / rep.ms) * 1000);
    else out.endpoint_notes.push(`endpoint_rps: ${rep.errors ?? '?'} errors of ${(rep.ok ?? 0) + (rep.errors ?? 0)} requests`);

    // Refresh gaps: a long-running SDK process in an endpoint-mode terminal across renewals and switches.
    const shimFile = path.join(scratch, 'endpoint-config');
    const shim = { configFile: shimFile, ...endpointShim('posix', process.execPath, SCRIPT, scratch) };
    const inherited = { PATH: process.env.PATH ?? '', ...home.env, NODE_NO_WARNINGS: '1', AWS_EC2_METADATA_DISABLED: 'true' };
    const plan = computeTerminalEnv(current, { inherited, mode: 'endpoint', endpoint: binding, shim });
    writeFileSync(shimFile, plan.shimConfig!, { mode: 0o600 });
    const child = spawn(process.execPath, ['-e', GAP_CLIENT], { cwd: ROOT, env: { ...inherited, ...Object.fromEntries(plan.variables) }, stdio: ['pipe', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      lines.push(...parts.filter(Boolean));
    });
    const until = async (pred: () => boolean, maxMs: number) => {
      for (const t0 = Date.now(); !pred() && Date.now() - t0 < maxMs; ) await new Promise((r) => setTimeout(r, 20));
      return pred();
    };
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    if (!(await until(() => lines.includes(current.assumedRoleArn), 15_000))) out.endpoint_notes.push('refresh gap: the child never acted as the first session');
    // 20 renewals (same role, new keys) and 20 switches (the other role), alternating, 250 ms apart.
    for (let i = 0; i < 20; i++) {
      current = await assume(current.role.roleArn);
      served.add(current.assumedRoleArn);
      await new Promise((r) => setTimeout(r, 250));
      current = await assume(current.role.roleArn === ROLES[0] ? ROLES[1] : ROLES[0]);
      served.add(current.assumedRoleArn);
      await new Promise((r) => setTimeout(r, 250));
    }
    out.refresh_gap_followed = await until(() => lines.includes(current.assumedRoleArn), 15_000);
    child.stdin.end();
    await exited;
    out.refresh_gap_calls = lines.length;
    out.refresh_gap_sessions_seen = [...served].filter((arn) => lines.includes(arn)).length;
    out.refresh_gap_failures = lines.filter((l) => !l.startsWith('arn:')).length + lines.filter((l) => l.endsWith(':user/test-user')).length;
    if (!out.refresh_gap_followed) out.endpoint_notes.push('refresh gap: the child did not follow the last switch');
  } catch (e) {
    out.endpoint_notes.push(`endpoint bench failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await server.close();
    await fake.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  return out;
}

function runChild(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    c.on('error', reject);
    c.on('exit', () => resolve({ stdout }));
  });
}

if (require.main === module) {
  void measureEndpoint({ quick: process.argv.includes('--quick') }).then((r) => console.log(JSON.stringify(r, null, 2)));
}
