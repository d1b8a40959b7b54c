// The Roles view's memory at activation: host/treeMemory.ts (favorites, recents, collapse state; in
// dist/features.js) loads only once globalState holds any of it, the user collapses or expands a group,
// or a session starts (it becomes a recent). Until then pinned() is [] and nothing is remembered, as
// the full memory would answer, so the first paint of the Roles view carries none of that code.
import type * as vscode from 'vscode';
import { FAVORITES_KEY } from '../core/favorites';
import { parseGroupBy, type GroupBy } from '../core/grouping';
import type { SessionStore } from '../core/session';
import { featuresLoaded, loadFeatures } from './featuresLoader';
import type { Node } from './tree';
import type { TreeLayoutState } from './treeLayout';
import { COLLAPSE_KEY, type TreeMemory } from './treeMemory';

export class LazyTreeMemory implements TreeLayoutState {
  private memory: TreeMemory | undefined;

  constructor(
    private readonly state: vscode.Memento,
    private readonly groupBySetting: () => unknown,
  ) {}

  /** The full memory (dist/features.js), built on first need. */
  full(): TreeMemory {
    return (this.memory ??= new (loadFeatures().TreeMemory)(this.state, this.groupBySetting));
  }

  pinned(): readonly string[] {
    // Pins made in this window live in dist/features.js (core/favorites.ts) even when the store reads
    // back older, so once that bundle is loaded the full memory answers.
    return this.memory || featuresLoaded() || this.state.get(FAVORITES_KEY) !== undefined ? this.full().pinned() : [];
  }

  groupBy(): GroupBy {
    return parseGroupBy(this.groupBySetting());
  }

  remembered(id: string): 'collapsed' | 'expanded' | undefined {
    return this.memory || this.state.get(COLLAPSE_KEY) !== undefined ? this.full().remembered(id) : undefined;
  }

  /** As TreeMemory.track: collapse state from `view`, and each role switched to as recent. */
  track(view: vscode.TreeView<Node>, itemId: (n: Node) => string | undefined, store: SessionStore): vscode.Disposable[] {
    const out: vscode.Disposable[] = [];
    // Test fakes of TreeView may lack the events.
    if (view.onDidCollapseElement) out.push(view.onDidCollapseElement((e) => this.full().remember(itemId(e.element), 'c')));
    if (view.onDidExpandElement) out.push(view.onDidExpandElement((e) => this.full().remember(itemId(e.element), 'e')));
    out.push(store.onDidChange(() => {
      const id = store.current?.role.id;
      if (id) void this.full().favorites.touch(id);
    }));
    return out;
  }
}
