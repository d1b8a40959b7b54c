// What activation carries (dist/extension.js, 60,000-byte budget) and what only loads with dist/features.js
// when its feature is in use: the roleSwitcher.roles validation, a session's status-bar model, the tree's
// memory (favorites, recents, collapse state), Favorites / grouping rows and the debug launch merge.
// Each moved piece still works through its activation-side stand-in.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { FakeClock } from '../../src/core/clock';
import { FAVORITES_KEY, Favorites, RECENTS_KEY } from '../../src/core/favorites';
import { loadFeatures } from '../../src/host/featuresLoader';
import { Redactor } from '../../src/core/redact';
import { SessionStore } from '../../src/core/session';
import { RoleCatalog } from '../../src/host/catalog';
import { LazyTreeMemory } from '../../src/host/lazyTreeMemory';
import { Logger } from '../../src/host/logger';
import { Settings } from '../../src/host/settings';
import { StatusBar } from '../../src/host/statusBar';
import { COLLAPSE_KEY, groupItemId } from '../../src/host/treeMemory';
import { role, session } from '../helpers/builders';
import { fake } from '../helpers/vscode';

const root = path.resolve(__dirname, '..', '..');

/** A Memento that keeps values as JSON, as globalState does. */
class Memo {
  readonly data = new Map<string, string>();
  get(key: string): unknown {
    return this.data.has(key) ? JSON.parse(this.data.get(key)!) : undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    this.data.set(key, JSON.stringify(value));
    return Promise.resolve();
  }
  keys(): readonly string[] {
    return [...this.data.keys()];
  }
  setKeysForSync(): void {}
}

function fakeView() {
  const listeners: Record<string, (e: { element: unknown }) => void> = {};
  const view = {
    onDidCollapseElement: (l: (e: { element: unknown }) => void) => ((listeners.collapse = l), { dispose() {} }),
    onDidExpandElement: (l: (e: { element: unknown }) => void) => ((listeners.expand = l), { dispose() {} }),
  };
  return { view, listeners };
}

