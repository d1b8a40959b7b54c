// Grouping the Roles view (core/grouping.ts, host/treeLayout.ts): by account, label prefix, OU; and
// the Favorites group on top, through RoleTreeProvider.
import { strict as assert } from 'node:assert';
import { groupRoles, labelPrefix, parseGroupBy } from '../../src/core/grouping';
import { groupByAccount } from '../../src/core/roles';
import { role } from '../helpers/builders';

const r = (label: string, account: string, name = label.replace(/\W/g, '')) =>
  role({ id: `profile:${label}`, label, roleArn: `arn:aws:iam::${account}:role/${name}`, roleName: name, accountId: account });
const roles = [r('team-a/admin', '111111111111'), r('team-b/read', '222222222222'), r('team-a/deploy', '222222222222'), r('plain', '111111111111'), r('other', '333333333333')];
const accountGroups = groupByAccount(roles, new Map([['111111111111', 'dev']]));

describe('grouping', () => {
  it('parseGroupBy defaults to account', () => {
    assert.equal(parseGroupBy('labelPrefix'), 'labelPrefix');
    assert.equal(parseGroupBy('organizationUnit'), 'organizationUnit');
    assert.equal(parseGroupBy('nonsense'), 'account');
    assert.equal(parseGroupBy(undefined), 'account');
  });
  it('labelPrefix', () => {
    assert.equal(labelPrefix('team/web'), 'team');
    assert.equal(labelPrefix('/web'), undefined);
    assert.equal(labelPrefix('web'), undefined);
  });
  it('by account: one group per account, stable ids', () => {
    const g = groupRoles(accountGroups, 'account');
    assert.deepEqual(g.groups.map((x) => x.id), ['account:222222222222', 'account:333333333333', 'account:111111111111']);
    assert.equal(g.groups[2].label, 'dev (111111111111)');
    assert.equal(g.note, undefined);
  });
  it('by label prefix: prefix groups first (across accounts), the rest under their accounts', () => {
    const g = groupRoles(accountGroups, 'labelPrefix');
    assert.deepEqual(g.groups.map((x) => [x.id, x.roles.map((y) => y.label)]), [
      ['prefix:team-a', ['team-a/admin', 'team-a/deploy']],
      ['prefix:team-b', ['team-b/read']],
      ['account:333333333333', ['other']],
      ['account:111111111111', ['plain']],
    ]);
  });
  it('by organization unit when known; by account with a note when discovery has none', () => {
    const none = groupRoles(accountGroups, 'organizationUnit');
    assert.deepEqual(none.groups.map((x) => x.kind), ['account', 'account', 'account']);
    assert.match(none.note!, /no organization unit data.*roleSwitcher\.tree\.groupBy/);
    const ou = groupRoles(accountGroups, 'organizationUnit', (id) => (id === '333333333333' ? undefined : 'Workloads'));
    assert.deepEqual(ou.groups.map((x) => [x.id, x.roles.length]), [['ou:Workloads', 4], ['account:333333333333', 1]]);
    assert.equal(ou.note, undefined);
  });
  it('2,000 roles across 300 accounts: every role lands in exactly one group', () => {
    const many = Array.from({ length: 2000 }, (_, i) => r(`t${i % 9}/role-${i}`, String(100000000000 + (i % 300)), `R${i}`));
    for (const by of ['account', 'labelPrefix'] as const) {
      const g = groupRoles(groupByAccount(many, new Map()), by);
      assert.equal(g.groups.reduce((n, x) => n + x.roles.length, 0), 2000);
      assert.equal(new Set(g.groups.map((x) => x.id)).size, g.groups.length);
    }
  });
});

describe('the Roles view with favorites and grouping', () => {
  // Loaded lazily: the vscode fake is registered by the mocha config.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RoleTreeProvider } = require('../../src/host/tree') as typeof import('../../src/host/tree');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SessionStore } = require('../../src/core/session') as typeof import('../../src/core/session');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { FakeClock } = require('../../src/core/clock') as typeof import('../../src/core/clock');
  type Node = import('../../src/host/tree').Node;

  function treeWith(pinned: string[], by: 'account' | 'labelPrefix', remembered: Record<string, 'collapsed' | 'expanded'> = {}) {
    const catalog = { loaded: true, groups: () => accountGroups, problems: [], discovery: undefined, hasBaseCredentials: true, onDidChange: () => ({ dispose() {} }) };
    const store = new SessionStore(new FakeClock(0));
    return new RoleTreeProvider(catalog as never, store, {
      baseIdentity: () => ({ text: 'Base: default' }),
      assumableOnly: () => false,
      layout: { pinned: () => pinned, groupBy: () => by, remembered: (id) => remembered[id] },
    });
  }
  const label = (t: InstanceType<typeof RoleTreeProvider>, n: Node) => String(t.getTreeItem(n).label);

  it('puts pinned roles in a Favorites group on top, marked .pinned, and out of their groups', () => {
    const t = treeWith(['profile:other', 'profile:team-a/admin'], 'account');
    const roots = t.getChildren().filter((n) => n.kind === 'group' || n.kind === 'account');
    assert.equal(label(t, roots[0]), 'Favorites');
    const favs = t.getChildren(roots[0]);
    assert.deepEqual(favs.map((n) => label(t, n)), ['other', 'team-a/admin']);
    const item = t.getTreeItem(favs[0]);
    assert.match(String(item.contextValue), /^role\.profile.*\.pinned$/);
    assert.equal(item.id, 'favorite:profile:other');
    // Out of its account group: account 333333333333 had only `other`.
    assert.ok(!roots.some((n) => n.kind === 'account' && n.accountId === '333333333333'));
    const all = roots.flatMap((n) => t.getChildren(n)).map((n) => t.getTreeItem(n).id);
    assert.equal(new Set(all).size, all.length, 'tree item ids are unique');
    // Unpinned role rows carry the account ID in their description (the tree's find widget).
    const acct = roots.find((n) => n.kind === 'account' && n.accountId === '111111111111')!;
    const plain = t.getTreeItem(t.getChildren(acct)[0]);
    assert.doesNotMatch(String(plain.contextValue), /pinned/);
    assert.match(String(plain.description), /111111111111/);
  });

  it('groups by label prefix, with remembered collapse state', () => {
    const t = treeWith([], 'labelPrefix', { 'group:prefix:team-b': 'collapsed' });
    const roots = t.getChildren().filter((n) => n.kind === 'group' || n.kind === 'account');
    assert.deepEqual(roots.map((n) => label(t, n)), ['team-a', 'team-b', '333333333333', 'dev (111111111111)']);
    assert.equal(t.getTreeItem(roots[0]).collapsibleState, 2);
    assert.equal(t.getTreeItem(roots[1]).collapsibleState, 1);
    assert.equal(t.getTreeItem(roots[1]).id, 'group:prefix:team-b');
  });
});
