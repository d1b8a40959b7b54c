// The Roles view: catalog (real config files in a temp dir) -> tree rows, via the vscode fake.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { FakeClock } from '../../src/core/clock';
import { SessionStore } from '../../src/core/session';
import { RoleCatalog } from '../../src/host/catalog';
import { Logger } from '../../src/host/logger';
import { Settings } from '../../src/host/settings';
import { RoleTreeProvider, type Node } from '../../src/host/tree';
import { Redactor } from '../../src/core/redact';
import { fake } from '../helpers/vscode';
import { session } from '../helpers/builders';

const CONFIG = `[default]
region = us-east-1

[profile s3-Full-Access]
role_arn = arn:aws:iam::111111111111:role/s3-Full-Access
source_profile = default

[profile cross-account-readonly]
role_arn = arn:aws:iam::222222222222:role/cross-account-readonly
source_profile = default

[profile chained-deploy]
role_arn = arn:aws:iam::222222222222:role/chained-deploy
source_profile = s3-Full-Access
`;
const CREDENTIALS = `[default]
aws_access_key_id = AKIAFAKETESTUSER0001
aws_secret_access_key = fakeTestUserSecretKeyForLocalFakeAws0001
`;

describe('RoleTreeProvider', () => {
  let dir: string;
  let catalog: RoleCatalog;
  let store: SessionStore;
  let tree: RoleTreeProvider;
  const saved = { ...process.env };

  async function setup(config: string | undefined, credentials: string | undefined) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-tree-'));
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    if (config !== undefined) fs.writeFileSync(process.env.AWS_CONFIG_FILE, config);
    if (credentials !== undefined) fs.writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE, credentials);
    const logger = new Logger(new Redactor());
    catalog = new RoleCatalog(new Settings(), logger.scoped('t'));
    store = new SessionStore(new FakeClock(Date.now()));
    tree = new RoleTreeProvider(catalog, store, { baseIdentity: () => ({ text: 'Base: profile default' }), assumableOnly: () => false });
    await catalog.reload();
  }

  beforeEach(() => fake.reset());
  afterEach(() => {
    tree.dispose();
    catalog.dispose();
    store.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  const labels = (nodes: Node[]) => nodes.map((n) => (tree.getTreeItem(n) as vscode.TreeItem).label);

  it('groups the profile roles by account, below the base identity', async () => {
    await setup(CONFIG, CREDENTIALS);
    const root = tree.getChildren();
    assert.deepEqual(labels(root), ['Base: profile default', '111111111111', '222222222222']);
    const second = root[2];
    assert.deepEqual(labels(tree.getChildren(second)), ['chained-deploy', 'cross-account-readonly']);
    const item = tree.getTreeItem(tree.getChildren(root[1])[0]);
    assert.equal(item.contextValue, 'role.profile');
    assert.equal(item.command?.command, 'roleSwitcher.assumeItem');
    assert.match(String((item.tooltip as vscode.MarkdownString).value), /arn:aws:iam::111111111111:role\/s3-Full-Access/);
    assert.match(item.accessibilityInformation!.label, /s3-Full-Access, role s3-Full-Access in account 111111111111/);
  });

  it('uses account aliases when known', async () => {
    await setup(CONFIG, CREDENTIALS);
    catalog.aliases.set('111111111111', 'seeds-sandbox');
    assert.ok(labels(tree.getChildren()).includes('seeds-sandbox (111111111111)'));
  });

  it('marks the active role', async () => {
    await setup(CONFIG, CREDENTIALS);
    const role = catalog.roles.find((r) => r.label === 's3-Full-Access')!;
    store.replace([session({ role }, Date.now())]);
    const item = tree.getTreeItem({ kind: 'role', role });
    assert.equal(item.contextValue, 'role.profile.active');
    assert.match(String(item.description), /active/);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'shield');
  });

  it('shows verdict words and icons a person can act on, never "unknown"', async () => {
    await setup(CONFIG, CREDENTIALS);
    const base = catalog.roles.find((r) => r.label === 's3-Full-Access')!;
    const row = (verdict: NonNullable<typeof base.verdict>) => {
      const item = tree.getTreeItem({ kind: 'role', role: { ...base, verdict } });
      return {
        description: String(item.description),
        icon: (item.iconPath as vscode.ThemeIcon).id,
        tooltip: String((item.tooltip as vscode.MarkdownString).value),
        a11y: item.accessibilityInformation!.label,
      };
    };
    const perm = row({ kind: 'needsPermission', reason: 'Statement 1 trusts your account.', trustedVia: 'account' });
    assert.equal(perm.description, 'trusted via account — needs your IAM permission');
    assert.equal(perm.icon, 'law');
    assert.match(perm.tooltip, /trusted via account — needs your IAM permission: Statement 1 trusts your account/);
    const cant = row({ kind: 'undecidable', reason: 'Statement 1 depends on aws:SourceIp.', dependsOn: 'aws:SourceIp' });
    assert.equal(cant.description, "can't tell: depends on aws:SourceIp");
    assert.equal(cant.icon, 'question');
    assert.match(cant.a11y, /can't tell: depends on aws:SourceIp/);
    for (const r of [perm, cant]) assert.doesNotMatch(JSON.stringify(r), /unknown/i);
  });

  it('returns no rows without roles, so the welcome view shows', async () => {
    await setup(undefined, undefined);
    assert.deepEqual(tree.getChildren(), []);
    assert.equal(catalog.hasBaseCredentials, false);
  });

  it('shows a config problem with its file and line, and still lists the good roles', async () => {
    await setup(CONFIG + '\nthis line is not ini\n[profile bad]\nrole_arn = arn:aws:iam::12:role/x\nsource_profile = default\n', CREDENTIALS);
    const root = tree.getChildren();
    const problems = root.filter((n) => n.kind === 'problem');
    assert.ok(problems.length >= 2, JSON.stringify(labels(problems)));
    const first = tree.getTreeItem(problems[0]);
    assert.match(String(first.label), /line \d+/);
    assert.equal(first.command?.command, 'roleSwitcher.openConfig');
    assert.ok(root.some((n) => n.kind === 'account' && n.accountId === '111111111111'));
  });

  it('reports a config file turned to garbage, and keeps the active session', async () => {
    await setup(CONFIG, CREDENTIALS);
    const role = catalog.roles.find((r) => r.label === 's3-Full-Access')!;
    const active = session({ role }, Date.now());
    store.replace([active]);
    fs.writeFileSync(process.env.AWS_CONFIG_FILE!, '\u0000\u0001[[[');
    await catalog.reload();
    assert.ok(catalog.problems.length > 0);
    assert.match(catalog.problems[0].message, /line 1/);
    assert.equal(store.current, active);
  });
});
