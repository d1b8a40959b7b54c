// Where roles are written down: Add Role… and Remove (the roleSwitcher.roles user setting), and opening
// the AWS config file at a line (the tree's config problems link here).
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseRoleArn, roleArn as makeRoleArn } from '../../core/arn';
import { validateAddRoleInput } from '../../core/roles';
import type { RoleDefinition } from '../../core/types';
import type { Node } from '../tree';
import type { CommandContext, Handlers } from './context';

export function configCommands(ctx: CommandContext): Handlers {
  return {
    'roleSwitcher.addRole': () => addRole(ctx),
    'roleSwitcher.removeRole': (n?: Node) => n?.kind === 'role' && removeRole(ctx, n.role),
    'roleSwitcher.openConfig': (file?: string, line?: number) => openConfig(ctx, typeof file === 'string' ? file : undefined, line),
  };
}

export async function addRole(ctx: CommandContext): Promise<void> {
  const title = 'Add Role';
  const account = await vscode.window.showInputBox({
    title: `${title} (1/4)`,
    prompt: 'Account ID (12 digits) or account alias',
    ignoreFocusOut: true,
    validateInput: (v) => validateAddRoleInput({ account: v }).account,
  });
  if (account === undefined) return;
  const roleName = await vscode.window.showInputBox({
    title: `${title} (2/4)`,
    prompt: 'Role name, with its path if it has one (e.g. s3-Full-Access or team/deploy)',
    ignoreFocusOut: true,
    validateInput: (v) => validateRoleNameWithPath(v),
  });
  if (roleName === undefined) return;
  const label = await vscode.window.showInputBox({
    title: `${title} (3/4)`,
    prompt: 'Display name (optional)',
    value: roleName.split('/').pop(),
    ignoreFocusOut: true,
    validateInput: (v) => validateAddRoleInput({ label: v }).label,
  });
  if (label === undefined) return;
  const colors = ['none', 'red', 'orange', 'yellow', 'green', 'blue', 'purple'];
  const color = await vscode.window.showQuickPick(colors, { title: `${title} (4/4)`, placeHolder: 'Color (optional)' });
  if (color === undefined) return;
  const accountId = resolveAccount(ctx, account.trim());
  if (!accountId) {
    // AWS has no public alias lookup; only aliases this extension has seen (discovery) resolve.
    void vscode.window.showWarningMessage(`Unknown account alias "${account.trim()}". Enter the 12-digit account ID, or run Discover Roles first so the alias is known.`);
    return;
  }
  const name = roleName.trim().replace(/^\/+/, '');
  const entry: Record<string, unknown> = { roleArn: makeRoleArn('aws', accountId, name.split('/').pop()!, pathOf(name)) };
  if (label.trim()) entry.label = label.trim();
  if (color !== 'none') entry.color = color;
  await ctx.d.settings.saveRoles([...ctx.d.settings.roles, entry]);
  void vscode.window.showInformationMessage(`Added ${label.trim() || roleName} to your user settings (roleSwitcher.roles).`);
}

function resolveAccount(ctx: CommandContext, input: string): string | undefined {
  if (/^\d{12}$/.test(input)) return input;
  for (const [id, alias] of ctx.d.catalog.aliases) if (alias === input) return id;
  return undefined;
}

async function removeRole(ctx: CommandContext, role: RoleDefinition): Promise<void> {
  if (role.origin !== 'settings') return;
  const ok = await vscode.window.showWarningMessage(`Remove ${role.label} from roleSwitcher.roles?`, { modal: true }, 'Remove');
  if (ok !== 'Remove') return;
  const kept = ctx.d.settings.roles.filter((e) => !sameSettingsRole(e, role.roleArn));
  await ctx.d.settings.saveRoles(kept);
}

/** Opens the AWS config file (or `file`) at `line`, offering to create it when it does not exist. */
export async function openConfig(ctx: CommandContext, file?: string, line?: number): Promise<void> {
  const target = file ?? ctx.d.catalog.paths.config;
  try {
    await fs.access(target);
  } catch {
    const create = await vscode.window.showInformationMessage(`${target} does not exist yet. Create it?`, 'Create');
    if (create !== 'Create') return;
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, '# AWS config. A role profile looks like:\n# [profile my-role]\n# role_arn = arn:aws:iam::111111111111:role/my-role\n# source_profile = default\n', { flag: 'wx', mode: 0o600 }).catch(() => undefined);
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(target));
  const editor = await vscode.window.showTextDocument(doc);
  if (line && line > 0) {
    const pos = new vscode.Position(line - 1, 0);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
  }
}

/** A role name, optionally after an IAM path (`team/deploy`): the path is printable ASCII, the name IAM's rule. */
function validateRoleNameWithPath(input: string): string | undefined {
  const parts = input.trim().replace(/^\/+/, '').split('/');
  const name = parts.pop() ?? '';
  const nameProblem = validateAddRoleInput({ roleName: name }).roleName;
  if (nameProblem) return nameProblem;
  const path = parts.join('/');
  if (path.length > 510 || !/^[\u0021-\u007e]*$/.test(path)) return 'A role path is at most 512 printable ASCII characters, without spaces';
  return undefined;
}

function pathOf(roleName: string): string {
  const parts = roleName.split('/').filter(Boolean);
  return parts.length > 1 ? `/${parts.slice(0, -1).join('/')}/` : '/';
}

function sameSettingsRole(entry: unknown, roleArn: string): boolean {
  const e = entry as { roleArn?: string; accountId?: string; roleName?: string; partition?: string } | undefined;
  if (!e) return false;
  if (e.roleArn) return e.roleArn === roleArn;
  if (e.accountId && e.roleName) {
    try {
      const p = parseRoleArn(roleArn);
      return p.accountId === e.accountId && (p.path + p.roleName).replace(/^\//, '') === e.roleName.replace(/^\//, '');
    } catch {
      return false;
    }
  }
  return false;
}
