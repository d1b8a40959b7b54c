// Favorites and recents (core/favorites.ts), the tree memory over globalState (host/treeMemory.ts), and
// what ends up in globalState: role ids only, never a secret.
import { strict as assert } from 'node:assert';
import { FAVORITES_KEY, Favorites, MAX_RECENTS, RECENTS_KEY, isRoleId, pushRecent, sectionByFavorites, type FavoritesPort } from '../../src/core/favorites';
import { FakeClock } from '../../src/core/clock';
import { SessionStore } from '../../src/core/session';
import { COLLAPSE_KEY, TreeMemory, groupItemId } from '../../src/host/treeMemory';
import { role, session } from '../helpers/builders';

/** A Memento: values are kept as JSON, as VS Code's globalState keeps them. */
class Memo implements FavoritesPort {
  readonly data = new Map<string, string>();
  private readonly parsed = new Map<string, unknown>();
  get(key: string): unknown {
    if (!this.parsed.has(key) && this.data.has(key)) this.parsed.set(key, JSON.parse(this.data.get(key)!));
    return this.parsed.get(key);
  }
  update(key: string, value: unknown): Promise<void> {
    this.data.set(key, JSON.stringify(value));
    this.parsed.delete(key);
    return Promise.resolve();
  }
  keys(): readonly string[] {
    return [...this.data.keys()];
  }
  setKeysForSync(): void {}
}

describe('favorites: pin and unpin', () => {
  it('pins in order, once, and unpins', async () => {
    const m = new Memo();
    const f = new Favorites(m);
    assert.equal(await f.pin('profile:prod-admin'), true);
    assert.equal(await f.pin('settings:arn:aws:iam::222222222222:role/ReadOnly'), true);
    assert.equal(await f.pin('profile:prod-admin'), false);
    assert.deepEqual(f.pinned(), ['profile:prod-admin', 'settings:arn:aws:iam::222222222222:role/ReadOnly']);
    assert.equal(f.isPinned('profile:prod-admin'), true);
    assert.equal(await f.unpin('profile:prod-admin'), true);
    assert.equal(await f.unpin('profile:prod-admin'), false);
    assert.deepEqual(new Favorites(m).pinned(), ['settings:arn:aws:iam::222222222222:role/ReadOnly']);
  });

  it('refuses what is not a role id, and drops junk it finds in the store', async () => {
    const m = new Memo();
    const f = new Favorites(m);
    assert.equal(await f.pin('AKIAIOSFODNN7EXAMPLE'), false);
    assert.equal(await f.pin('profile:\u0000x'), false);
    assert.equal(m.data.size, 0);
    await m.update(FAVORITES_KEY, ['profile:a', 42, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'profile:a', { id: 'x' }, 'sso:portal:111111111111:Admin']);
    assert.deepEqual(f.pinned(), ['profile:a', 'sso:portal:111111111111:Admin']);
    await m.update(FAVORITES_KEY, 'not a list');
    assert.deepEqual(f.pinned(), []);
  });

  it("keeps what this window pinned when globalState hands back an older value (VS Code's storage echo)", async () => {
    // VS Code's extension host replaces its whole copy of globalState when the workbench echoes a
    // storage change; around startup the echo can carry the value from before an update.
    const m = new Memo();
    const f = new Favorites(m);
    const before = m.data.get(FAVORITES_KEY);
    assert.equal(await f.pin('profile:prod-admin'), true);
    if (before === undefined) m.data.delete(FAVORITES_KEY);
    else m.data.set(FAVORITES_KEY, before);
    (m as unknown as { parsed: Map<string, unknown> }).parsed.clear();
    assert.equal(m.get(FAVORITES_KEY), undefined, 'the store went back to the old value');
    assert.deepEqual(f.pinned(), ['profile:prod-admin'], 'the pin made here still shows');
    assert.deepEqual(new Favorites(m).pinned(), ['profile:prod-admin'], 'and the Unpin command, built per call, sees it too');
    assert.equal(await new Favorites(m).unpin('profile:prod-admin'), true, 'so Unpin finds it');
    assert.deepEqual(f.pinned(), []);
    assert.deepEqual(JSON.parse(m.data.get(FAVORITES_KEY)!), [], 'and the store has the result');
    assert.equal(await f.pin('profile:a'), true);
    assert.equal(await f.pin('profile:b'), true);
    m.data.set(FAVORITES_KEY, JSON.stringify(['profile:a']));
    (m as unknown as { parsed: Map<string, unknown> }).parsed.clear();
    assert.equal(await f.pin('profile:c'), true);
    assert.deepEqual(JSON.parse(m.data.get(FAVORITES_KEY)!), ['profile:a', 'profile:b', 'profile:c'], 'the next write carries the whole list again');
  });

  it('a new window (another store object) reads what was stored', async () => {
    const m = new Memo();
    await new Favorites(m).pin('profile:a');
    const other = new Memo();
    for (const [k, v] of m.data) other.data.set(k, v);
    assert.deepEqual(new Favorites(other).pinned(), ['profile:a']);
  });

  it('role id shapes', () => {
    for (const id of ['profile:dev', 'settings:arn:aws:iam::111111111111:role/x', 'discovered:arn:aws:iam::111111111111:role/a/b', 'org:arn:aws:iam::1:role/x', 'sso:https://d-1.awsapps.com/start:111111111111:Admin']) assert.ok(isRoleId(id), id);
    for (const id of ['', 'profile:', 'dev', 'ASIAxxxx', 'session:abc', 7, null]) assert.ok(!isRoleId(id), String(id));
  });
});

