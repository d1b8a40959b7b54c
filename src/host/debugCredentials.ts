import * as vscode from 'vscode';
import { loadFeatures } from './featuresLoader';

export interface DebugCredentialsDeps {
  /**
   * The window's terminal plan for the active session (empty when there is none, or when terminal
   * injection is off): the same variables new terminals get, keys in env mode, the endpoint's in
   * endpoint mode.
   */
  variables(): ReadonlyArray<readonly [string, string]>;
  /** The active role's label, for the log line. */
  roleLabel(): string | undefined;
  log(line: string): void;
}

/**
 * Debug sessions get the active session's credentials (issue 11): a DebugConfigurationProvider for
 * every debug type ('*'). VS Code runs the '*' providers' resolveDebugConfigurationWithSubstitutedVariables
 * after the type's own (so after js-debug's own resolution, with variables substituted), for every
 * launch, including those from launch.json. The variables go into `config.env`, which any debugger
 * that honours `env` (js-debug's node / pwa-node, debugpy, Go, …) puts into the process it starts.
 * The configuration's own values win (core/roleTerminal.ts mergeDebugEnv, via host/debugMerge.ts); one that sets its own
 * AWS identity variables is left as it is.
 */
export class DebugCredentials implements vscode.DebugConfigurationProvider {
  constructor(private readonly d: DebugCredentialsDeps) {}

  resolveDebugConfigurationWithSubstitutedVariables(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration {
    const variables = this.d.variables();
    // No session (or injection off): nothing to add. Otherwise the merge (host/debugMerge.ts) is in
    // dist/features.js, which built the session's terminal plan.
    return variables.length ? loadFeatures().debugConfigWithCredentials(config, variables, this.d) : config;
  }

  static register(d: DebugCredentialsDeps): vscode.Disposable {
    return vscode.debug.registerDebugConfigurationProvider('*', new DebugCredentials(d));
  }
}
