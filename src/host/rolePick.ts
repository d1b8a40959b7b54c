// The role QuickPick's items: Favorites first, then "Recent" (the last 10 switched to), then the rest,
// each section under a separator. The searchable fields sit where VS Code's QuickPick matches and
// highlights them (matchOnDescription / matchOnDetail): label = the role's label, description = account
// alias and ID, detail = the ARN (role name and path). Items are built once per catalog version.
import * as vscode from 'vscode';
import { Favorites, sectionByFavorites } from '../core/favorites';
import type { RoleDefinition } from '../core/types';
import { verdictPresentation } from '../core/verdictText';

export type RolePickItem = vscode.QuickPickItem & { role: RoleDefinition };
/** A separator has no role; everything else in the list does. */
export type RolePickEntry = RolePickItem | (vscode.QuickPickItem & { role?: undefined });

// QuickPickItemKind.Separator (-1); test fakes of vscode may not define the enum.
const SEPARATOR = (vscode.QuickPickItemKind?.Separator ?? -1) as vscode.QuickPickItemKind;
const cache = new WeakMap<readonly RoleDefinition[], RolePickItem[]>();

export function rolePickItem(role: RoleDefinition, alias: string | undefined, active: boolean): RolePickItem {
  const v = role.verdict ? verdictPresentation(role.verdict) : undefined;
  return {
    role,
    label: role.label,
    description: [alias ? `${alias} · ${role.accountId}` : role.accountId, v?.label, active ? 'active' : undefined].filter(Boolean).join(' · '),
    detail: role.roleArn,
    iconPath: active ? new vscode.ThemeIcon('shield')
      : v ? new vscode.ThemeIcon(v.icon, v.color ? new vscode.ThemeColor(v.color) : undefined) : new vscode.ThemeIcon('person'),
  };
}

export interface RolePickInput {
  readonly roles: readonly RoleDefinition[];
  readonly aliasOf: (accountId: string) => string | undefined;
  readonly activeId?: string;
  readonly pinned?: readonly string[];
  readonly recents?: readonly string[];
}

/** The QuickPick's entries. Without favorites or recents: the roles in catalog order, no separators. */
export function rolePickEntries(input: RolePickInput): RolePickEntry[] {
  const { roles, activeId } = input;
  let base = cache.get(roles);
  if (!base) cache.set(roles, (base = roles.map((r) => rolePickItem(r, input.aliasOf(r.accountId), false))));
  const items = activeId === undefined ? base : base.map((it) => (it.role.id === activeId ? rolePickItem(it.role, input.aliasOf(it.role.accountId), true) : it));
  const pinned = input.pinned ?? [];
  const recents = input.recents ?? [];
  if (pinned.length === 0 && recents.length === 0) return items;
  const s = sectionByFavorites(items, (it) => it.role.id, pinned, recents);
  const out: RolePickEntry[] = [];
  if (s.favorites.length) out.push({ label: 'Favorites', kind: SEPARATOR }, ...s.favorites);
  if (s.recent.length) out.push({ label: 'Recent', kind: SEPARATOR }, ...s.recent);
  if (out.length && s.rest.length) out.push({ label: 'All roles', kind: SEPARATOR });
  out.push(...s.rest);
  return out;
}

/**
 * The status bar menu's "Recent" section: the last 5 roles switched to (not the active one), each
 * running `assume`. [] when there are none.
 */
export function recentMenuItems(ctx: { d: { catalog: { find(id: string): RoleDefinition | undefined }; store: { current?: { role: { id: string } } }; globalState?: vscode.Memento } }, assume: (role: RoleDefinition) => unknown): (vscode.QuickPickItem & { run: () => unknown })[] {
  const state = ctx.d.globalState;
  if (!state) return [];
  const active = ctx.d.store.current?.role.id;
  const roles = new Favorites(state).recents().filter((id) => id !== active).map((id) => ctx.d.catalog.find(id)).filter((r): r is RoleDefinition => r !== undefined).slice(0, 5);
  if (roles.length === 0) return [];
  return [
    { label: 'Recent', kind: SEPARATOR, run: () => undefined },
    ...roles.map((role) => ({ label: `$(history) ${role.label}`, description: role.accountId, detail: role.roleArn, run: () => assume(role) })),
  ];
}