describe('activation bundle: what loads only when its feature is in use', function () {
  this.timeout(60_000);

  describe('dist/extension.js (built in memory, dist/ untouched)', () => {
    let text = '';
    let inputs: string[] = [];
    before(async () => {
      const r = await esbuild.build({
        absWorkingDir: root, bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, metafile: true, write: false,
        legalComments: 'none', mainFields: ['module', 'main'], logLevel: 'silent',
        entryPoints: { extension: 'src/extension.ts' }, outdir: path.join(os.tmpdir(), 'rs-activation-lazy'), external: ['vscode', './aws.js'],
      });
      text = r.outputFiles.find((f) => f.path.endsWith('extension.js'))!.text;
      const out = Object.values(r.metafile.outputs).find((o) => o.entryPoint)!;
      inputs = Object.entries(out.inputs).filter(([, v]) => v.bytesInOutput > 0).map(([k]) => k);
    });

    it('carries none of the moved code', () => {
      for (const marker of [
        'each role must be an object', // core/roles.ts settingsRole (roleSwitcher.roles validation)
        'Chained session: assumed with a role session', // core/statusModel.ts, a session's tooltip
        'Pinned roles (right-click a role', // host/treeArrange.ts groupItem
        'sets its own AWS identity in env', // host/debugMerge.ts
        'roleSwitcher.recents', // core/favorites.ts recents (host/treeMemory.ts TreeMemory)
      ]) assert.ok(!text.includes(marker), `dist/extension.js contains "${marker}"`);
      assert.deepStrictEqual(inputs.filter((i) => /src\/(core\/roleTerminal|core\/terminalEnv|host\/debugMerge|host\/treeArrange)\.ts$/.test(i)), []);
    });

    it('still carries what the first paint needs', () => {
      for (const marker of ['AWS: base identity', 'No base credentials found', 'roleSwitcher.favorites', 'roleSwitcher.tree.collapsed']) {
        assert.ok(text.includes(marker), `dist/extension.js lacks "${marker}"`);
      }
    });
  });

  describe('LazyTreeMemory', () => {
    it('answers as an empty memory with nothing stored, then remembers collapse state and recents like TreeMemory', async () => {
      const m = new Memo();
      const memory = new LazyTreeMemory(m as never, () => 'labelPrefix');
      assert.equal(memory.groupBy(), 'labelPrefix');
      assert.deepEqual(memory.pinned(), []);
      assert.equal(memory.remembered('account:222222222222'), undefined);
      assert.deepEqual(m.keys(), [], 'reading writes nothing');

      const { view, listeners } = fakeView();
      const store = new SessionStore(new FakeClock(Date.UTC(2026, 10, 23, 12, 0, 0)));
      const subs = memory.track(view as never, groupItemId, store);
      listeners.collapse({ element: { kind: 'account', accountId: '222222222222', label: 'x', roles: [] } });
      listeners.expand({ element: { kind: 'group', id: 'prefix:team', group: 'prefix', label: 'team', roles: [] } });
      listeners.collapse({ element: { kind: 'role', role: role() } });
      assert.equal(memory.remembered('account:222222222222'), 'collapsed');
      assert.equal(memory.remembered('group:prefix:team'), 'expanded');
      assert.equal(memory.remembered('account:111111111111'), undefined);

      store.replace([session({ role: role({ id: 'profile:prod-admin', roleArn: 'arn:aws:iam::222222222222:role/prod-admin' }) })]);
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(m.get(RECENTS_KEY), ['profile:prod-admin']);
      assert.deepEqual(new Set(m.keys()), new Set([COLLAPSE_KEY, RECENTS_KEY]));
      for (const d of subs) d.dispose();
      store.dispose();
    });

    it('shows a pin made in this window (by the Pin command) even when the store reads back older before the full memory is built', async () => {
      const m = new Memo();
      // The Pin command runs in dist/features.js, so that bundle is loaded when a pin exists.
      loadFeatures();
      await new Favorites(m).pin('profile:a');
      const memory = new LazyTreeMemory(m as never, () => undefined);
      m.data.delete(FAVORITES_KEY); // VS Code's storage echo from before the update
      assert.deepEqual(memory.pinned(), ['profile:a']);
    });

    it("reads a previous window's favorites and collapse state before any event", async () => {
      const m = new Memo();
      await m.update(FAVORITES_KEY, ['profile:a', 'settings:arn:aws:iam::111111111111:role/B', 'not a role id']);
      await m.update(COLLAPSE_KEY, { 'account:111111111111': 'c' });
      const memory = new LazyTreeMemory(m as never, () => undefined);
      assert.deepEqual(memory.pinned(), ['profile:a', 'settings:arn:aws:iam::111111111111:role/B']);
      assert.equal(memory.remembered('account:111111111111'), 'collapsed');
      assert.equal(memory.groupBy(), 'account');
    });
  });

  describe('stand-ins', () => {
    const saved = { ...process.env };
    let dir = '';
    beforeEach(() => {
      fake.reset();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-lazy-'));
      for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
      process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
      process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    });
    afterEach(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    });

    it('the catalog validates roleSwitcher.roles when it lists roles, and reports a bad one', async () => {
      fake.setConfig('roles', [{ roleArn: 'arn:aws:iam::123456789012:role/Admin', label: 'Admin' }, 'not an object']);
      const catalog = new RoleCatalog(new Settings(), new Logger(new Redactor()).scoped('t'));
      await catalog.reload();
      assert.deepEqual(catalog.roles.map((r) => [r.id, r.label]), [['settings:arn:aws:iam::123456789012:role/Admin', 'Admin']]);
      assert.equal(catalog.problems.length, 1);
      assert.match(catalog.problems[0].message, /^Setting roleSwitcher\.roles: item 2: each role must be an object/);
      catalog.dispose();
    });

    it('the status bar shows the base identity without a session and the full session model with one', () => {
      const now = Date.UTC(2026, 10, 23, 12, 0, 0);
      const store = new SessionStore(new FakeClock(now));
      const bar = new StatusBar(store, new Settings(), new FakeClock(now), () => 'profile default');
      assert.equal(bar.model().text, '$(account) AWS: base identity');
      assert.match(bar.model().tooltip, /AWS calls use profile default/);
      const s = session({ chained: true }, now);
      store.replace([s]);
      const m = bar.model();
      assert.match(m.text, new RegExp(`^\\$\\(shield\\) ${s.role.label} · `));
      assert.match(m.tooltip, /Chained session: assumed with a role session/);
      bar.dispose();
      store.dispose();
    });
  });
});
