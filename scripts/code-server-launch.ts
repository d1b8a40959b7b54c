// Starting and stopping one isolated code-server: shared by the E2E harness (test/e2e/harness.ts) and the
// demo (scripts/demo.ts). Everything lives under one temp dir: HOME, XDG dirs, user data, extensions.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
// plain JS (types: scripts/code-server-setup.d.mts)
import { ensureCodeServer } from './code-server-setup.mjs';

export const BASE_USER_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'terminal.integrated.enablePersistentSessions': false,
  'terminal.integrated.shellIntegration.enabled': false,
  'terminal.integrated.defaultProfile.linux': 'bash',
  'terminal.integrated.gpuAcceleration': 'off',
  'workbench.colorTheme': 'Default Dark Modern',
  'window.commandCenter': false,
};

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** All descendants of a pid (from /proc), deepest first. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(d));
      children.set(ppid, list);
    } catch {
      /* ended meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      walk(c);
      out.push(c);
    }
  };
  walk(pid);
  return out;
}

/**
 * Stop a process we started (spawned detached, so it leads its own process group) and everything below it.
 * Terminal shells run under a pty in their own sessions, so descendants are also signalled by pid.
 */
export async function killTree(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (!pid || child.exitCode !== null || child.signalCode !== null) return;
  const pids = descendants(pid);
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      /* group gone */
    }
    for (const p of pids) {
      try {
        process.kill(p, sig);
      } catch {
        /* gone */
      }
    }
  };
  signal('SIGTERM');
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await Promise.race([exited, sleep(5000)]);
  const alive = pids.filter((p) => existsSync(`/proc/${p}`));
  if (child.exitCode === null && child.signalCode === null) alive.push(pid);
  for (const p of alive) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** The parent's environment without anything that could leak a real identity or confuse code-server. */
export function cleanEnv(base: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined) continue;
    if (k.startsWith('AWS_')) continue; // never inherit the developer's AWS identity
    if (k.startsWith('VSCODE_') || k.startsWith('ELECTRON_') || k === 'CODE_SERVER_CONFIG') continue;
    if (k.startsWith('npm_') || k === 'NODE_OPTIONS' || k.startsWith('MOCHA') || k.startsWith('E2E_')) continue;
    env[k] = v;
  }
  return env;
}

/** Copy a built extension (package.json, dist/ without metafiles, media/, README/LICENSE/CHANGELOG) into an extensions dir. */
export function copyExtension(src: string, extsDir: string): string {
  const pkg = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8'));
  const dest = join(extsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  mkdirSync(dest, { recursive: true });
  copyFileSync(join(src, 'package.json'), join(dest, 'package.json'));
  for (const d of ['dist', 'media']) {
    if (existsSync(join(src, d))) cpSync(join(src, d), join(dest, d), { recursive: true, filter: (p) => !p.endsWith('.meta.json') });
  }
  for (const f of ['README.md', 'LICENSE', 'CHANGELOG.md']) {
    if (existsSync(join(src, f))) copyFileSync(join(src, f), join(dest, f));
  }
  return dest;
}

/** The per-run directories and the env that points HOME and XDG into them. */
export function isolatedDirs(tmp: string): { home: string; workspace: string; userDataDir: string; extsDir: string; env: Record<string, string> } {
  const dirs = {
    home: join(tmp, 'home'),
    workspace: join(tmp, 'workspace'),
    userDataDir: join(tmp, 'ud'),
    extsDir: join(tmp, 'exts'),
  };
  const xdg = { config: join(tmp, 'xdg', 'config'), data: join(tmp, 'xdg', 'data'), cache: join(tmp, 'xdg', 'cache') };
  for (const d of [dirs.home, dirs.workspace, join(dirs.userDataDir, 'User'), dirs.extsDir, xdg.config, xdg.data, xdg.cache]) mkdirSync(d, { recursive: true });
  return {
    ...dirs,
    env: { HOME: dirs.home, XDG_CONFIG_HOME: xdg.config, XDG_DATA_HOME: xdg.data, XDG_CACHE_HOME: xdg.cache, SHELL: existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh' },
  };
}

export function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...BASE_USER_SETTINGS, ...settings }, null, 2));
}

export interface CodeServerRun {
  proc: ChildProcess;
  port: number;
  /** the URL to open: the workbench on the workspace folder */
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

export async function waitHttp(url: string, timeoutMs: number, alive: () => string | undefined = () => undefined): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    const dead = alive();
    if (dead) throw new Error(dead);
    try {
      const r = await fetch(url);
      if (r.ok) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = String((e as Error).message ?? e);
    }
    await sleep(200);
  }
  throw new Error(`no answer from ${url}: ${last}`);
}

/** Start code-server on 127.0.0.1 with its own user data and extensions dirs; resolves once /healthz answers. */
export async function startCodeServer(o: {
  tmp: string;
  userDataDir: string;
  extsDir: string;
  workspace: string;
  env: Record<string, string>;
  port?: number;
  trust?: boolean;
  log?: (m: string) => void;
}): Promise<CodeServerRun> {
  const cs = ensureCodeServer({ log: o.log });
  const port = o.port ?? (await freePort());
  const logFile = join(o.tmp, 'code-server.log');
  const configFile = join(o.tmp, 'code-server.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const args = [
    cs.entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', o.userDataDir,
    '--extensions-dir', o.extsDir,
    '--config', configFile,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(o.trust ? [] : ['--disable-workspace-trust']),
    o.workspace,
  ];
  const fd = openSync(logFile, 'a');
  const proc = spawn(cs.node, args, { env: o.env, cwd: o.workspace, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const run: CodeServerRun = {
    proc,
    port,
    url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(o.workspace)}`,
    logFile,
    stop: () => killTree(proc),
  };
  try {
    await waitHttp(`http://127.0.0.1:${port}/healthz`, 60_000, () =>
      proc.exitCode !== null ? `code-server exited (${proc.exitCode}):\n${readFileSync(logFile, 'utf8').slice(-3000)}` : undefined,
    );
  } catch (e) {
    await run.stop();
    throw e;
  }
  return run;
}

/** Run the code-server CLI once (e.g. --install-extension) and collect its output. */
export function runCodeServerCli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  const cs = ensureCodeServer();
  return new Promise((resolve) => {
    const p = spawn(cs.node, [cs.entry, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('exit', (code) => resolve({ code: code ?? 1, out }));
  });
}
