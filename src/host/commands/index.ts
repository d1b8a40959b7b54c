// Registers every command. Each feature keeps its handlers in its own file:
//   switching.ts   assume (click, palette, chain), the error report, switch back, session menu
//   discovery.ts   discover, refresh, explain, the assumable-only filter
//   identity.ts    show identity, copy credentials / ARN
//   config.ts      add / remove settings roles, open the config file
//   roleTerminal.ts  New Terminal as Role…, the AWS role terminal profile
import * as vscode from 'vscode';
import { isCancelled } from '../../core/errors';
import type { RoleDefinition, Session } from '../../core/types';
import { Disposable } from '../lifecycle';
import { configCommands } from './config';
import { CommandContext, type CommandDeps, type Handlers } from './context';
import { discoveryCommands } from './discovery';
import { identityCommands } from './identity';
import { ROLE_TERMINAL_PROFILE, roleTerminalCommands, roleTerminalProfileProvider } from './roleTerminal';
import { assume, switchingCommands } from './switching';

export type { CommandDeps } from './context';

/** Every command handler. Handlers catch, log and explain their errors; cancellation is silent. */
export class Commands extends Disposable {
  private readonly ctx: CommandContext;

  constructor(d: CommandDeps) {
    super();
    const ctx = (this.ctx = new CommandContext(d));
    const handlers: Handlers = {
      ...switchingCommands(ctx),
      ...discoveryCommands(ctx),
      ...identityCommands(ctx),
      ...configCommands(ctx),
      ...roleTerminalCommands(ctx),
      'roleSwitcher.showLog': () => d.showLog(),
    };
    for (const [id, fn] of Object.entries(handlers)) {
      this._register(vscode.commands.registerCommand(id, (...args: unknown[]) => this.guard(id, () => fn(...args))));
    }
    if (d.roleTerminals) this._register(vscode.window.registerTerminalProfileProvider(ROLE_TERMINAL_PROFILE, roleTerminalProfileProvider(ctx)));
  }

  get filterAssumableOnly(): boolean {
    return this.ctx.assumableOnly;
  }

  get baseCallerArn(): string | undefined {
    return this.ctx.lastCallerArn;
  }

  assume(role: RoleDefinition): Promise<Session | undefined> {
    return assume(this.ctx, role);
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
