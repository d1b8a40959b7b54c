import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Clock } from '../core/clock';
import type { EndpointBinding, EndpointCredentials } from '../core/credentialEndpoint';
import { RenewalScheduler } from '../core/renewal';
import { ROLE_TERMINAL_MARKER, roleTerminalEnv, roleTerminalLaunch, roleTerminalLook } from '../core/roleTerminal';
import { SessionStore } from '../core/session';
import type { Switcher } from '../core/switcher';
import { endpointShim, shimConfigText, type TerminalMode } from '../core/terminalEnv';
import type { RoleDefinition, Session } from '../core/types';
import { Disposable } from './lifecycle';

export interface RoleTerminalDeps {
  readonly clock: Clock;
  /** A Switcher with the window's deps over `store` (its own): `new (loadAwsModule().Switcher)(…)`. */
  switcherFor(store: SessionStore): Switcher;
  /** roleSwitcher.terminal.mode, read when a terminal is opened; it keeps that mode. */
  mode(): TerminalMode;
  /** How long before the expiration to renew (endpoint mode). */
  renewLeadMs(): number;
  /** The window's credential endpoint: a binding of its own per terminal (endpoint mode). */
  endpoint(): { bindExtra(get: () => EndpointCredentials | undefined): Promise<EndpointBinding> };
  /** Said once per session when a renewal fails; the scheduler keeps retrying. */
  onRenewFailure(error: unknown, session: Session, renewNow: () => unknown): void;
  log(line: string): void;
  /** Environment the terminals inherit (process.env in the extension). */
  readonly inherited: Readonly<Record<string, string | undefined>>;
  /** Where the per-terminal shim profiles go (global storage/terminal/roles); they hold no secret. */
  readonly shimDir: string;
  /** dist/credential-process.js and the runtime that runs it. */
  readonly credentialScript: string;
  readonly nodeExecutable: string;
  /** The tab color of `role` from roleSwitcher.accounts (a theme color id), or undefined for the default. */
  terminalColor?(role: RoleDefinition): string | undefined;
  /**
   * vscode.env.remoteName when terminals run on a remote while this host is local (docs/remote.md):
   * env mode, no shim, no strictEnv (the remote's own environment), the remote's shell.
   */
  readonly remote?: string;
}

/** One role terminal: its own store, switcher, renewal and (endpoint mode) binding and shim file. */
class Bound {
  terminal: vscode.Terminal | undefined;
  private scheduler: RenewalScheduler | undefined;
  private disposed = false;
  /** Dropped if VS Code never opens the terminal (a profile whose launch was abandoned). */
  unclaimedTimer: unknown;

  constructor(
    readonly id: string,
    readonly role: RoleDefinition,
    readonly store: SessionStore,
    readonly mode: TerminalMode,
    private readonly binding: EndpointBinding | undefined,
    private readonly shimFile: string | undefined,
  ) {}

  startRenewal(deps: RoleTerminalDeps, switcher: Switcher): void {
    if (this.mode !== 'endpoint') return;
    const scheduler: RenewalScheduler = new RenewalScheduler({
      store: this.store,
      clock: deps.clock,
      leadMs: () => deps.renewLeadMs(),
      renew: () => switcher.renew(),
      onFailure: (e, s) => deps.onRenewFailure(e, s, () => scheduler.renewNow()),
      log: (line) => deps.log(`terminal ${this.id}: ${line}`),
    });
    this.scheduler = scheduler;
  }

  get hasScheduler(): boolean {
    return this.scheduler !== undefined && !this.disposed;
  }

  /** Resolves once the shim file is gone. */
  dispose(clock: Clock): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.disposed = true;
    if (this.unclaimedTimer !== undefined) clock.clearTimeout(this.unclaimedTimer);
    this.scheduler?.dispose();
    this.binding?.dispose();
    this.store.dispose();
    return this.shimFile ? fs.rm(this.shimFile, { force: true }).catch(() => undefined) : Promise.resolve();
  }
}

/** How long a prepared profile waits for VS Code to open its terminal before it is dropped. */
export const UNCLAIMED_MS = 120_000;

/**
 * Terminals bound to one role each, independent of the window's session (issue 11).
 *
 * A role terminal is created with `strictEnv: true` and a complete environment (core/roleTerminal.ts),
 * so the window's environment variable collection never applies to it: switching the window's
 * session leaves it alone. In env mode the keys are in its environment (frozen at start: a renewal
 * cannot reach a running shell, so none is scheduled and the terminal says until when it is valid);
 * in endpoint mode it gets its own binding of the window's credential endpoint (path + token) and
 * its own shim profile, and its session is renewed like the window's, which running processes
 * follow. Closing the terminal disposes its store, renewal, binding and shim file.
 */
export class RoleTerminals extends Disposable {
  private readonly bound = new Map<string, Bound>();
  private readonly cleanups = new Set<Promise<void>>();

  constructor(private readonly deps: RoleTerminalDeps) {
    super();
    this._register(vscode.window.onDidOpenTerminal((t) => this.claim(t)));
    this._register(vscode.window.onDidCloseTerminal((t) => this.release(t)));
    this._register({ dispose: () => this.disposeAll() });
  }

  /** Role terminals open (or prepared) now. */
  get size(): number {
    return this.bound.size;
  }

  /** The session of a role terminal (tests, the session menu). */
  sessionOf(terminal: vscode.Terminal): Session | undefined {
    return this.find(terminal)?.store.current;
  }

