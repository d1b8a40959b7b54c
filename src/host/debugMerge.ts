// A debug launch with the window's session (dist/features.js): host/debugCredentials.ts calls it only
// when there is a plan to add, i.e. once a session exists (its plan was built by this bundle).
import type * as vscode from 'vscode';
import { mergeDebugEnv } from '../core/roleTerminal';
import type { DebugCredentialsDeps } from './debugCredentials';

export function debugConfigWithCredentials(config: vscode.DebugConfiguration, variables: ReadonlyArray<readonly [string, string]>, d: DebugCredentialsDeps): vscode.DebugConfiguration {
  const r = mergeDebugEnv(config.env, variables);
  const what = `debug session "${String(config.name ?? '')}" (${String(config.type ?? '')})`;
  if (r.kind === 'added') {
    d.log(`${what} gets the credentials of ${d.roleLabel() ?? 'the active role'}`);
    return { ...config, env: r.env };
  }
  if (r.reason === 'configIdentity') d.log(`${what} sets its own AWS identity in env; left as it is`);
  if (r.reason === 'notAnObject') d.log(`${what} has an env that is not an object; left as it is`);
  return config;
}
