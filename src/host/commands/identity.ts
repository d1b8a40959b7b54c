// Who am I, and taking the session elsewhere: Show Identity, Copy Credentials, Copy ARN.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { copySessionAs } from '../exportPick';
import type { Node } from '../tree';
import type { CommandContext, Handlers } from './context';

export function identityCommands(ctx: CommandContext): Handlers {
  return {
    'roleSwitcher.showIdentity': () => showIdentity(ctx),
    'roleSwitcher.copyCredentials': () => copyCredentials(ctx),
    'roleSwitcher.copyArn': (n?: Node) => n?.kind === 'role' && ctx.copy(n.role.roleArn, 'Role ARN copied.'),
  };
}

export async function copyCredentials(ctx: CommandContext): Promise<void> {
  const s = ctx.d.store.current;
  if (!s) {
    void vscode.window.showInformationMessage('No role is assumed, so there are no session credentials to copy.');
    return;
  }
  // A QuickPick of every shell's format (core/exportFormats.ts); the last one used is offered first.
  await copySessionAs(s, { state: ctx.d.globalState, platform: os.platform(), now: Date.now, defaultRegion: ctx.d.settings.region });
}

export async function showIdentity(ctx: CommandContext): Promise<void> {
  const { d } = ctx;
  const s = d.store.current;
  const opts = ctx.callOptions(s ? { kind: 'static', credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken } } : d.catalog.defaultBase);
  const id = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Asking STS who you are…' }, () => d.gateway().getCallerIdentity(opts));
  if (!s) ctx.lastCallerArn = id.arn;
  d.statusBar.render();
  d.tree.refresh();
  const choice = await vscode.window.showInformationMessage(`You are ${id.arn} (account ${id.account}).`, 'Copy ARN');
  if (choice) await ctx.copy(id.arn, 'ARN copied.');
}