  /** Resolves when the files of closed terminals are removed (tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.cleanups]);
  }

  /** Whether a role terminal's renewal is armed (tests). */
  isRenewing(terminal: vscode.Terminal): boolean {
    return this.find(terminal)?.hasScheduler ?? false;
  }

  /** Assumes `role` for a new terminal and opens it ("New Terminal as Role…"). */
  async open(role: RoleDefinition, signal?: AbortSignal): Promise<vscode.Terminal> {
    const options = await this.prepare(role, signal);
    const terminal = vscode.window.createTerminal(options);
    const b = this.bound.get(markerOf(options) ?? '');
    if (b) this.bind(b, terminal);
    terminal.show();
    return terminal;
  }

  /**
   * Assumes `role` and returns the options of a terminal bound to it (the terminal profile hands
   * them to VS Code, which opens the terminal; onDidOpenTerminal binds it by its marker variable).
   * Throws the switcher's errors (HopError, CancelledError); nothing is kept on failure.
   */
  async prepare(role: RoleDefinition, signal?: AbortSignal): Promise<vscode.TerminalOptions> {
    const d = this.deps;
    // On a remote the local endpoint is out of reach: the terminal gets the keys (env mode).
    const mode = d.remote ? 'env' : d.mode();
    const id = randomBytes(9).toString('base64url');
    const store = new SessionStore(d.clock);
    let binding: EndpointBinding | undefined;
    let shimFile: string | undefined;
    const fail = (e: unknown): never => {
      binding?.dispose();
      store.dispose();
      if (shimFile) void fs.rm(shimFile, { force: true }).catch(() => undefined);
      throw e;
    };
    try {
      const switcher = d.switcherFor(store);
      const { session } = await switcher.switchTo(role, signal);
      let env: Record<string, string> | undefined;
      if (mode === 'endpoint') {
        binding = await d.endpoint().bindExtra(() => store.current);
        const platform = process.platform === 'win32' ? 'win32' : 'posix';
        const shim = endpointShim(platform, d.nodeExecutable, d.credentialScript, d.shimDir);
        shimFile = path.join(d.shimDir, `${id}.config`);
        env = roleTerminalEnv(session, { inherited: d.inherited, mode, endpoint: binding, shim: { configFile: shimFile, credentialProcess: shim.credentialProcess }, marker: id });
        await fs.mkdir(d.shimDir, { recursive: true });
        for (const f of shim.files) await fs.writeFile(f.path, f.content, { mode: 0o700 });
        await fs.writeFile(shimFile, shimConfigText(shim.credentialProcess, session.region, 'endpoint'), { mode: 0o600 });
      } else {
        env = roleTerminalEnv(session, { inherited: d.inherited, marker: id, remote: d.remote });
      }
      if (!env) throw new Error(`no terminal environment for ${role.label}`);
      const b = new Bound(id, role, store, mode, binding, shimFile);
      b.startRenewal(d, switcher);
      b.unclaimedTimer = d.clock.setTimeout(() => {
        if (!b.terminal) this.drop(b);
      }, UNCLAIMED_MS);
      this.bound.set(id, b);
      d.log(`terminal ${id} bound to ${role.roleArn} as ${session.assumedRoleArn} (${mode} mode)`);
      const look = roleTerminalLook(role, session, mode);
      const launch = roleTerminalLaunch(env, vscode.env.shell, process.platform === 'win32' ? 'win32' : 'posix', d.remote);
      return {
        name: look.name,
        iconPath: new vscode.ThemeIcon('shield'),
        color: new vscode.ThemeColor(d.terminalColor?.(role) ?? look.color),
        message: look.message,
        env,
        // Locally the environment is complete (strictEnv); on a remote it is the remote's, plus ours.
        strictEnv: !d.remote,
        ...(launch ?? {}),
        // A restored terminal would come back without its session: never persist it.
        isTransient: true,
      };
    } catch (e) {
      return fail(e);
    }
  }

  private claim(t: vscode.Terminal): void {
    const id = markerOf(t.creationOptions as vscode.TerminalOptions);
    const b = id ? this.bound.get(id) : undefined;
    if (b && !b.terminal) this.bind(b, t);
  }

  private bind(b: Bound, t: vscode.Terminal): void {
    b.terminal = t;
    if (b.unclaimedTimer !== undefined) this.deps.clock.clearTimeout(b.unclaimedTimer);
    b.unclaimedTimer = undefined;
  }

  private release(t: vscode.Terminal): void {
    const b = this.find(t);
    if (b) this.drop(b);
  }

  private drop(b: Bound): void {
    this.bound.delete(b.id);
    const done = b.dispose(this.deps.clock);
    this.cleanups.add(done);
    void done.then(() => this.cleanups.delete(done));
    this.deps.log(`terminal ${b.id} (${b.role.roleArn}) closed; its session is gone`);
  }

  private find(t: vscode.Terminal): Bound | undefined {
    for (const b of this.bound.values()) if (b.terminal === t) return b;
    const id = markerOf(t.creationOptions as vscode.TerminalOptions);
    return id ? this.bound.get(id) : undefined;
  }

  private disposeAll(): void {
    for (const b of [...this.bound.values()]) void b.dispose(this.deps.clock);
    this.bound.clear();
  }
}

function markerOf(o: vscode.TerminalOptions | undefined): string | undefined {
  const v = o?.env?.[ROLE_TERMINAL_MARKER];
  return typeof v === 'string' && v ? v : undefined;
}