describe('favorites: recents', () => {
  it('newest first, deduplicated, at most 10', async () => {
    const f = new Favorites(new Memo());
    for (let i = 0; i < 12; i++) await f.touch(`profile:r${i}`);
    await f.touch('profile:r5');
    const r = f.recents();
    assert.equal(r.length, MAX_RECENTS);
    assert.equal(r[0], 'profile:r5');
    assert.equal(new Set(r).size, r.length);
    assert.deepEqual(r.slice(1, 3), ['profile:r11', 'profile:r10']);
    assert.deepEqual(f.recents(5), r.slice(0, 5));
    assert.ok(!r.includes('profile:r0') && !r.includes('profile:r1'));
  });

  it('pushRecent', () => {
    assert.deepEqual(pushRecent(['a', 'b', 'c'], 'b'), ['b', 'a', 'c']);
    assert.deepEqual(pushRecent(['a', 'b', 'c'], 'd', 3), ['d', 'a', 'b']);
  });
});

describe('favorites: sections for the QuickPick', () => {
  const ids = Array.from({ length: 8 }, (_, i) => `profile:r${i}`);
  it('favorites in pin order, then recents not pinned, then the rest in order', () => {
    const s = sectionByFavorites(ids, (x) => x, ['profile:r6', 'profile:r2', 'profile:gone'], ['profile:r2', 'profile:r7', 'profile:r0']);
    assert.deepEqual(s.favorites, ['profile:r6', 'profile:r2']);
    assert.deepEqual(s.recent, ['profile:r7', 'profile:r0']);
    assert.deepEqual(s.rest, ['profile:r1', 'profile:r3', 'profile:r4', 'profile:r5']);
  });
  it('nothing pinned or recent: the list as is', () => {
    assert.deepEqual(sectionByFavorites(ids, (x) => x, [], []).rest, ids);
  });
});

describe('tree memory over globalState', () => {
  it('remembers collapse state by group id, records switches as recents, and stores ids only', async () => {
    const m = new Memo();
    const memory = new TreeMemory(m as never, () => 'labelPrefix');
    assert.equal(memory.groupBy(), 'labelPrefix');
    const listeners: Record<string, (e: { element: unknown }) => void> = {};
    const view = {
      onDidCollapseElement: (l: (e: { element: unknown }) => void) => ((listeners.collapse = l), { dispose() {} }),
      onDidExpandElement: (l: (e: { element: unknown }) => void) => ((listeners.expand = l), { dispose() {} }),
    };
    const store = new SessionStore(new FakeClock(Date.UTC(2026, 10, 23, 12, 0, 0)));
    const subs = memory.track(view as never, groupItemId, store);
    listeners.collapse({ element: { kind: 'account', accountId: '222222222222', label: 'x', roles: [] } });
    listeners.collapse({ element: { kind: 'group', id: 'prefix:team', group: 'prefix', label: 'team', roles: [] } });
    listeners.expand({ element: { kind: 'group', id: 'prefix:team', group: 'prefix', label: 'team', roles: [] } });
    listeners.collapse({ element: { kind: 'role', role: role() } });
    assert.equal(memory.remembered('account:222222222222'), 'collapsed');
    assert.equal(memory.remembered('group:prefix:team'), 'expanded');
    assert.equal(memory.remembered('account:111111111111'), undefined);

    // A switch: the role becomes recent, and nothing of the session is stored.
    const s = session({ role: role({ id: 'profile:prod-admin', roleArn: 'arn:aws:iam::222222222222:role/prod-admin' }) });
    store.replace([s]);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(memory.favorites.recents(), ['profile:prod-admin']);
    await memory.favorites.pin('profile:prod-admin');
    assert.deepEqual(memory.pinned(), ['profile:prod-admin']);
    for (const d of subs) d.dispose();

    // The leak scan: every stored value, against the session's secrets and anything key-shaped.
    assert.deepEqual(new Set(m.keys()), new Set([FAVORITES_KEY, RECENTS_KEY, COLLAPSE_KEY]));
    const all = [...m.data.values()].join('\n');
    for (const secret of [s.accessKeyId, s.secretAccessKey, s.sessionToken]) assert.ok(!all.includes(secret), 'a session secret reached globalState');
    assert.doesNotMatch(all, /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/);
    assert.doesNotMatch(all, /[A-Za-z0-9/+]{40}/);
    assert.doesNotMatch(all, /token|secret|signin|https:\/\/signin\./i);
    for (const v of [...m.data.values()].map((x) => JSON.parse(x) as unknown)) {
      const values = Array.isArray(v) ? v : Object.keys(v as object);
      for (const id of values) assert.match(String(id), /^(?:profile|settings|discovered|org|sso):|^(?:account:\d{12}|group:)/);
    }
  });
});

