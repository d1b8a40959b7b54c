// Issue 12 measurements of IAM Identity Center discovery (src/core/ssoDiscovery.ts), called from
// bench/main.ts. Its own fake AWS with a generated organization of 300 accounts × 3 permission sets.
//   sso_discovery_300_ratio          our discovery (ListAccounts pages, then ListAccountRoles with
//                                    concurrency 8) ÷ a bare sequential loop of the same SDK calls, with
//                                    the fake adding 5 ms to every portal call. Median of interleaved runs.
//   sso_discovery_throttled_errors   account errors our discovery reports (what the tree would show)
//                                    when the fake throttles 10% of the portal calls; a discovery that
//                                    fails as a whole counts as every account failing.
// The SsoGateway is the extension's own (src/aws/sso.ts, inside dist/aws.js), with its default retries:
// what a user's discovery runs with.
// The fake runs in a process of its own (test/fake-aws/cli.ts), as AWS is not in the extension host's
// process: otherwise its request handling would be charged to the concurrent side on this 2-core machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SSOClient, paginateListAccountRoles, paginateListAccounts } from '@aws-sdk/client-sso';
import { FakeClock } from '../src/core/clock';
import { runDeviceFlow } from '../src/core/ssoDeviceFlow';
import { discoverSso } from '../src/core/ssoDiscovery';
import type { SsoPortal } from '../src/core/ssoTypes';
import { DEFAULT_SCENARIO_PATH, loadScenario } from '../test/fake-aws';
import { generateIdentityCenter } from '../test/fake-aws/ssoScenario';
import { createSsoGateway } from '../src/aws/sso';
import { median, round } from './stats';

const START_URL = 'https://bench-org.awsapps.com/start';
const ACCOUNTS = 300;
const PORTAL: SsoPortal = { id: 'session:bench', startUrl: START_URL, region: 'us-east-1', source: 'sso-session', sessionName: 'bench' };

export interface SsoDiscoveryBench {
  sso_discovery_300_ratio: number | null;
  sso_discovery_300_ms?: number | null;
  sso_discovery_300_sequential_ms?: number | null;
  sso_discovery_throttled_errors: number | null;
  sso_notes: string[];
}


/** test/fake-aws/cli.ts in a child process; resolves with its endpoint. */
function startFakeProcess(scenarioFile: string): Promise<{ endpoint: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--no-warnings', path.join(__dirname, '..', 'test', 'fake-aws', 'cli.ts'), '--port', '0', '--scenario', scenarioFile, '--quiet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /fake-aws listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ endpoint: m[1], child });
    });
    child.stderr!.on('data', (d) => (err += String(d)));
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`fake-aws exited ${code}: ${err.slice(-300)}`)));
  });
}

export async function measureSsoDiscovery(opts: { quick?: boolean } = {}): Promise<SsoDiscoveryBench> {
  const notes: string[] = [];
  const doc = loadScenario(DEFAULT_SCENARIO_PATH);
  doc.identityCenter = { ...generateIdentityCenter({ accounts: ACCOUNTS, permissionSets: 3, startUrl: START_URL }), autoApproveAfterMs: 0 };
  const scratch = mkdtempSync(path.join(tmpdir(), 'role-switcher-bench-sso-'));
  const scenarioFile = path.join(scratch, 'scenario.json');
  writeFileSync(scenarioFile, JSON.stringify(doc));
  let proc: ChildProcess | undefined;
  const fake = {
    endpoint: '',
    close: async () => {
      if (proc && proc.exitCode === null) {
        const exited = new Promise((r) => proc!.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(scratch, { recursive: true, force: true });
    },
  };
  try {
    const started = await startFakeProcess(scenarioFile);
    proc = started.child;
    fake.endpoint = started.endpoint;
  } catch (e) {
    await fake.close();
    return { sso_discovery_300_ratio: null, sso_discovery_throttled_errors: null, sso_notes: [`sso bench: the fake did not start: ${(e as Error).message}`] };
  }
  const admin = async (route: string, body?: unknown, method = 'POST') => {
    const res = await fetch(`${fake.endpoint}/__admin/sso/${route}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    if (res.status !== 200) throw new Error(`fake admin ${route}: ${res.status}`);
  };
  const call = { region: 'us-east-1', endpoint: fake.endpoint };
  const gateway = createSsoGateway();
  const bare = new SSOClient({ region: 'us-east-1', endpoint: fake.endpoint, maxAttempts: 1 });
  const out: SsoDiscoveryBench = { sso_discovery_300_ratio: null, sso_discovery_throttled_errors: null, sso_notes: notes };
  try {
    // A token through our own device flow (the fake approves at once).
    const clock = new FakeClock(Date.now());
    const { accessToken } = await runDeviceFlow(PORTAL, { gateway, callOptions: () => call, clock, sleep: async () => undefined, onCode: () => undefined });

    const ours = async () => {
      const r = await discoverSso({ gateway, portal: PORTAL, accessToken, callOptions: () => call, concurrency: 8 });
      if (r.roles.length !== ACCOUNTS * 3 || r.errors.length) throw new Error(`discovery found ${r.roles.length} roles, ${r.errors.length} errors`);
    };
    const sequential = async () => {
      let roles = 0;
      const ids: string[] = [];
      for await (const page of paginateListAccounts({ client: bare }, { accessToken })) for (const a of page.accountList ?? []) ids.push(a.accountId!);
      for (const accountId of ids) for await (const page of paginateListAccountRoles({ client: bare }, { accessToken, accountId })) roles += page.roleList?.length ?? 0;
      if (roles !== ACCOUNTS * 3) throw new Error(`sequential loop found ${roles} roles`);
    };

    await admin('load', { service: 'sso', latencyMs: 5 });
    // Warm both paths (connections, JIT), then interleave.
    await ours();
    await sequential();
    const runs = opts.quick ? 1 : 5;
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < runs; i++) {
      for (const [fn, xs] of i % 2 ? ([[sequential, b], [ours, a]] as const) : ([[ours, a], [sequential, b]] as const)) {
        const t0 = performance.now();
        await fn();
        xs.push(performance.now() - t0);
      }
    }
    out.sso_discovery_300_ms = round(median(a), 1);
    out.sso_discovery_300_sequential_ms = round(median(b), 1);
    out.sso_discovery_300_ratio = round(median(a) / median(b), 3);

    await admin('load', undefined, 'DELETE');
    await admin('load', { service: 'sso', rate: 0.1 });
    try {
      const r = await discoverSso({ gateway, portal: PORTAL, accessToken, callOptions: () => call, concurrency: 8 });
      out.sso_discovery_throttled_errors = r.errors.length;
      if (r.roles.length + r.errors.length * 3 !== ACCOUNTS * 3) notes.push(`sso throttled discovery found ${r.roles.length} roles`);
    } catch (e) {
      out.sso_discovery_throttled_errors = ACCOUNTS;
      notes.push(`sso throttled discovery failed: ${(e as Error).name}`);
    }
  } catch (e) {
    notes.push(`sso discovery bench failed: ${(e as Error).message}`);
  } finally {
    gateway.reset();
    bare.destroy();
    await fake.close();
  }
  return out;
}

if (require.main === module) {
  void measureSsoDiscovery({ quick: process.argv.includes('--quick') }).then((r) => console.log(JSON.stringify(r, null, 2)));
}
