// `npm run test:e2e` (after `npm run build`): one-time setup (system packages, node@24, code-server), then
// mocha over the E2E specs with tsx. The closing line is mocha's "N passing".
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSystemPackages, ensureCodeServer, REPO } from '../../scripts/code-server-setup.mjs';

const t0 = Date.now();
try {
  ensureSystemPackages(['chromium'], { optional: ['awscli'] });
  ensureCodeServer();
} catch (e) {
  console.error(`test:e2e setup failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
if (!existsSync(join(REPO, 'dist', 'extension.js'))) {
  console.error('test:e2e: dist/extension.js is missing; run `npm run build` first (npm run test:e2e does).');
  process.exit(1);
}
// screenshots and failure logs of this run only
rmSync(join(REPO, 'test-output', 'e2e'), { recursive: true, force: true });
console.error(`[e2e] setup ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

// The original four first, in their order; every other *.e2e.ts after them, by name.
const FIRST = ['scenarios.e2e.ts', 'sessions.e2e.ts', 'packaging.e2e.ts', 'demo.e2e.ts'];
const others = readdirSync(join(REPO, 'test', 'e2e')).filter((f) => f.endsWith('.e2e.ts') && !FIRST.includes(f)).sort();
const specs = [...FIRST, ...others].map((f) => join('test', 'e2e', f));
const extra = process.argv.slice(2); // e.g. npm run test:e2e -- --grep MFA
const args = [
  '--import', 'tsx',
  '--no-warnings=NodeVersionSupportWarning',
  join(REPO, 'node_modules', 'mocha', 'bin', 'mocha.js'),
  '--timeout', '180000',
  '--reporter', 'spec',
  '--exit',
  ...extra,
  ...specs,
];
const child = spawn(process.execPath, args, { cwd: REPO, stdio: 'inherit', env: { ...process.env, E2E_STARTED_AT: String(t0) } });
const forward = (sig) => child.kill(sig);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code, signal) => {
  console.error(`[e2e] total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exit(code ?? (signal ? 1 : 0));
});
