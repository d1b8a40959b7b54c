import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { remoteLabel } from '../core/remotePlacement';
import type { SessionStore } from '../core/session';
import { computeTerminalEnv, credentialProcessCommand, endpointShim, type EndpointShim, type TerminalEnvPlan } from '../core/terminalEnv';
import type { Session } from '../core/types';
import { Disposable } from './lifecycle';
import type { Settings } from './settings';
import { WindowCredentialEndpoint } from './terminalEndpoint';

/**
 * Puts the active session's credentials into new integrated terminals through the environment
 * variable collection: clear, replace each variable, describe. `persistent = false` keeps the values
 * out of VS Code's storage; terminals opened earlier get VS Code's stale-environment indicator.
 */
export class TerminalEnvironment extends Disposable {
  private readonly shim: { configFile: string; credentialProcess: string };
  /** The plan prepare() computed for the session about to be committed; sync() reuses it once. */
  private prepared: { session: Session; plan: TerminalEnvPlan } | undefined;
  /** Endpoint mode (roleSwitcher.terminal.mode): its own shim file, and the lazily started server. */
  private readonly endpointShim: EndpointShim & { configFile: string };
  readonly endpoint: WindowCredentialEndpoint;

  constructor(
    private readonly collection: vscode.GlobalEnvironmentVariableCollection,
    private readonly store: SessionStore,
    private readonly settings: Settings,
    storageDir: string,
    extensionDir: string,
    /** vscode.env.remoteName when terminals run on a remote and this host is local (docs/remote.md). */
    private readonly remote?: string,
  ) {
    super();
    this.shim = {
      configFile: path.join(storageDir, 'terminal', 'config'),
      credentialProcess: credentialProcessCommand(process.execPath, path.join(extensionDir, 'dist', 'credential-process.js')),
    };
    const terminalDir = path.join(storageDir, 'terminal');
    const platform = process.platform === 'win32' ? 'win32' : 'posix';
    this.endpointShim = {
      ...endpointShim(platform, process.execPath, path.join(extensionDir, 'dist', 'credential-process.js'), terminalDir),
      configFile: path.join(terminalDir, 'endpoint-config'),
    };
    // Read at request time: a switch or a renewal is served at once; disabling injection stops it.
    this.endpoint = new WindowCredentialEndpoint(() => (this.settings.injectCredentials ? this.store.current : undefined));
    this._register(this.endpoint);
    collection.persistent = false;
    collection.clear();
    this._register(store.onDidChange(() => this.sync()));
    this._register(settings.onDidChange(() => this.sync()));
    this._register({ dispose: () => collection.clear() });
  }

  /** Computes the plan for a session that is about to become active; writes the shim file if needed. */
  async prepare(session: Session): Promise<void> {
    if (this.endpointMode()) return this.prepareEndpoint(session);
    const plan = this.plan(session);
    this.prepared = { session, plan };
    if (plan.shimConfig) {
      await fs.mkdir(path.dirname(this.shim.configFile), { recursive: true });
      await fs.writeFile(this.shim.configFile, plan.shimConfig, { mode: 0o600 });
    }
  }

  /** Starts the endpoint on the first session in endpoint mode; writes the shim files (no secret). */
  private async prepareEndpoint(session: Session): Promise<void> {
    await this.endpoint.target();
    const plan = this.plan(session);
    this.prepared = { session, plan };
    await fs.mkdir(path.dirname(this.endpointShim.configFile), { recursive: true });
    for (const f of this.endpointShim.files) await fs.writeFile(f.path, f.content, { mode: 0o700 });
    if (plan.shimConfig) await fs.writeFile(this.endpointShim.configFile, plan.shimConfig, { mode: 0o600 });
  }

  /** Endpoint mode as set, and reachable: not for terminals on a remote (the endpoint is on this machine's loopback). */
  private endpointMode(): boolean {
    return this.settings.terminalMode === 'endpoint' && !this.remote;
  }

  plan(session: Session | undefined): TerminalEnvPlan {
    if (this.endpointMode()) {
      return computeTerminalEnv(session, { inherited: process.env, mode: 'endpoint', endpoint: this.endpoint.started, shim: this.endpointShim });
    }
    return computeTerminalEnv(session, { inherited: process.env, shim: this.shim, remote: this.remote, mode: this.settings.terminalMode });
  }

  private remoteNoticeShown = false;

  /** Once per window: endpoint mode is set, but terminals on a remote get the keys instead. */
  private noticeRemote(): void {
    if (this.remoteNoticeShown || !this.remote || this.settings.terminalMode !== 'endpoint') return;
    this.remoteNoticeShown = true;
    void vscode.window.showInformationMessage(
      `Role Switcher: terminals on ${remoteLabel(this.remote)} get the session's keys in their environment. The credential endpoint (roleSwitcher.terminal.mode: endpoint) runs on this computer's 127.0.0.1, which the remote cannot reach.`,
    );
  }

  sync(): void {
    const session = this.settings.injectCredentials ? this.store.current : undefined;
    if (session) this.noticeRemote();
    if (session && this.endpointMode() && !this.endpoint.started) {
      // Mode turned on while a session is active: start, then sync again (until then, no variables).
      this.prepareEndpoint(session).then(
        () => this.sync(),
        () => undefined,
      );
    }
    const plan = session && this.prepared?.session === session ? this.prepared.plan : this.plan(session);
    this.prepared = undefined;
    this.collection.clear();
    for (const [name, value] of plan.variables) this.collection.replace(name, value);
    this.collection.description = plan.variables.length ? plan.description : undefined;
  }
}
