// `npm run test:electron`: the in-host suite (test/electron/suite) in desktop VS Code via @vscode/test-electron.
// Desktop VS Code must be downloaded; offline (probe or download fails) this exits 0 with one "skipped" line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const skip = (reason) => {
  console.log(`test:electron skipped: cannot download VS Code (offline: ${String(reason).split('\n')[0]})`);
  process.exit(0);
};

// 1. A quick probe of the update service that @vscode/test-electron downloads from.
// (RS_ELECTRON_NO_PROBE=1 skips it, e.g. behind a proxy that only the downloader is configured for.)
if (!process.env.RS_ELECTRON_NO_PROBE) {
  try {
    const r = await fetch('https://update.code.visualstudio.com/api/releases/stable', { signal: AbortSignal.timeout(5000) });
    if (!r.ok) skip(`update service answered HTTP ${r.status}`);
  } catch (e) {
    skip(e?.cause?.code ?? e?.cause?.message ?? e?.message ?? e);
  }
}

// 2. Desktop VS Code needs a display on Linux: re-run under xvfb-run when there is none.
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.RS_UNDER_XVFB) {
  const has = spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' });
  if (has.status === 0) {
    const r = spawnSync('xvfb-run', ['-a', process.execPath, fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, RS_UNDER_XVFB: '1' } });
    process.exit(r.status ?? 1);
  }
  console.error('test:electron: no DISPLAY and no xvfb-run (apt-get install -y xvfb); trying anyway');
}

// 3. Build the extension and bundle the in-host suite.
const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const outDir = join(REPO, 'test-output', 'electron');
mkdirSync(outDir, { recursive: true });
const esbuild = await import('esbuild');
await esbuild.build({
  entryPoints: [join(REPO, 'test', 'electron', 'suite', 'index.ts')],
  outfile: join(outDir, 'index.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});

// 4. Download (cached in .vscode-test/) and run. A download failure is "offline", anything else fails.
const { runTests, downloadAndUnzipVSCode } = await import('@vscode/test-electron');
let vscodeExecutablePath;
try {
  vscodeExecutablePath = await downloadAndUnzipVSCode({ cachePath: join(REPO, '.vscode-test'), timeout: 60_000 });
} catch (e) {
  skip(e?.message ?? e);
}
const tmp = mkdtempSync(join(tmpdir(), 'rs-electron-'));
try {
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: REPO,
    extensionTestsPath: join(outDir, 'index.js'),
    launchArgs: ['--disable-extensions', '--user-data-dir', join(tmp, 'ud'), '--extensions-dir', join(tmp, 'exts'), '--disable-workspace-trust', tmp],
    extensionTestsEnv: { HOME: join(tmp, 'home'), AWS_CONFIG_FILE: join(tmp, 'home', '.aws', 'config'), AWS_SHARED_CREDENTIALS_FILE: join(tmp, 'home', '.aws', 'credentials') },
  });
  console.log('test:electron: in-host suite passed');
} catch (e) {
  console.error(`test:electron failed: ${e?.message ?? e}`);
  process.exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
