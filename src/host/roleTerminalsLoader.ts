import { join } from 'node:path';

type RoleTerminalsModule = typeof import('./roleTerminals');

/**
 * Per-terminal roles are their own bundle (dist/role-terminals.js, see esbuild.mjs), required when the
 * first role terminal is opened, so activation neither evaluates them nor grows dist/extension.js. Under
 * tsx (tests) this runs from src/host/ and the module is the TypeScript source. A computed path: esbuild
 * leaves the require alone.
 */
export function loadRoleTerminals(): RoleTerminalsModule {
  const file = __filename.endsWith('.ts') ? join(__dirname, 'roleTerminals') : join(__dirname, 'role-terminals.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as RoleTerminalsModule;
}
