// What every command handler shares: the services it drives, the view state that outlives one command
// (discovery cache, last base caller, tree filter), and small helpers. One instance per window.
import * as vscode from 'vscode';
import type { AwsModule } from '../../aws/lazy';
import { toCredentialSource } from '../../core/baseCredentials';
import type { DiscoveryCache } from '../../core/discovery';
import type { AwsGateway, CallOptions } from '../../core/gateway';
import type { Redactor } from '../../core/redact';
import type { SessionStore } from '../../core/session';
import type { Switcher } from '../../core/switcher';
import type { BaseSource } from '../../core/types';
import type { AccountStyles } from '../accountStyle';
import type { RoleCatalog } from '../catalog';
import type { RoleTerminals } from '../roleTerminals';
import type { SsoHost } from '../sso/ssoHost';
import type { ScopedLogger } from '../logger';
import type { Settings } from '../settings';
import type { StatusBar } from '../statusBar';
import type { RoleTreeProvider } from '../tree';

export interface CommandDeps {
  catalog: RoleCatalog;
  store: SessionStore;
  /** Built on first use, with the AWS bundle. */
  switcher(): Switcher;
  /** Forgets cached clients and identities, without loading the AWS bundle. */
  resetAwsCaches(): void;
  settings: Settings;
  statusBar: StatusBar;
  tree: RoleTreeProvider;
  redactor: Redactor;
  log: ScopedLogger;
  gateway(): AwsGateway;
  /** The lazily loaded AWS bundle (discovery, explain). */
  aws(): AwsModule;
  showLog(): void;
  /**
   * Per-terminal roles (New Terminal as Role…, the terminal profile), built on first use from their own
   * bundle; absent in tests that need none.
   */
  roleTerminals?(): RoleTerminals;
  /** roleSwitcher.accounts, parsed (labels, colors, confirm); undefined when the setting has no entry. */
  accounts?(): AccountStyles | undefined;
  /** IAM Identity Center (portals, sign-in, permission sets), built on first use; absent in tests that need none. */
  sso?(): SsoHost;
  /** The extension's globalState (ids and choices only, never a secret); absent in tests that need none. */
  globalState?: vscode.Memento;
}

/** A command id and its handler, as each feature file lists them. */
export type Handlers = Record<string, (...args: any[]) => unknown>;

export class CommandContext {
  /** The tree's "Show Only Assumable Roles" filter. */
  assumableOnly = false;
  /** The base identity's ARN, once STS has said it (discovery, Show Identity). */
  lastCallerArn: string | undefined;
  private cache: DiscoveryCache | undefined;

  constructor(readonly d: CommandDeps) {}

  /** Created on first use so activation never loads the AWS bundle. */
  get discoveryCache(): DiscoveryCache {
    return (this.cache ??= new (this.d.aws().DiscoveryCache)(this.d.settings.cacheTtlMs));
  }

  /** The cache if discovery has run in this window; never loads the AWS bundle. */
  get discoveryCacheIfBuilt(): DiscoveryCache | undefined {
    return this.cache;
  }

  /** Call options for `base`; a `profileKeys` base becomes the keys the catalog read (redacted from now on). */
  callOptions(base: CallOptions['credentials'] | BaseSource): CallOptions {
    let credentials: CallOptions['credentials'];
    if (base.kind === 'sso') {
      credentials = toCredentialSource(base, this.d.catalog.profiles);
    } else if (base.kind === 'profileKeys') {
      credentials = toCredentialSource(base, this.d.catalog.profiles);
      if (credentials.kind === 'static') this.d.redactor.add(credentials.credentials.secretAccessKey, credentials.credentials.sessionToken);
    } else {
      credentials = base;
    }
    return { region: this.d.settings.region, endpoint: this.d.settings.endpointUrl, timeoutMs: this.d.settings.requestTimeoutMs, credentials };
  }

  async copy(text: string, done: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(done, 2500);
  }
}
