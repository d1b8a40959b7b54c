// "Prod looks like prod" (issue 13): roleSwitcher.accounts validation and rules (core/accounts.ts), and
// the host: status bar background, tree labels and icons, terminal tab colors, confirm before assuming.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AwsModule } from '../../src/aws/lazy';
import {
  accountTooltipLines,
  confirmMatches,
  confirmText,
  mergeAccounts,
  parseAccounts,
  READ_ONLY_HINT,
  roleColor,
  roleStatusBackground,
  shortAccountId,
  statusBarBackground,
  terminalColor,
  treeIconColor,
} from '../../src/core/accounts';
import { FakeClock } from '../../src/core/clock';
import { translateError } from '../../src/core/errorText';
import type { AwsGateway } from '../../src/core/gateway';
import { Redactor } from '../../src/core/redact';
import { SessionStore } from '../../src/core/session';
import type { Switcher } from '../../src/core/switcher';
import type { RoleDefinition } from '../../src/core/types';
import { AccountStyles } from '../../src/host/accountStyle';
import { accountStylesHolder } from '../../src/host/accountsLoader';
import { RoleCatalog } from '../../src/host/catalog';
import { Commands } from '../../src/host/commands';
import { Logger } from '../../src/host/logger';
import { Settings } from '../../src/host/settings';
import { StatusBar } from '../../src/host/statusBar';
import { RoleTreeProvider, type Node } from '../../src/host/tree';
import { role, session } from '../helpers/builders';
import { fake, window as fakeWindow, type ThemeColor, type ThemeIcon } from '../helpers/vscode';

const PROD = '222222222222';
const DEV = '111111111111';

