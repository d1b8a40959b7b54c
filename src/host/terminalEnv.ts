import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SessionStore } from '../core/session';
import { computeTerminalEnv, credentialProcessCommand, type TerminalEnvPlan } from '../core/terminalEnv';
import type { Session } from '../core/types';
import { Disposable } from './lifecycle';
import type { Settings } from './settings';

/**
 * Puts the active session's credentials into new integrated terminals through the environment
 * variable collection: clear, replace each variable, describe. `persistent = false` keeps the values
 * out of VS Code's storage; terminals opened earlier get VS Code's stale-environment indicator.
 */
export class TerminalEnvironment extends Disposable {
  private readonly shim: { configFile: string; credentialProcess: string };
  /** The plan prepare() computed for the session about to be committed; sync() reuses it once. */
  private prepared: { session: Session; plan: TerminalEnvPlan } | undefined;

  constructor(
    private readonly collection: vscode.GlobalEnvironmentVariableCollection,
    private readonly store: SessionStore,
    private readonly settings: Settings,
    storageDir: string,
    extensionDir: string,
  ) {
    super();
    this.shim = {
      configFile: path.join(storageDir, 'terminal', 'config'),
      credentialProcess: credentialProcessCommand(process.execPath, path.join(extensionDir, 'dist', 'credential-process.js')),
    };
    collection.persistent = false;
    collection.clear();
    this._register(store.onDidChange(() => this.sync()));
    this._register(settings.onDidChange(() => this.sync()));
    this._register({ dispose: () => collection.clear() });
  }

  /** Computes the plan for a session that is about to become active; writes the shim file if needed. */
  async prepare(session: Session): Promise<void> {
    const plan = this.plan(session);
    this.prepared = { session, plan };
    if (plan.shimConfig) {
      await fs.mkdir(path.dirname(this.shim.configFile), { recursive: true });
      await fs.writeFile(this.shim.configFile, plan.shimConfig, { mode: 0o600 });
    }
  }

  plan(session: Session | undefined): TerminalEnvPlan {
    return computeTerminalEnv(session, { inherited: process.env, shim: this.shim });
  }

  sync(): void {
    const session = this.settings.injectCredentials ? this.store.current : undefined;
    const plan = session && this.prepared?.session === session ? this.prepared.plan : this.plan(session);
    this.prepared = undefined;
    this.collection.clear();
    for (const [name, value] of plan.variables) this.collection.replace(name, value);
    this.collection.description = plan.variables.length ? plan.description : undefined;
  }
}
