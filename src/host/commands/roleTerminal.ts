// Per-terminal roles (issue 11): "New Terminal as Role…" and the "AWS role…" terminal profile. Both
// pick a role with the Assume Role QuickPick and assume it for one terminal (host/roleTerminals.ts),
// never for the window.
import * as vscode from 'vscode';
import type { RoleDefinition } from '../../core/types';
import type { Node } from '../tree';
import type { CommandContext, Handlers } from './context';
import { pickRole, withAssumeProgress } from './switching';

export const NEW_ROLE_TERMINAL = 'roleSwitcher.newRoleTerminal';

export function roleTerminalCommands(ctx: CommandContext): Handlers {
  return {
    [NEW_ROLE_TERMINAL]: async (n?: Node) => {
      const role = n?.kind === 'role' ? n.role : await pickRole(ctx, 'Role Switcher: New Terminal as Role');
      if (role) await openRoleTerminal(ctx, role);
    },
  };
}

async function openRoleTerminal(ctx: CommandContext, role: RoleDefinition): Promise<void> {
  const terminals = ctx.d.roleTerminals?.();
  if (!terminals) return;
  await withAssumeProgress(ctx, role, (signal) => terminals.open(role, signal), () => openRoleTerminal(ctx, role));
}

/**
 * The terminal profile: asks for the role, assumes it, and hands VS Code the terminal's options.
 * Dismissing the pick (or a failed assume, after its report) returns undefined: VS Code opens no
 * terminal.
 */
export function roleTerminalProfileProvider(ctx: CommandContext): vscode.TerminalProfileProvider {
  return {
    provideTerminalProfile: async () => {
      if (!ctx.d.roleTerminals) return undefined;
      const role = await pickRole(ctx, 'Role Switcher: AWS role terminal');
      if (!role) return undefined;
      const terminals = ctx.d.roleTerminals();
      const options = await withAssumeProgress(ctx, role, (signal) => terminals.prepare(role, signal), () => openRoleTerminal(ctx, role));
      return options ? new vscode.TerminalProfile(options) : undefined;
    },
  };
}
