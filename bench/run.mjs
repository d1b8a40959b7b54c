// `npm run bench` / `npm run bench:check`: runs bench/main.ts under tsx in one Node process.
// Flags pass through: --json (last stdout line is the JSON), --check (non-zero exit on a missed budget),
// --quick (fewer runs, for a smoke test; not for numbers you report).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, 'main.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: join(here, '..'),
});
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
