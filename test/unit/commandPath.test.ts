// The Assume Role command's hot path (issue 10, point 5): what the user sees is unchanged, but a
// switch no longer redoes work that did not change. Counted, never timed.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AwsModule } from '../../src/aws/lazy';
import type { AwsGateway } from '../../src/core/gateway';
import { FakeClock } from '../../src/core/clock';
import { translateError } from '../../src/core/errorText';
import { Redactor } from '../../src/core/redact';
import { SessionStore } from '../../src/core/session';
import type { Switcher } from '../../src/core/switcher';
import { RoleCatalog } from '../../src/host/catalog';
import { Commands } from '../../src/host/commands';
import { CancelSignal } from '../../src/host/commands/switching';
import { Logger } from '../../src/host/logger';
import { Settings } from '../../src/host/settings';
import { StatusBar } from '../../src/host/statusBar';
import { RoleTreeProvider, type Node } from '../../src/host/tree';
import { wireContextKeys } from '../../src/host/wiring';
import { fake, FakeStatusBarItem } from '../helpers/vscode';
import { session } from '../helpers/builders';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const win = vscode.window as unknown as Mutable<typeof vscode.window>;
const ws = vscode.workspace as unknown as Mutable<typeof vscode.workspace>;

/** Counts assignments to `prop` of `obj` (the value is kept). */
function countWrites(obj: object, prop: string): { n: number } {
  const c = { n: 0 };
  let v = (obj as Record<string, unknown>)[prop];
  Object.defineProperty(obj, prop, {
    get: () => v,
    set: (x) => {
      c.n++;
      v = x;
    },
  });
  return c;
}

