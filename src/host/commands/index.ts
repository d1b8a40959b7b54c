// Registers every command. Each feature keeps its handlers in its own file:
//   switching.ts   assume (click, palette, chain), the error report, switch back, session menu
//   discovery.ts   discover, refresh, explain, the assumable-only filter
//   identity.ts    show identity, copy credentials / ARN
//   config.ts      add / remove settings roles, open the config file
//   roleTerminal.ts  New Terminal as Role…, the AWS role terminal profile
//   importAccounts.ts  account labels and colors from AWS Extend Switch Roles
//   sso.ts         IAM Identity Center: sign in / out, add a portal, refresh its accounts
//   console.ts     Open AWS Console as Role, Copy Console URL (federation sign-in)
import * as vscode from 'vscode';
import { isCancelled } from '../../core/errors';
import type { RoleDefinition, Session } from '../../core/types';
import { Disposable } from '../lifecycle';
import { CommandContext, type CommandDeps, type Handlers } from './context';
import { loadFeatures } from '../featuresLoader';

export type { CommandDeps } from './context';

/**
 * The ids this window registers at activation. Their handlers live in dist/features.js, loaded on the
 * first command; a unit test checks this list against the handlers and package.json.
 */
export const COMMAND_IDS = [
  'roleSwitcher.assumeRole', 'roleSwitcher.assumeItem', 'roleSwitcher.switchBack', 'roleSwitcher.sessionMenu',
  'roleSwitcher.refresh', 'roleSwitcher.discoverRoles', 'roleSwitcher.explainAccess', 'roleSwitcher.explainItem', 'roleSwitcher.toggleAssumableOnly',
  'roleSwitcher.showIdentity', 'roleSwitcher.copyCredentials', 'roleSwitcher.copyArn',
  'roleSwitcher.addRole', 'roleSwitcher.removeRole', 'roleSwitcher.openConfig',
  'roleSwitcher.newRoleTerminal',
  'roleSwitcher.importExtendSwitchRoles',
  'roleSwitcher.sso.signIn', 'roleSwitcher.sso.signOut', 'roleSwitcher.sso.addPortal', 'roleSwitcher.sso.refresh',
  'roleSwitcher.openConsole', 'roleSwitcher.copyConsoleUrl',
  'roleSwitcher.pinRole', 'roleSwitcher.unpinRole',
  'roleSwitcher.showLog',
] as const;

/** The terminal profile contributed in package.json ("AWS role…"). */
export const ROLE_TERMINAL_PROFILE_ID = 'roleSwitcher.awsRole';

/** Every command handler. Handlers catch, log and explain their errors; cancellation is silent. */
export class Commands extends Disposable {
  private readonly ctx: CommandContext;
  private table: Handlers | undefined;

  constructor(d: CommandDeps) {
    super();
    this.ctx = new CommandContext(d);
    for (const id of COMMAND_IDS) {
      this._register(vscode.commands.registerCommand(id, (...args: unknown[]) => this.guard(id, () => this.handlers()[id]?.(...args))));
    }
    if (d.roleTerminals) {
      this._register(
        vscode.window.registerTerminalProfileProvider(ROLE_TERMINAL_PROFILE_ID, {
          provideTerminalProfile: (token) => loadFeatures().roleTerminalProfileProvider(this.ctx).provideTerminalProfile(token),
        }),
      );
    }
  }

  /** The handler table, built from dist/features.js on the first command. */
  handlers(): Handlers {
    if (!this.table) {
      const f = loadFeatures();
      const ctx = this.ctx;
      this.table = {
        ...f.switchingCommands(ctx),
        ...f.discoveryCommands(ctx),
        ...f.identityCommands(ctx),
        ...f.configCommands(ctx),
        ...f.roleTerminalCommands(ctx),
        ...f.importAccountsCommands(ctx),
        ...f.ssoCommands(ctx),
        ...f.favoritesCommands(ctx),
        ...f.consoleCommands(ctx),
        'roleSwitcher.showLog': () => ctx.d.showLog(),
      };
    }
    return this.table;
  }

  get filterAssumableOnly(): boolean {
    return this.ctx.assumableOnly;
  }

  get baseCallerArn(): string | undefined {
    return this.ctx.lastCallerArn;
  }

  assume(role: RoleDefinition): Promise<Session | undefined> {
    return loadFeatures().assume(this.ctx, role);
  }

  private async guard(id: string, fn: () => unknown): Promise<void> {
    try {
      await fn();
    } catch (e) {
      if (isCancelled(e)) return;
      this.ctx.d.log.error(`${id} failed`, e);
      void vscode.window.showErrorMessage(this.ctx.d.redactor.redact(`Role Switcher: ${(e as Error)?.message ?? String(e)}`), 'Show Log').then((a) => a && this.ctx.d.showLog());
    }
  }
}