describe('roleSwitcher.accounts (core)', () => {
  it('keeps valid entries and reports each bad one by its setting key, keeping everything else', () => {
    const c = parseAccounts({
      [PROD]: { label: ' Production ', color: 'red', confirm: true, readOnlyHint: false },
      [DEV]: { label: 'Dev', color: 'green' },
      '12345': { label: 'short id' },
      '333333333333': { label: 'Staging', color: 'pink', confirm: true },
      '444444444444': 'red',
      '555555555555': { confirm: 'yes', readOnlyHint: true },
      confirmByTyping: true,
    });
    assert.deepEqual(c.byId.get(PROD), { label: 'Production', color: 'red', confirm: true, readOnlyHint: false });
    assert.deepEqual(c.byId.get(DEV), { label: 'Dev', color: 'green' });
    // an unknown color drops the color, never the entry's confirm
    assert.deepEqual(c.byId.get('333333333333'), { label: 'Staging', confirm: true });
    assert.deepEqual(c.byId.get('555555555555'), { readOnlyHint: true });
    assert.equal(c.byId.has('12345'), false);
    assert.equal(c.byId.has('444444444444'), false);
    assert.equal(c.problems.length, 4, c.problems.join('\n'));
    assert.match(c.problems[0], /^Setting roleSwitcher\.accounts\["12345"\]: the key must be a 12-digit account ID/);
    assert.match(c.problems[1], /roleSwitcher\.accounts\["333333333333"\]\.color "pink" is not one of red, orange, yellow, green, blue, purple/);
    assert.match(c.problems[2], /roleSwitcher\.accounts\["444444444444"\]: the value must be an object/);
    assert.match(c.problems[3], /roleSwitcher\.accounts\["555555555555"\]\.confirm must be true or false/);
    // the nested confirmByTyping (VS Code folds the dotted sibling setting into the object) is no account and no problem
    assert.ok(!c.problems.some((p) => p.includes('confirmByTyping')));
  });

  it('says so when the setting is not an object at all, and reads nothing', () => {
    assert.deepEqual(parseAccounts(undefined), { byId: new Map(), problems: [] });
    const c = parseAccounts(['222222222222']);
    assert.equal(c.byId.size, 0);
    assert.match(c.problems[0], /roleSwitcher\.accounts must be an object/);
  });

  it('maps colors to the status bar, tree and terminal colors', () => {
    assert.deepEqual(
      (['red', 'orange', 'yellow', 'green', 'blue', 'purple'] as const).map((c) => [c, statusBarBackground(c), treeIconColor(c), terminalColor(c)]),
      [
        ['red', 'statusBarItem.errorBackground', 'charts.red', 'terminal.ansiRed'],
        ['orange', 'statusBarItem.warningBackground', 'charts.orange', 'terminal.ansiBrightRed'],
        ['yellow', 'statusBarItem.warningBackground', 'charts.yellow', 'terminal.ansiYellow'],
        ['green', undefined, 'charts.green', 'terminal.ansiGreen'],
        ['blue', undefined, 'charts.blue', 'terminal.ansiBlue'],
        ['purple', undefined, 'charts.purple', 'terminal.ansiMagenta'],
      ],
    );
    assert.equal(statusBarBackground(undefined), undefined);
  });

  it('a role color wins for icons and tabs; the status bar takes the stronger of role and account', () => {
    assert.deepEqual(roleColor('blue', { color: 'red' }), { name: 'blue' });
    assert.deepEqual(roleColor(undefined, { color: 'red' }), { name: 'red' });
    assert.deepEqual(roleColor('charts.foreground', { color: 'red' }), { themeId: 'charts.foreground' });
    assert.deepEqual(roleColor('#ff0000', { color: 'red' }), { name: 'red' }, 'a hex role color is no theme color: the account decides');
    assert.equal(roleColor(undefined, undefined), undefined);
    assert.equal(roleStatusBackground('green', { color: 'red' }, false), 'statusBarItem.errorBackground', 'a calm role color never hides a red account');
    assert.equal(roleStatusBackground('red', { color: 'yellow' }, false), 'statusBarItem.errorBackground');
    assert.equal(roleStatusBackground(undefined, { color: 'orange' }, false), 'statusBarItem.warningBackground');
    assert.equal(roleStatusBackground(undefined, { color: 'blue' }, true), 'statusBarItem.warningBackground', 'the expiry warning when nothing else applies');
    assert.equal(roleStatusBackground(undefined, { color: 'blue' }, false), undefined);
    assert.equal(roleStatusBackground(undefined, { color: 'red' }, true), 'statusBarItem.errorBackground');
  });

  it('confirm text, typed-word match and tooltip lines', () => {
    assert.equal(confirmText(PROD, { label: 'Production', confirm: true }, 'Admin'), 'You are switching to PRODUCTION (2222…) as Admin');
    assert.equal(confirmText(PROD, { confirm: true }, 'Admin'), 'You are switching to account 222222222222 as Admin');
    assert.equal(shortAccountId('123456789012'), '1234…');
    assert.equal(confirmMatches(' Production ', 'Production'), true);
    assert.equal(confirmMatches('production', 'Production'), false);
    assert.equal(confirmMatches(undefined, 'Production'), false);
    assert.deepEqual(accountTooltipLines(PROD, { label: 'Production', readOnlyHint: true }), [`Account: Production (${PROD})`, READ_ONLY_HINT]);
    assert.deepEqual(accountTooltipLines(PROD, undefined), []);
  });

  it('merges imported entries field by field and lists every change', () => {
    const { value, changes } = mergeAccounts(
      { [PROD]: { label: 'Prod', confirm: true }, '333333333333': { color: 'blue' }, confirmByTyping: true },
      new Map([
        [PROD, { label: 'Production', color: 'red' as const }],
        ['333333333333', { color: 'blue' as const }],
        [DEV, { label: 'dev', color: 'green' as const }],
      ]),
    );
    assert.deepEqual(value, {
      [PROD]: { label: 'Production', confirm: true, color: 'red' },
      '333333333333': { color: 'blue' },
      [DEV]: { label: 'dev', color: 'green' },
    });
    assert.deepEqual(changes, [`update ${PROD}: label "Prod" → "Production", color "red"`, `add ${DEV}: label "dev", color "green"`]);
  });
});