describe('command path', () => {
  let dir: string;
  const saved = { ...process.env };
  const disposables: Array<{ dispose(): void }> = [];
  beforeEach(() => {
    fake.reset();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-path-'));
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    fs.writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE, '[default]\naws_access_key_id = AKIAFAKETESTUSER0001\naws_secret_access_key = x\n');
    fs.writeFileSync(
      process.env.AWS_CONFIG_FILE,
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = default\n[profile b]\nrole_arn = arn:aws:iam::111111111111:role/b\nsource_profile = default\n',
    );
  });
  afterEach(() => {
    while (disposables.length) disposables.pop()!.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
    process.env = { ...saved };
  });

  it('Settings reads one configuration snapshot until the configuration changes', () => {
    const real = ws.getConfiguration;
    let calls = 0;
    ws.getConfiguration = ((...a: Parameters<typeof real>) => (calls++, real(...a))) as typeof real;
    try {
      const s = new Settings();
      disposables.push(s);
      void s.region;
      void s.endpointUrl;
      void s.requestTimeoutMs;
      void s.defaultDurationSeconds;
      assert.equal(calls, 1);
      fake.setConfig('region', 'eu-west-1');
      assert.equal(s.region, 'eu-west-1');
      void s.endpointUrl;
      assert.equal(calls, 2);
    } finally {
      ws.getConfiguration = real;
    }
  });

  it('the status bar writes only what changed, and shows the same text as before', () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 12, 0, 0));
    const store = new SessionStore(clock);
    const s = new Settings();
    const bar = new StatusBar(store, s, clock, () => undefined);
    disposables.push(bar, s, { dispose: () => store.dispose() });
    const item = fake.statusItems[0] as FakeStatusBarItem;
    const text = countWrites(item, 'text');
    const tooltip = countWrites(item, 'tooltip');
    bar.render();
    bar.render();
    assert.deepEqual([text.n, tooltip.n], [0, 0]);
    store.replace([session({ accountAlias: 'sandbox' }, clock.now())]);
    assert.equal(item.text, '$(shield) s3-Full-Access · sandbox · 1h');
    bar.render();
    assert.deepEqual([text.n, tooltip.n], [1, 1]);
    clock.advance(56 * 60_000);
    bar.render();
    assert.equal(item.text, '$(shield) s3-Full-Access · sandbox · 4m');
    assert.equal(text.n, 2);
  });

  it('a switch touches only the sessionActive context key, without re-reading the catalog', async () => {
    const s = new Settings();
    const catalog = new RoleCatalog(s, new Logger(new Redactor()).scoped('c'));
    await catalog.reload();
    const store = new SessionStore(new FakeClock(Date.UTC(2026, 10, 23, 12, 0, 0)));
    const view = vscode.window.createTreeView<Node>('roleSwitcher.roles', { treeDataProvider: {} as vscode.TreeDataProvider<Node> });
    disposables.push(...wireContextKeys(catalog, store, view), catalog, s, { dispose: () => store.dispose() });
    let reads = 0;
    const proto = Object.getPrototypeOf(catalog) as object;
    const desc = Object.getOwnPropertyDescriptor(proto, 'hasBaseCredentials')!;
    Object.defineProperty(catalog, 'hasBaseCredentials', { get: () => (reads++, desc.get!.call(catalog)) });
    fake.executed.length = 0;
    store.replace([session({}, Date.UTC(2026, 10, 23, 12, 0, 0))]);
    assert.equal(reads, 0);
    assert.deepEqual(fake.executed.map((e) => e.args), [['roleSwitcher.sessionActive', true]]);
  });

  describe('Assume Role', () => {
    let store: SessionStore;
    let switchTo: (r: unknown, signal?: AbortSignal) => Promise<unknown>;
    beforeEach(async () => {
      const redactor = new Redactor();
      const logger = new Logger(redactor);
      const settings = new Settings();
      store = new SessionStore(new FakeClock(Date.UTC(2026, 10, 23, 12, 0, 0)));
      const catalog = new RoleCatalog(settings, logger.scoped('catalog'));
      await catalog.reload();
      const tree = new RoleTreeProvider(catalog, store, { baseIdentity: () => ({ text: 'Base' }), assumableOnly: () => false });
      const statusBar = new StatusBar(store, settings, new FakeClock(Date.now()), () => undefined);
      const switcher = { switchTo: (r: unknown, sig?: AbortSignal) => switchTo(r, sig), resetCaches() {} } as unknown as Switcher;
      const commands = new Commands({
        catalog, store, settings, statusBar, tree, redactor,
        switcher: () => switcher,
        resetAwsCaches: () => undefined,
        log: logger.scoped('commands'),
        gateway: () => ({}) as AwsGateway,
        aws: () => ({ translateError }) as unknown as AwsModule,
        showLog: () => undefined,
      });
      disposables.push(commands, statusBar, tree, catalog, logger, settings, { dispose: () => store.dispose() });
    });

    it('reuses the QuickPick items of an unchanged role list; only the active role is redrawn', async () => {
      const seen: any[][] = [];
      switchTo = async (r) => {
        const s = session({ role: r as never }, Date.UTC(2026, 10, 23, 12, 0, 0));
        store.replace([s]);
        return { session: s, chain: [s], notices: [] };
      };
      for (let i = 0; i < 3; i++) {
        fake.quickPicks.push((items: any[]) => (seen.push(items), items.find((x) => x.label === 'a')));
        await fake.commands.get('roleSwitcher.assumeRole')!();
      }
      const [first, second, third] = seen;
      assert.deepEqual(first.map((x) => x.description), ['111111111111', '111111111111']);
      assert.deepEqual(second.map((x) => x.description), ['111111111111 · active', '111111111111']);
      assert.equal((second[0].iconPath as vscode.ThemeIcon).id, 'shield');
      assert.equal(second[1], first[1], 'an unchanged item was rebuilt');
      assert.equal(third[1], first[1]);
    });

    it('Cancel aborts the switch through a signal the SDK accepts, and nothing is shown', async () => {
      const real = win.withProgress;
      let cancel: () => void = () => undefined;
      win.withProgress = (async (_o: unknown, task: (p: unknown, t: unknown) => Promise<unknown>) =>
        task({ report() {} }, { isCancellationRequested: false, onCancellationRequested: (l: () => void) => ((cancel = l), { dispose() {} }) })) as never;
      let aborted = 0;
      let signal: AbortSignal | undefined;
      switchTo = (_r, sig) =>
        new Promise((_res, reject) => {
          signal = sig;
          // what the SDK does with a signal that has no addEventListener
          (sig as unknown as CancelSignal).onabort = () => {
            aborted++;
            reject(Object.assign(new Error('Request aborted'), { name: 'CancelledError' }));
          };
        });
      try {
        fake.quickPicks.push((items: any[]) => items[0]);
        const done = fake.commands.get('roleSwitcher.assumeRole')!();
        await new Promise((r) => setImmediate(r));
        assert.equal(signal?.aborted, false);
        assert.ok(signal instanceof CancelSignal, 'a per-switch AbortController is back on the hot path');
        cancel();
        cancel();
        await done;
        assert.equal(signal?.aborted, true);
        assert.equal(aborted, 1);
        assert.deepEqual(fake.messages.filter((m) => m.level === 'error'), []);
      } finally {
        win.withProgress = real;
      }
    });
  });

  it('CancelSignal: abort once, then throwIfAborted throws', () => {
    const c = new CancelSignal();
    let n = 0;
    c.onabort = () => n++;
    c.throwIfAborted();
    c.abort();
    c.abort();
    assert.equal(n, 1);
    assert.throws(() => c.throwIfAborted(), { name: 'CancelledError' });
  });

  it('the log skips (and does not redact) lines below the channel level', () => {
    const real = win.createOutputChannel;
    const lines: string[] = [];
    win.createOutputChannel = (() => ({ logLevel: 3, debug: (m: string) => lines.push(`debug ${m}`), info: (m: string) => lines.push(`info ${m}`), show() {}, dispose() {} })) as never;
    try {
      let redactions = 0;
      const redactor = new Redactor();
      const orig = redactor.redact.bind(redactor);
      redactor.redact = (t: string) => (redactions++, orig(t));
      const log = new Logger(redactor);
      log.write('debug', 'aws', 'sts:AssumeRole ok');
      log.write('info', 'switch', 'switched');
      assert.deepEqual(lines, ['info [switch] switched']);
      assert.equal(redactions, 1);
    } finally {
      win.createOutputChannel = real;
    }
  });
});
