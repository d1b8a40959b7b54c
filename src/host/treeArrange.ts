// The Roles view's top level when there are favorites or another grouping than by account (dist/
// features.js; host/treeLayout.ts calls it): a "Favorites" group first (pinned roles move out of
// their groups), then core/grouping.ts's groups. The same result again while nothing changed.
import * as vscode from 'vscode';
import { groupRoles } from '../core/grouping';
import type { AccountGroup } from '../core/roles';
import type { RoleDefinition } from '../core/types';
import type { Node } from './tree';
import type { TreeLayoutState } from './treeLayout';

let memo: { key: string; inputs: readonly (readonly RoleDefinition[])[]; out: { nodes: Node[]; groupCount: number } } | undefined;

export function arrangeTreeGroups(groups: readonly (AccountGroup & { readonly roles: readonly RoleDefinition[] })[], layout: TreeLayoutState): { nodes: Node[]; groupCount: number } {
  const pinned = layout.pinned();
  const by = layout.groupBy();
  const key = `${by}\n${pinned.join('\n')}`;
  if (memo && memo.key === key && memo.inputs.length === groups.length && memo.inputs.every((r, i) => r === groups[i].roles)) return memo.out;

  const nodes: Node[] = [];
  let rest: readonly AccountGroup[] = groups;
  if (pinned.length) {
    const want = new Set(pinned);
    const found = new Map<string, RoleDefinition>();
    const left: AccountGroup[] = [];
    for (const g of groups) {
      if (!g.roles.some((r) => want.has(r.id))) {
        left.push(g);
        continue;
      }
      const roles: RoleDefinition[] = [];
      for (const r of g.roles) {
        if (want.has(r.id)) found.set(r.id, r);
        else roles.push(r);
      }
      if (roles.length) left.push({ ...g, roles });
    }
    rest = left;
    const favorites = pinned.map((id) => found.get(id)).filter((r): r is RoleDefinition => r !== undefined);
    if (favorites.length) nodes.push({ kind: 'group', id: 'favorites', group: 'favorites', label: 'Favorites', roles: favorites });
  }
  const grouping = groupRoles(rest, by, layout.ouOf?.bind(layout));
  if (grouping.note) nodes.push({ kind: 'info', text: grouping.note });
  for (const g of grouping.groups) {
    nodes.push(g.kind === 'account' ? { kind: 'account', accountId: g.accountId!, label: g.label, roles: g.roles } : { kind: 'group', id: g.id, group: g.kind, label: g.label, roles: g.roles });
  }
  const out = { nodes, groupCount: grouping.groups.length };
  memo = { key, inputs: groups.map((g) => g.roles), out };
  return out;
}

const ICONS = { favorites: 'star-full', ou: 'type-hierarchy', prefix: 'folder' } as const;

/** A Favorites / organization unit / label prefix row; `state` is host/treeLayout.ts collapsibleState's (its group count lives there). */
export function groupItem(node: Extract<Node, { kind: 'group' }>, state: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, state);
  item.id = `group:${node.id}`;
  item.iconPath = new vscode.ThemeIcon(ICONS[node.group]);
  const n = `${node.roles.length} role${node.roles.length === 1 ? '' : 's'}`;
  item.description = n;
  const what = node.group === 'favorites' ? 'Pinned roles (right-click a role: Pin / Unpin)' : node.group === 'ou' ? `Organization unit ${node.label}` : `Roles labelled ${node.label}/…`;
  item.tooltip = `${what}: ${n}`;
  item.accessibilityInformation = { label: `${node.label}, ${n}`, role: 'treeitem' };
  item.contextValue = `group.${node.group}`;
  return item;
}
