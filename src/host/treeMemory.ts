// What the Roles view remembers across windows, in globalState (ids only, never a secret): pinned roles,
// recent roles (core/favorites.ts) and which groups the user collapsed or expanded.
import type * as vscode from 'vscode';
import { Favorites } from '../core/favorites';
import { parseGroupBy, type GroupBy } from '../core/grouping';
import type { SessionStore } from '../core/session';
import type { Node } from './tree';
import type { TreeLayoutState } from './treeLayout';

export const COLLAPSE_KEY = 'roleSwitcher.tree.collapsed';
const MAX_REMEMBERED = 1000;

export class TreeMemory implements TreeLayoutState {
  readonly favorites: Favorites;

  constructor(
    private readonly state: vscode.Memento,
    private readonly groupBySetting: () => unknown,
  ) {
    this.favorites = new Favorites(state);
  }

  /** Parsed once per stored value (core/favorites.ts), and what this window pinned wins over a stale read. */
  pinned(): readonly string[] {
    return this.favorites.pinned();
  }

  groupBy(): GroupBy {
    return parseGroupBy(this.groupBySetting());
  }

  remembered(id: string): 'collapsed' | 'expanded' | undefined {
    const v = this.read()[id];
    return v === 'c' ? 'collapsed' : v === 'e' ? 'expanded' : undefined;
  }

  private read(): Record<string, string> {
    const v = this.state.get<unknown>(COLLAPSE_KEY);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
  }

  /** Remembers group `id` as collapsed (`c`) or expanded (`e`); ids of other rows are ignored. */
  remember(id: string | undefined, v: 'c' | 'e'): void {
    if (!id || !/^(?:account:\d{12}|group:[^\p{Cc}]{1,200})$/u.test(id)) return;
    const map = { ...this.read() };
    delete map[id];
    map[id] = v;
    const keys = Object.keys(map);
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_REMEMBERED))) delete map[k];
    void this.state.update(COLLAPSE_KEY, map);
  }

  /**
   * Remembers collapse state from `view`, and records each role switched to as recent. `itemId`
   * gives the tree item id of a node (the provider's getTreeItem).
   */
  track(view: vscode.TreeView<Node>, itemId: (n: Node) => string | undefined, store: SessionStore): vscode.Disposable[] {
    const out: vscode.Disposable[] = [];
    // Test fakes of TreeView may lack the events.
    if (view.onDidCollapseElement) out.push(view.onDidCollapseElement((e) => this.remember(itemId(e.element), 'c')));
    if (view.onDidExpandElement) out.push(view.onDidExpandElement((e) => this.remember(itemId(e.element), 'e')));
    out.push(store.onDidChange(() => {
      const id = store.current?.role.id;
      if (id) void this.favorites.touch(id);
    }));
    return out;
  }
}

/** The id a group node's tree item has (the key its collapse state is remembered under). */
export function groupItemId(n: Node): string | undefined {
  return n.kind === 'account' ? `account:${n.accountId}` : n.kind === 'group' ? `group:${n.id}` : undefined;
}
