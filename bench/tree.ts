// Hundreds of roles at your fingertips, measured (issue 13): building the Roles view's items and the
// role QuickPick's items from a 2,000-role catalog across 300 accounts, each beside a plain
// `Array.map` over the same roles in the same run (`*_ratio`, reported, not budgeted). The host code
// (src/host/tree.ts, src/host/rolePick.ts) runs under bench/vscode-stub.cjs, in this process.
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RoleDefinition } from '../src/core/types';

const ROOT = path.resolve(__dirname, '..');

export interface TreeBenchResult {
  tree_children_2000_ms: number | null;
  tree_children_2000_ratio: number | null;
  quickpick_items_2000_ms: number | null;
  quickpick_items_2000_ratio: number | null;
  /** groupByAccount over the 2,000 roles: once per catalog version (reported, not budgeted). */
  catalog_groups_2000_ms?: number | null;
  tree_notes: string[];
}

/** 2,000 roles in 300 accounts, a third with a `team/` label prefix. */
export function largeCatalog(n = 2000, accounts = 300): RoleDefinition[] {
  return Array.from({ length: n }, (_, i) => {
    const accountId = String(100000000000 + (i % accounts));
    const roleName = `Role${i}`;
    const roleArn = `arn:aws:iam::${accountId}:role/${i % 5 === 0 ? 'ops/' : ''}${roleName}`;
    return {
      id: `settings:${roleArn}`, origin: 'settings', label: i % 3 === 0 ? `team${i % 11}/${roleName}` : roleName, roleArn, accountId,
      partition: 'aws', roleName, hops: [{ roleArn }], base: { kind: 'default' },
    } as RoleDefinition;
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** Runs `a` and `b` alternately `runs` times (after `warm` rounds), medians of each. */
function pair(runs: number, warm: number, a: () => unknown, b: () => unknown): { a: number; b: number } {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < warm + runs; i++) {
    const first = i % 2 === 0;
    for (const [f, out] of first ? ([[a, ta], [b, tb]] as const) : ([[b, tb], [a, ta]] as const)) {
      const t0 = performance.now();
      f();
      const dt = performance.now() - t0;
      if (i >= warm) out.push(dt);
    }
  }
  return { a: median(ta), b: median(tb) };
}

export function measureTree(opts: { quick?: boolean } = {}): TreeBenchResult {
  const out: TreeBenchResult = { tree_children_2000_ms: null, tree_children_2000_ratio: null, quickpick_items_2000_ms: null, quickpick_items_2000_ratio: null, tree_notes: [] };
  const runs = opts.quick ? 5 : 41;
  const warm = opts.quick ? 2 : 10;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const stubs = require('./vscode-stub.cjs') as { createVscodeStub(o?: unknown): { vscode: unknown }; installVscodeStub(v: unknown): () => void };
  const uninstall = stubs.installVscodeStub(stubs.createVscodeStub().vscode);
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { RoleTreeProvider } = require(path.join(ROOT, 'src/host/tree.ts')) as typeof import('../src/host/tree');
    const { rolePickEntries } = require(path.join(ROOT, 'src/host/rolePick.ts')) as typeof import('../src/host/rolePick');
    const { groupByAccount } = require(path.join(ROOT, 'src/core/roles.ts')) as typeof import('../src/core/roles');
    const { SessionStore } = require(path.join(ROOT, 'src/core/session.ts')) as typeof import('../src/core/session');
    const vscode = require('vscode') as typeof import('vscode');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const source = largeCatalog();
    const pinned = source.filter((_, i) => i % 400 === 7).map((r) => r.id);
    const recents = source.filter((_, i) => i % 200 === 3).map((r) => r.id).slice(0, 10);
    // Each round is a new catalog version (a new roles array), so no cache of the previous round helps.
    let roles = source.slice();
    const catalog = {
      loaded: true, problems: [], discovery: undefined, hasBaseCredentials: true, aliases: new Map<string, string>(),
      onDidChange: () => ({ dispose() {} }),
      // The catalog groups once per version (RoleCatalog.groups); a round copies the groups so no
      // cache of the tree's helps it. The grouping itself is measured apart (catalog_groups_2000_ms).
      groups: () => grouped.map((g) => ({ ...g, roles: g.roles.slice() })),
    };
    const grouped = groupByAccount(source, catalog.aliases);
    const store = new SessionStore({ now: () => Date.now() } as never);
    const tree = new RoleTreeProvider(catalog as never, store, {
      baseIdentity: () => ({ text: 'Base: default' }), assumableOnly: () => false,
      layout: { pinned: () => pinned, groupBy: () => 'account', remembered: () => undefined },
    });
    let count = 0;
    // Every group expanded: the top level, each group's children, and every row's TreeItem.
    const buildTree = () => {
      roles = source.slice();
      count = 0;
      for (const n of tree.getChildren()) {
        tree.getTreeItem(n);
        for (const c of tree.getChildren(n)) {
          tree.getTreeItem(c);
          count++;
        }
      }
    };
    const mapTree = () => {
      roles = source.slice();
      return roles.map((r) => new vscode.TreeItem(r.label, vscode.TreeItemCollapsibleState.None));
    };
    const g = pair(runs, warm, () => groupByAccount(source.slice(), catalog.aliases), mapTree);
    out.catalog_groups_2000_ms = round(g.a, 3);
    const t = pair(runs, warm, buildTree, mapTree);
    if (count !== source.length) out.tree_notes.push(`tree: built ${count} role rows of ${source.length}`);
    out.tree_children_2000_ms = round(t.a, 3);
    out.tree_children_2000_ratio = round(t.a / t.b, 2);

    let entries = 0;
    const buildPick = () => {
      roles = source.slice();
      entries = rolePickEntries({ roles, aliasOf: (id) => catalog.aliases.get(id), activeId: source[5].id, pinned, recents }).length;
    };
    const mapPick = () => {
      roles = source.slice();
      return roles.map((r) => ({ role: r, label: r.label, description: r.accountId, detail: r.roleArn }));
    };
    const q = pair(runs, warm, buildPick, mapPick);
    if (entries < source.length) out.tree_notes.push(`quickpick: ${entries} entries for ${source.length} roles`);
    out.quickpick_items_2000_ms = round(q.a, 3);
    out.quickpick_items_2000_ratio = round(q.a / q.b, 2);
    tree.dispose();
  } catch (e) {
    out.tree_notes.push(`tree: ${(e as Error).message}`);
  } finally {
    uninstall();
  }
  return out;
}

if (require.main === module) console.log(measureTree({ quick: process.argv.includes('--quick') }));
