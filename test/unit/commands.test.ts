// Command handlers against the vscode fake: Add/Remove Role, copy commands, error reporting.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AwsModule } from '../../src/aws/lazy';
import type { AwsGateway } from '../../src/core/gateway';
import { FakeClock } from '../../src/core/clock';
import { translateError } from '../../src/core/errorText';
import { Redactor } from '../../src/core/redact';
import { SessionStore } from '../../src/core/session';
import { HopError, type Switcher } from '../../src/core/switcher';
import { RoleCatalog } from '../../src/host/catalog';
import { Commands } from '../../src/host/commands';
import { Logger } from '../../src/host/logger';
import { Settings } from '../../src/host/settings';
import { StatusBar } from '../../src/host/statusBar';
import { RoleTreeProvider } from '../../src/host/tree';
import { fake } from '../helpers/vscode';
import { role, session } from '../helpers/builders';

describe('Commands', () => {
  let dir: string;
  let store: SessionStore;
  let catalog: RoleCatalog;
  let switchTo: (r: unknown) => Promise<unknown>;
  const disposables: Array<{ dispose(): void }> = [];
  const saved = { ...process.env };
  const run = (id: string, ...args: unknown[]) => fake.commands.get(id)!(...args);

  beforeEach(async () => {
    fake.reset();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-cmd-'));
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    fs.writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE, '[default]\naws_access_key_id = AKIAFAKETESTUSER0001\naws_secret_access_key = x\n');
    const redactor = new Redactor();
    const logger = new Logger(redactor);
    const settings = new Settings();
    store = new SessionStore(new FakeClock(Date.now()));
    catalog = new RoleCatalog(settings, logger.scoped('catalog'));
    await catalog.reload();
    const tree = new RoleTreeProvider(catalog, store, { baseIdentity: () => ({ text: 'Base' }), assumableOnly: () => false });
    const statusBar = new StatusBar(store, settings, new FakeClock(Date.now()), () => undefined);
    switchTo = async () => {
      throw new Error('not scripted');
    };
    const switcher = { switchTo: (r: unknown) => switchTo(r), switchBack: async () => store.pop(), resetCaches() {} } as unknown as Switcher;
    const aws = { translateError } as unknown as AwsModule;
    const commands = new Commands({
      catalog, store, settings, statusBar, tree, redactor,
      switcher: () => switcher,
      resetAwsCaches: () => undefined,
      log: logger.scoped('commands'),
      gateway: () => ({}) as AwsGateway,
      aws: () => aws,
      showLog: () => undefined,
    });
    disposables.push(commands, statusBar, tree, catalog, logger);
  });

  afterEach(() => {
    while (disposables.length) disposables.pop()!.dispose();
    store.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it('Add Role saves a validated role to user settings, and the catalog lists it', async () => {
    fake.inputs.push('111111111111', 'team/deploy', 'Deploy');
    fake.quickPicks.push((items: string[]) => items.find((i) => i === 'green'));
    await run('roleSwitcher.addRole');
    assert.deepEqual(fake.validations, []);
    assert.deepEqual(fake.messages.filter((m) => m.level !== 'info'), []);
    assert.deepEqual(fake.config.get('roles'), [{ roleArn: 'arn:aws:iam::111111111111:role/team/deploy', label: 'Deploy', color: 'green' }]);
    await catalog.reload();
    assert.deepEqual(catalog.roles.map((r) => [r.label, r.origin, r.roleArn]), [['Deploy', 'settings', 'arn:aws:iam::111111111111:role/team/deploy']]);
  });

  it('Add Role rejects a bad account id as you type and saves nothing', async () => {
    fake.inputs.push('12345');
    await run('roleSwitcher.addRole');
    assert.equal(fake.validations.length, 1);
    assert.match(fake.validations[0], /12 digits|alias/i);
    assert.equal(fake.config.get('roles'), undefined);
  });

  it('Remove deletes only that settings role, after confirmation', async () => {
    fake.config.set('roles', [{ roleArn: 'arn:aws:iam::111111111111:role/a' }, { roleArn: 'arn:aws:iam::111111111111:role/b' }]);
    await catalog.reload();
    const a = catalog.roles.find((r) => r.roleArn.endsWith('/a'))!;
    fake.nextMessageChoice = 'Remove';
    await run('roleSwitcher.removeRole', { kind: 'role', role: a });
    assert.deepEqual(fake.config.get('roles'), [{ roleArn: 'arn:aws:iam::111111111111:role/b' }]);
  });

  it('Copy ARN and Copy Credentials put text on the clipboard', async () => {
    await run('roleSwitcher.copyArn', { kind: 'role', role: role() });
    assert.equal(fake.clipboard, 'arn:aws:iam::111111111111:role/s3-Full-Access');
    const s = session({}, Date.now());
    store.replace([s]);
    fake.quickPicks.push((items: Array<{ id: string }>) => items.find((i) => i.id === 'posix')); // a QuickPick of formats since issue 13
    await run('roleSwitcher.copyCredentials');
    assert.match(fake.clipboard, new RegExp(`^export AWS_ACCESS_KEY_ID='${s.accessKeyId}'`));
    assert.ok(fake.clipboard.includes(`export AWS_SESSION_TOKEN='${s.sessionToken}'`));
  });

  it('AccessDenied names both conditions, offers Explain and Copy Caller ARN, and redacts secrets', async () => {
    const leaked = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    switchTo = async () => {
      throw new HopError({ index: 0, count: 1, roleArn: role().roleArn }, Object.assign(new Error(`denied ${leaked}`), { name: 'AccessDenied' }), 'arn:aws:iam::111111111111:user/test-user');
    };
    await run('roleSwitcher.assumeItem', { kind: 'role', role: role() });
    const err = fake.messages.find((m) => m.level === 'error')!;
    assert.match(err.text, /sts:AssumeRole/);
    assert.match(err.text, /trust policy/);
    assert.deepEqual(err.items, ['Explain', 'Copy Caller ARN']);
    assert.ok(!fake.messages.some((m) => m.text.includes(leaked)));
    assert.ok(!fake.logLines.some((l) => l.includes(leaked)), 'the log is redacted too');
  });

  it('a cancelled assume shows nothing', async () => {
    switchTo = async () => {
      throw Object.assign(new Error('Cancelled'), { name: 'CancelledError' });
    };
    await run('roleSwitcher.assumeItem', { kind: 'role', role: role() });
    assert.deepEqual(fake.messages.filter((m) => m.level === 'error'), []);
  });

  it('the catalog refreshes on its own when the role settings change', async () => {
    const changed = new Promise<void>((resolve) => catalog.onDidChange(() => resolve()));
    fake.setConfig('roles', [{ accountId: '222222222222', roleName: 'auditor', label: 'Audit' }]);
    await changed;
    assert.deepEqual(catalog.roles.map((r) => r.roleArn), ['arn:aws:iam::222222222222:role/auditor']);
  });

  it('the Assume Role QuickPick shows the same verdict words and icons as the tree', async () => {
    catalog.addDiscovered([
      role({ id: 'discovered:a', origin: 'discovered', roleArn: 'arn:aws:iam::111111111111:role/a', verdict: { kind: 'needsPermission', reason: 'R.', trustedVia: 'account' } }),
      role({ id: 'discovered:b', origin: 'discovered', roleArn: 'arn:aws:iam::111111111111:role/b', verdict: { kind: 'undecidable', reason: 'R.', dependsOn: 'aws:SourceIp' } }),
    ]);
    let shown: Array<{ label: string; description?: string; iconPath?: { id: string } }> = [];
    fake.quickPicks.push((items: typeof shown) => {
      shown = items;
      return undefined;
    });
    await run('roleSwitcher.assumeRole');
    assert.deepEqual(shown.map((i) => [i.label, i.description, i.iconPath?.id]), [
      ['a', "111111111111 · trusted via account — needs your IAM permission", 'law'],
      ['b', "111111111111 · can't tell: depends on aws:SourceIp", 'question'],
    ]);
  });

  it('Switch Back without a session says so instead of failing', async () => {
    await run('roleSwitcher.switchBack');
    assert.match(fake.messages[0].text, /already using your base identity/);
  });
});

describe('Commands: ids registered at activation', () => {
  it('COMMAND_IDS are exactly the handlers dist/features.js provides, and every contributed command', async () => {
    const { COMMAND_IDS, Commands: C } = await import('../../src/host/commands');
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(require.resolve('../../package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string }> } };
    const handlers = Object.keys((C.prototype.handlers as () => Record<string, unknown>).call({ ctx: {}, table: undefined })).sort();
    assert.deepStrictEqual([...COMMAND_IDS].sort(), handlers);
    assert.deepStrictEqual(pkg.contributes.commands.map((c) => c.command).filter((id) => !(COMMAND_IDS as readonly string[]).includes(id)), []);
  });
});