describe('roleSwitcher.accounts (host)', () => {
  let dir: string;
  let store: SessionStore;
  let catalog: RoleCatalog;
  let settings: Settings;
  let logger: Logger;
  let calls: RoleDefinition[];
  const disposables: Array<{ dispose(): void }> = [];
  const saved = { ...process.env };
  const prodRole = role({ roleArn: `arn:aws:iam::${PROD}:role/Admin`, id: 'profile:prod-admin', label: 'Admin' });
  const devRole = role();
  const run = (id: string, ...args: unknown[]) => fake.commands.get(id)!(...args);

  beforeEach(async () => {
    fake.reset();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-acc-'));
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    fs.writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE, '[default]\naws_access_key_id = AKIAFAKETESTUSER0001\naws_secret_access_key = x\n');
    fs.writeFileSync(
      process.env.AWS_CONFIG_FILE,
      `[profile prod-admin]\nrole_arn = arn:aws:iam::${PROD}:role/Admin\nsource_profile = default\n\n[profile s3-Full-Access]\nrole_arn = arn:aws:iam::${DEV}:role/s3-Full-Access\nsource_profile = default\n`,
    );
    logger = new Logger(new Redactor());
    settings = new Settings();
    store = new SessionStore(new FakeClock(Date.now()));
    catalog = new RoleCatalog(settings, logger.scoped('catalog'));
    calls = [];
    disposables.push(logger, catalog);
  });

  afterEach(() => {
    while (disposables.length) disposables.pop()!.dispose();
    store.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  function holder() {
    const h = accountStylesHolder(settings, (line) => logger.write('warn', 'accounts', line));
    disposables.push(h);
    return h;
  }

  function commands(h = holder()) {
    const tree = new RoleTreeProvider(catalog, store, { baseIdentity: () => ({ text: 'Base' }), assumableOnly: () => false, accounts: h.get });
    const statusBar = new StatusBar(store, settings, new FakeClock(Date.now()), () => undefined, h.get);
    const switcher = {
      switchTo: async (r: RoleDefinition) => {
        calls.push(r);
        const s = session({ role: r, expiration: new Date(Date.now() + 3600_000) });
        store.replace([s]);
        return { session: s, notices: [] };
      },
      resetCaches() {},
    } as unknown as Switcher;
    const c = new Commands({
      catalog, store, settings, statusBar, tree, redactor: new Redactor(),
      switcher: () => switcher,
      resetAwsCaches: () => undefined,
      log: logger.scoped('commands'),
      gateway: () => ({}) as AwsGateway,
      aws: () => ({ translateError }) as unknown as AwsModule,
      showLog: () => undefined,
      accounts: h.get,
    });
    disposables.push(c, statusBar, tree);
    return { tree, statusBar };
  }

  it('without any entry, builds nothing and reads the setting once per change', () => {
    let reads = 0;
    const s = Object.create(settings, { hasAccounts: { get: () => (reads++, false) } }) as Settings;
    const h = accountStylesHolder(s, () => undefined);
    disposables.push(h);
    for (let i = 0; i < 5; i++) assert.equal(h.get(), undefined);
    assert.equal(reads, 1);
    fake.setConfig('accounts', {});
    assert.equal(h.get(), undefined);
    assert.equal(reads, 2);
  });

  it('a red account gives the status bar the error background, yellow the warning one, with the tooltip hint', async () => {
    fake.setConfig('accounts', { [PROD]: { label: 'Production', color: 'red', readOnlyHint: true }, [DEV]: { color: 'yellow' } });
    commands();
    const item = fake.statusItems[0];
    const prodSession = session({ role: prodRole, expiration: new Date(Date.now() + 3600_000) });
    store.replace([prodSession]);
    assert.equal((item.backgroundColor as ThemeColor | undefined)?.id, 'statusBarItem.errorBackground');
    assert.match(String(item.tooltip), /Read-only account/);
    assert.match(String(item.tooltip), /Account: Production \(222222222222\)/);
    assert.match((item.accessibilityInformation as { label: string }).label, /^AWS role Admin .*Read-only account/);
    store.replace([prodSession, session({ role: devRole, expiration: new Date(Date.now() + 3600_000) })]);
    assert.equal((item.backgroundColor as ThemeColor | undefined)?.id, 'statusBarItem.warningBackground');
    // the setting changes: the account is no longer colored
    fake.setConfig('accounts', { [DEV]: { color: 'green' } });
    assert.equal(item.backgroundColor, undefined);
    store.pop();
    assert.equal((item.backgroundColor as ThemeColor | undefined)?.id, undefined, 'PROD has no entry now');
  });

  it('the tree uses the account label for the group, colors role icons by account (the role color first), and lists the problems', async () => {
    fake.setConfig('accounts', { [PROD]: { label: 'Production', color: 'red' }, '1234': { color: 'red' } });
    fake.setConfig('roles', [{ roleArn: `arn:aws:iam::${PROD}:role/Deploy`, label: 'Deploy', color: 'blue' }]);
    const { tree } = commands();
    await catalog.reload();
    const top = tree.getChildren();
    const problems = top.filter((n) => n.kind === 'problem').map((n) => tree.getTreeItem(n).label);
    assert.equal(problems.length, 1);
    assert.match(String(problems[0]), /roleSwitcher\.accounts\["1234"\]/);
    const groups = top.filter((n): n is Extract<Node, { kind: 'account' }> => n.kind === 'account');
    const prod = groups.find((g) => g.accountId === PROD)!;
    const groupItem = tree.getTreeItem(prod);
    assert.equal(groupItem.label, `Production (${PROD})`);
    assert.equal((groupItem.iconPath as ThemeIcon).color?.id, 'charts.red');
    const roles = tree.getChildren(prod).map((n) => tree.getTreeItem(n));
    const colors = Object.fromEntries(roles.map((i) => [i.label, (i.iconPath as ThemeIcon).color?.id]));
    assert.deepEqual(colors, { 'prod-admin': 'charts.red', Deploy: 'charts.blue' });
    const dev = groups.find((g) => g.accountId === DEV)!;
    assert.equal(tree.getTreeItem(dev).label, DEV);
    assert.equal((tree.getTreeItem(tree.getChildren(dev)[0]).iconPath as ThemeIcon).color, undefined);
  });

  it('role terminal tabs: the account color as a terminal theme color, the role color first', () => {
    const s = new AccountStyles({ [PROD]: { color: 'red' }, [DEV]: { color: 'orange' } }, false);
    assert.equal(s.terminalColor(prodRole), 'terminal.ansiRed');
    assert.equal(s.terminalColor(devRole), 'terminal.ansiBrightRed');
    assert.equal(s.terminalColor({ ...prodRole, color: 'green' }), 'terminal.ansiGreen');
    assert.equal(s.terminalColor(role({ roleArn: 'arn:aws:iam::999999999999:role/x' })), undefined);
  });

  describe('confirm before assuming', () => {
    let shown: Array<{ text: string; options: unknown; items: unknown[] }>;
    const original = fakeWindow.showWarningMessage;
    beforeEach(() => {
      shown = [];
      fakeWindow.showWarningMessage = (async (text: string, options: unknown, ...items: unknown[]) => {
        shown.push({ text, options, items });
        return original(text, ...(items as string[]));
      }) as typeof original;
    });
    afterEach(() => (fakeWindow.showWarningMessage = original));

    async function withActiveDevSession() {
      await catalog.reload();
      await run('roleSwitcher.assumeItem', { kind: 'role', role: devRole });
      assert.equal(store.current?.role.id, devRole.id);
      calls.length = 0;
      shown.length = 0;
    }

    it('Escape leaves the old session intact, assumes nothing, and logs "cancelled" only', async () => {
      fake.setConfig('accounts', { [PROD]: { label: 'Production', color: 'red', confirm: true, readOnlyHint: true } });
      commands();
      await withActiveDevSession();
      const before = store.current;
      fake.nextMessageChoice = undefined; // Escape
      await run('roleSwitcher.assumeItem', { kind: 'role', role: prodRole });
      assert.equal(shown.length, 1);
      assert.equal(shown[0].text, 'You are switching to PRODUCTION (2222…) as Admin');
      assert.deepEqual(shown[0].items, ['Switch']);
      assert.equal((shown[0].options as { modal?: boolean }).modal, true);
      assert.match((shown[0].options as { detail: string }).detail, /Read-only account/);
      assert.equal(calls.length, 0, 'nothing assumed');
      assert.equal(store.current, before, 'the old session is intact');
      assert.equal(store.depth, 1);
      assert.deepEqual(fake.messages.filter((m) => m.level === 'error' || m.level === 'info'), []);
      assert.ok(fake.logLines.some((l) => /switch to arn:aws:iam::222222222222:role\/Admin cancelled/.test(l)), fake.logLines.join('\n'));
      // the status bar still shows the old role
      assert.match(fake.statusItems[0].text, /s3-Full-Access/);
    });

    it('"Switch" goes ahead; an account without confirm asks nothing', async () => {
      fake.setConfig('accounts', { [PROD]: { label: 'Production', confirm: true }, [DEV]: { label: 'Dev', color: 'green' } });
      commands();
      await withActiveDevSession();
      assert.equal(shown.length, 0, 'no confirmation for an account without confirm');
      fake.nextMessageChoice = 'Switch';
      await run('roleSwitcher.assumeItem', { kind: 'role', role: prodRole });
      assert.deepEqual(calls.map((r) => r.id), [prodRole.id]);
      assert.equal(store.current?.role.id, prodRole.id);
    });

    it('chaining from the session menu asks too', async () => {
      fake.setConfig('accounts', { [PROD]: { confirm: true } });
      commands();
      await withActiveDevSession();
      fake.quickPicks.push((items: Array<{ label: string }>) => items.find((i) => /Chain/.test(i.label)));
      fake.quickPicks.push((items: Array<{ role: RoleDefinition }>) => items.find((i) => i.role.accountId === PROD));
      await run('roleSwitcher.sessionMenu');
      assert.equal(shown.length, 1);
      assert.equal(shown[0].text, `You are switching to account ${PROD} as prod-admin`);
      assert.equal(calls.length, 0);
      assert.equal(store.current?.role.id, devRole.id);
    });

    it('with confirmByTyping, only the exact label switches', async () => {
      fake.setConfig('accounts', { [PROD]: { label: 'Production', confirm: true } });
      fake.setConfig('accounts.confirmByTyping', true);
      commands();
      await withActiveDevSession();
      fake.inputs.push('production');
      await run('roleSwitcher.assumeItem', { kind: 'role', role: prodRole });
      assert.deepEqual(fake.validations, ['Type Production exactly to switch, or press Escape to cancel']);
      assert.equal(calls.length, 0);
      assert.equal(store.current?.role.id, devRole.id);
      fake.inputs.push(undefined); // Escape
      await run('roleSwitcher.assumeItem', { kind: 'role', role: prodRole });
      assert.equal(calls.length, 0);
      assert.equal(shown.length, 0, 'no modal with confirmByTyping');
      fake.inputs.push('Production');
      await run('roleSwitcher.assumeItem', { kind: 'role', role: prodRole });
      assert.deepEqual(calls.map((r) => r.id), [prodRole.id]);
    });
  });
});
