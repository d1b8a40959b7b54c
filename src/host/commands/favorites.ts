// Pin / Unpin a role (the tree's context menu, or the Command Palette with a QuickPick). Favorites are
// role ids in globalState (core/favorites.ts); the tree shows them in a "Favorites" group on top and
// the role QuickPick lists them first.
import * as vscode from 'vscode';
import { Favorites } from '../../core/favorites';
import type { RoleDefinition } from '../../core/types';
import type { Node } from '../tree';
import type { CommandContext, Handlers } from './context';

export function favoritesCommands(ctx: CommandContext): Handlers {
  return {
    'roleSwitcher.pinRole': (n?: Node) => pin(ctx, n),
    'roleSwitcher.unpinRole': (n?: Node) => unpin(ctx, n),
  };
}

/** The window's favorites; undefined (after saying so) when there is no globalState to keep them in. */
export function favoritesOf(ctx: CommandContext): Favorites | undefined {
  return ctx.d.globalState ? new Favorites(ctx.d.globalState) : undefined;
}

async function pin(ctx: CommandContext, n?: Node): Promise<void> {
  const fav = favoritesOf(ctx);
  if (!fav) return;
  const pinned = new Set(fav.pinned());
  const role = n?.kind === 'role' ? n.role : await pickOne(ctx.d.catalog.roles.filter((r) => !pinned.has(r.id)), 'Role Switcher: Pin Role', 'Every role is pinned already.');
  if (!role) return;
  if (!(await fav.pin(role.id))) {
    if (!pinned.has(role.id)) return;
    // A row that offered Pin for a pinned role was out of date.
    ctx.d.tree.refresh();
    vscode.window.setStatusBarMessage(`$(star-full) ${role.label} is pinned already`, 2500);
    return;
  }
  ctx.d.tree.refresh();
  vscode.window.setStatusBarMessage(`$(star-full) Pinned ${role.label}`, 2500);
}

async function unpin(ctx: CommandContext, n?: Node): Promise<void> {
  const fav = favoritesOf(ctx);
  if (!fav) return;
  let role: RoleDefinition | undefined = n?.kind === 'role' ? n.role : undefined;
  if (!role) {
    const byId = new Map(ctx.d.catalog.roles.map((r) => [r.id, r]));
    role = await pickOne(fav.pinned().map((id) => byId.get(id)).filter((r): r is RoleDefinition => r !== undefined), 'Role Switcher: Unpin Role', 'No role is pinned. Right-click a role in the Roles view and choose Pin.');
  }
  if (!role) return;
  const unpinned = await fav.unpin(role.id);
  // Refreshed either way: a row that offered Unpin for a role that is not pinned was out of date.
  ctx.d.tree.refresh();
  if (unpinned) vscode.window.setStatusBarMessage(`$(star-empty) Unpinned ${role.label}`, 2500);
}

async function pickOne(roles: RoleDefinition[], title: string, empty: string): Promise<RoleDefinition | undefined> {
  if (roles.length === 0) {
    void vscode.window.showInformationMessage(empty);
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    roles.map((role) => ({ role, label: role.label, description: role.accountId, detail: role.roleArn })),
    { title, placeHolder: 'Type a label, account or ARN', matchOnDescription: true, matchOnDetail: true },
  );
  return pick?.role;
}
