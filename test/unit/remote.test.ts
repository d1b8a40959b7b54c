// Remote development (docs/remote.md): what this machine can check of the UI/remote split without a
// remote. The manifest declares what the doc says, and the host reads the AWS files of the machine its
// extension host runs on (the local one, as a UI extension), never through the workspace's file system.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { RoleCatalog } from '../../src/host/catalog';
import { Logger } from '../../src/host/logger';
import { Settings } from '../../src/host/settings';
import { Redactor } from '../../src/core/redact';
import { remotePlacement } from '../../src/core/remotePlacement';
import { REMOTE_NOTICE_KEY, warnRunningOnRemote } from '../../src/host/remoteNotice';
import { fake, Uri } from '../helpers/vscode';

const ROOT = path.resolve(__dirname, '..', '..');
/** The live node:os module (what the catalog's `os.homedir()` reads), to point the home at a temp dir. */
const liveOs = createRequire(__filename)('node:os') as { homedir: () => string };

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('Remote development: the split this machine can check', () => {
  it('package.json declares the extensionKind docs/remote.md decides, and no web entry', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { extensionKind?: string[]; browser?: string };
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'remote.md'), 'utf8');
    const m = /^Decision: `"extensionKind": (\[[^\]]*\])`/m.exec(doc);
    assert.ok(m, 'docs/remote.md states the decision on a line starting with Decision: `"extensionKind": [...]`');
    assert.deepStrictEqual(pkg.extensionKind, JSON.parse(m[1]));
    assert.deepStrictEqual(pkg.extensionKind, ['ui', 'workspace']);
    assert.equal(pkg.browser, undefined, 'a browser entry would make web clients run it in the web worker, where there is no Node');
  });

  it('placement: local unless the remote host runs it; a word only for desktop VS Code running it remotely', () => {
    assert.deepStrictEqual(remotePlacement({ remoteName: undefined, runsInRemoteHost: false, desktop: true }), { kind: 'local' });
    assert.deepStrictEqual(remotePlacement({ remoteName: 'ssh-remote', runsInRemoteHost: false, desktop: true }), { kind: 'local' });
    assert.deepStrictEqual(remotePlacement({ remoteName: 'codespaces', runsInRemoteHost: true, desktop: false }), { kind: 'web' });
    const p = remotePlacement({ remoteName: 'ssh-remote', runsInRemoteHost: true, desktop: true });
    assert.equal(p.kind, 'remoteOnly');
    assert.match(p.kind === 'remoteOnly' ? p.message : '', /running on the SSH host because it is installed only there.*~\/\.aws.*Install Locally/);
    const other = remotePlacement({ remoteName: 'k8s-container', runsInRemoteHost: true, desktop: true });
    assert.match(other.kind === 'remoteOnly' ? other.message : '', /the remote \(k8s-container\)/);
  });

  it('the remote-only notice: shown once, "Don\'t Show Again" is remembered, "Show Extension" opens it', async () => {
    fake.reset();
    const data = new Map<string, unknown>();
    const state = { get: (k: string) => data.get(k), update: async (k: string, v: unknown) => void data.set(k, v), keys: () => [...data.keys()] };
    const inputs = { remoteName: 'wsl', runsInRemoteHost: true, desktop: true };
    fake.nextMessageChoice = 'Show Extension';
    await warnRunningOnRemote(state as never, inputs);
    assert.equal(fake.messages.length, 1);
    assert.equal(fake.messages[0].level, 'warning');
    assert.deepStrictEqual(fake.messages[0].items, ['Show Extension', "Don't Show Again"]);
    assert.deepStrictEqual(fake.executed.map((e) => [e.id, e.args]), [['workbench.extensions.search', ['@id:role-switcher.role-switcher-aws']]]);
    fake.nextMessageChoice = "Don't Show Again";
    await warnRunningOnRemote(state as never, inputs);
    assert.deepStrictEqual([...data.entries()], [[REMOTE_NOTICE_KEY, true]]);
    await warnRunningOnRemote(state as never, inputs);
    assert.equal(fake.messages.length, 2, 'not shown after "Don\'t Show Again"');
    await warnRunningOnRemote(new Map() as never, { ...inputs, runsInRemoteHost: false });
    assert.equal(fake.messages.length, 2, 'nothing when it runs locally');
  });

  it('no source reads AWS files through vscode.workspace.fs or findFiles (in a remote window those reach the remote)', () => {
    // Allowed: reading a file the user picked in the Open dialog (its URI says which side it is on).
    const allowed: Record<string, RegExp> = { [path.join('src', 'host', 'commands', 'importAccounts.ts')]: /showOpenDialog/ };
    const offenders = sources(path.join(ROOT, 'src'))
      .map((f) => [path.relative(ROOT, f), fs.readFileSync(f, 'utf8')] as const)
      .filter(([rel, text]) => /workspace\s*\.\s*(fs|findFiles)\b/.test(text) && !(allowed[rel]?.test(text)));
    assert.deepStrictEqual(offenders.map(([rel]) => rel), []);
    // The shared files are found from the host's own environment and home, as the SDK does.
    const catalog = fs.readFileSync(path.join(ROOT, 'src', 'host', 'catalog.ts'), 'utf8');
    assert.match(catalog, /awsFilePaths\(process\.env, os\.homedir\(\)\)/);
  });

  describe('the AWS files come from the extension host\'s home, not the workspace', () => {
    const saved = { ...process.env };
    const cwd = process.cwd();
    let dir: string;
    let catalog: RoleCatalog | undefined;
    let logger: Logger | undefined;
    const realHomedir = liveOs.homedir;

    beforeEach(() => {
      fake.reset();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-remote-'));
      for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    });
    afterEach(() => {
      catalog?.dispose();
      logger?.dispose();
      liveOs.homedir = realHomedir;
      process.chdir(cwd);
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('a workspace folder with its own .aws/config (and the cwd inside it) changes nothing', async () => {
      const home = path.join(dir, 'home');
      const workspace = path.join(dir, 'workspace');
      const cfg = (name: string) => `[default]\nregion = us-east-1\n[profile ${name}]\nrole_arn = arn:aws:iam::111111111111:role/${name}\nsource_profile = default\n`;
      fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
      fs.mkdirSync(path.join(workspace, '.aws'), { recursive: true });
      fs.writeFileSync(path.join(home, '.aws', 'config'), cfg('from-home'));
      fs.writeFileSync(path.join(workspace, '.aws', 'config'), cfg('from-workspace'));
      fs.writeFileSync(path.join(workspace, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIAWORKSPACE0000001\naws_secret_access_key = ws\n');
      // (not HOME: another test may have replaced process.env with a plain object, which libuv never sees)
      liveOs.homedir = () => home;
      fake.workspaceFolders = [{ uri: Uri.file(workspace), name: 'workspace', index: 0 }];
      process.chdir(workspace);

      logger = new Logger(new Redactor());
      catalog = new RoleCatalog(new Settings(), logger.scoped('catalog'));
      await catalog.reload();
      assert.deepStrictEqual(catalog.roles.map((r) => r.label), ['from-home'], JSON.stringify({ problems: catalog.problems, paths: catalog.paths }));
      assert.deepStrictEqual(catalog.paths, { config: path.join(home, '.aws', 'config'), credentials: path.join(home, '.aws', 'credentials') });
    });
  });
});
