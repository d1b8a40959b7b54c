// The Roles view's top level: a "Favorites" group first, then the roles grouped as
// roleSwitcher.tree.groupBy says (core/grouping.ts), with each group's remembered collapse state.
// Children are built per group when VS Code asks for them (a collapsed group costs nothing).
import * as vscode from 'vscode';
import type { GroupBy } from '../core/grouping';
import type { AccountGroup } from '../core/roles';
import type { RoleDefinition } from '../core/types';
import { loadFeatures } from './featuresLoader';
import type { Node } from './tree';

export interface TreeLayoutState {
  /** Pinned role ids, in pin order. */
  pinned(): readonly string[];
  groupBy(): GroupBy;
  /** An account's organization unit, when discovery knows it. */
  ouOf?(accountId: string): string | undefined;
  /** The remembered state of group `id`, if the user collapsed or expanded it. */
  remembered(id: string): 'collapsed' | 'expanded' | undefined;
}

/** With more groups than this, groups start collapsed (until the user opens them): 300 accounts stay quick. */
const EXPAND_ALL_UP_TO = 25;

let groupCount = 0;

/**
 * The group rows of the tree's top level. Without favorites and with the default grouping they are the
 * account groups as they are; otherwise host/treeArrange.ts (dist/features.js) arranges them.
 */
export function arrangeGroups(groups: readonly (AccountGroup & { readonly roles: readonly RoleDefinition[] })[], layout: TreeLayoutState | undefined): Node[] {
  if (!layout || (layout.pinned().length === 0 && layout.groupBy() === 'account')) {
    groupCount = groups.length;
    return groups.map((g) => ({ kind: 'account', accountId: g.accountId, label: g.label, roles: g.roles }));
  }
  const out = loadFeatures().arrangeTreeGroups(groups, layout);
  groupCount = out.groupCount;
  return out.nodes;
}

/** Collapsed or expanded: what the user chose last for this group, else expanded unless there are many groups. */
export function collapsibleState(layout: TreeLayoutState | undefined, id: string): vscode.TreeItemCollapsibleState {
  const r = layout?.remembered(id);
  if (r === 'collapsed') return vscode.TreeItemCollapsibleState.Collapsed;
  if (r === 'expanded' || id === 'group:favorites' || groupCount <= EXPAND_ALL_UP_TO) return vscode.TreeItemCollapsibleState.Expanded;
  return vscode.TreeItemCollapsibleState.Collapsed;
}

/**
 * A role row: in Favorites its id is its own (the same role may also show under an IAM Identity
 * Center portal), and a pinned role's contextValue ends in `.pinned` (the Unpin menu matches it).
 */
export function markPinned(item: vscode.TreeItem, role: RoleDefinition, inFavorites: boolean | undefined, layout: TreeLayoutState | undefined): vscode.TreeItem {
  if (inFavorites) item.id = `favorite:${role.id}`;
  if (inFavorites || layout?.pinned().includes(role.id)) item.contextValue = `${item.contextValue ?? 'role'}.pinned`;
  // The account beside the role (the tree's find matches row labels only; the QuickPick searches every field).
  if (layout && typeof item.description === 'string' && !item.description.includes(role.accountId)) item.description = `${item.description} · ${role.accountId}`;
  return item;
}