describe('role QuickPick: Favorites, Recent, then the rest', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { rolePickEntries } = require('../../src/host/rolePick') as typeof import('../../src/host/rolePick');
  const roles = ['a', 'b', 'c', 'd', 'e'].map((n) => role({ id: `profile:${n}`, label: n, roleArn: `arn:aws:iam::111111111111:role/${n}`, roleName: n }));
  const shape = (xs: ReturnType<typeof rolePickEntries>) => xs.map((x) => (x.role ? x.label : `[${x.label}]`));

  it('sections under separators; the alias and account ID in the description, the ARN in the detail', () => {
    const items = rolePickEntries({ roles, aliasOf: () => 'acme-dev', pinned: ['profile:d'], recents: ['profile:b', 'profile:d', 'profile:a'], activeId: 'profile:b' });
    assert.deepEqual(shape(items), ['[Favorites]', 'd', '[Recent]', 'b', 'a', '[All roles]', 'c', 'e']);
    assert.ok(items.filter((x) => !x.role).every((x) => x.kind === -1));
    const b = items.find((x) => x.role?.id === 'profile:b')!;
    assert.equal(b.description, 'acme-dev · 111111111111 · active');
    assert.equal(b.detail, 'arn:aws:iam::111111111111:role/b');
  });
  it('no favorites or recents: the plain list, no separators', () => {
    assert.deepEqual(shape(rolePickEntries({ roles, aliasOf: () => undefined })), ['a', 'b', 'c', 'd', 'e']);
  });
});

describe('Pin / Unpin commands and the session menu recents', () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { favoritesCommands } = require('../../src/host/commands/favorites') as typeof import('../../src/host/commands/favorites');
  const { recentMenuItems } = require('../../src/host/rolePick') as typeof import('../../src/host/rolePick');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const roles = Array.from({ length: 8 }, (_, i) => role({ id: `profile:r${i}`, label: `r${i}`, roleArn: `arn:aws:iam::111111111111:role/r${i}`, roleName: `r${i}` }));

  it('pins and unpins the clicked role, refreshing the tree; the menu offers the last 5 recents but the active one', async () => {
    const m = new Memo();
    let refreshed = 0;
    const ctx = { d: { globalState: m, tree: { refresh: () => refreshed++ }, catalog: { roles, find: (id: string) => roles.find((r) => r.id === id) }, store: { current: { role: roles[7] } } } };
    const h = favoritesCommands(ctx as never);
    await h['roleSwitcher.pinRole']({ kind: 'role', role: roles[2] });
    assert.deepEqual(new Favorites(m).pinned(), ['profile:r2']);
    await h['roleSwitcher.unpinRole']({ kind: 'role', role: roles[2] });
    assert.deepEqual(new Favorites(m).pinned(), []);
    assert.equal(refreshed, 2);

    const f = new Favorites(m);
    for (const r of roles) await f.touch(r.id);
    const assumed: string[] = [];
    const items = recentMenuItems(ctx as never, (r) => assumed.push(r.id));
    assert.equal(items[0].label, 'Recent');
    assert.deepEqual(items.slice(1).map((x) => x.label), ['$(history) r6', '$(history) r5', '$(history) r4', '$(history) r3', '$(history) r2']);
    await items[1].run();
    assert.deepEqual(assumed, ['profile:r6']);
  });
});
