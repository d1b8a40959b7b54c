// Remote development (issue 13, docs/remote.md "What runs here"), in code-server + Chromium.
//
// code-server is itself a remote setup: the workbench runs in the browser, and the only Node extension
// host runs on the server next to the files and the terminals. The browser has a second extension host,
// a web worker, which is the UI side of this window. What this proves:
// 1. an environment-variable collection set by an extension in the UI-side host (a small web-worker
//    probe) reaches a terminal that the server starts: VS Code merges every host's collection in the
//    workbench and sends them with the remote terminal's creation. That is the path by which a UI
//    extension's session credentials reach remote terminals on SSH/WSL/Dev Containers/Codespaces;
// 2. Role Switcher, declared `"extensionKind": ["ui", "workspace"]`, runs in a web client (code-server, a
//    Codespace in the browser), in the server's host, and its collection reaches the same terminal;
// 3. why not `["ui"]` alone: a copy declared so is disabled in a web client (the workbench's
//    `_isDisabledByExtensionKind`: a `ui` extension is enabled only where it is installed locally).
// What it cannot prove (no desktop VS Code, no SSH/WSL/containers here): the desktop split itself, where
// Role Switcher runs in the local Node host; docs/remote.md has the manual test plan for that.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Instance, log, repoRoot, sleep } from './harness';

const OURS = 'role-switcher.role-switcher-aws';

/** A web-only extension (a `browser` entry, no `main`): VS Code runs it in the browser's web-worker host. */
function writeProbe(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rs-remote-probe-'));
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'remote-probe', publisher: 'rs-test', version: '0.0.1', displayName: 'Remote probe (test)',
    engines: { vscode: '^1.80.0' }, browser: './dist/probe.js', activationEvents: ['onStartupFinished'],
  }, null, 2));
  writeFileSync(join(dir, 'dist', 'probe.js'), `
const vscode = require('vscode');
exports.activate = function (context) {
  const ours = vscode.extensions.getExtension(${JSON.stringify(OURS)});
  const self = vscode.extensions.getExtension('rs-test.remote-probe');
  const seen = {
    probeKind: self ? self.extensionKind : null,
    // extensions of other hosts are not listed here (getExtension sees this host's only)
    oursListed: !!ours,
    remoteName: vscode.env.remoteName === undefined ? null : vscode.env.remoteName,
    uiKind: vscode.env.uiKind,
  };
  const c = context.environmentVariableCollection;
  c.persistent = false;
  c.replace('RS_UI_PROBE', 'set-by-the-ui-side');
  c.replace('RS_UI_PROBE_SEES', JSON.stringify(seen));
};
exports.deactivate = function () {};
`);
  return dir;
}

/** Waits until the server's extension host has started its eager extensions (its log says so). */
async function serverHostReady(inst: Instance, timeoutMs = 90_000): Promise<void> {
  const logs = join(inst.userDataDir, 'logs');
  const end = Date.now() + timeoutMs;
  for (;;) {
    const dirs = existsSync(logs) ? readdirSync(logs) : [];
    const ready = dirs.some((d) => {
      const f = join(logs, d, 'exthost1', 'remoteexthost.log');
      return existsSync(f) && readFileSync(f, 'utf8').includes('Eager extensions activated');
    });
    if (ready) return;
    if (Date.now() > end) throw new Error(`the server's extension host did not finish starting in ${timeoutMs} ms`);
    await sleep(500);
  }
}

/** The server's extension-host processes (argv carries --type=extensionHost), for the log. */
function serverExtensionHosts(): string[] {
  try {
    return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n').filter((l) => /--type=extensionHost/.test(l));
  } catch {
    return [];
  }
}

describe('Role Switcher E2E: remote development (UI side and server side)', function () {
  let inst: Instance | undefined;
  let probe: string;

  before(async function () {
    probe = writeProbe();
    inst = await Instance.start({ name: 'remote', aws: 'seeds', extraExtensions: [probe] });
  });
  after(async () => {
    await inst?.close();
    rmSync(probe, { recursive: true, force: true });
  });
  afterEach(async function () {
    const t = this.currentTest;
    if (t && t.state === 'failed' && inst) await inst.saveFailure(`remote-${t.title.replace(/[^\w]+/g, '-').slice(0, 40)}`);
  });

  it('remote: a UI-side collection reaches a server terminal, and Role Switcher runs in the server host of a web client', async () => {
    const i = inst!;
    await serverHostReady(i);
    await i.openRoleSwitcherView(); // Role Switcher runs (in the server's host)
    // The probe activates on startup finished; a terminal opened before that lacks its variables.
    let seen: Record<string, unknown> | undefined;
    let out = '';
    for (let k = 0; k < 10 && !seen; k++) {
      ({ out } = await i.terminalRun(`printf '%s\\n' "probe=$RS_UI_PROBE"; printf '%s\\n' "sees=$RS_UI_PROBE_SEES"`));
      const m = /^sees=(\{.*\})$/m.exec(out);
      if (m) seen = JSON.parse(m[1]) as Record<string, unknown>;
      else await sleep(1000);
    }
    assert.ok(seen, `the UI-side probe's variables never reached a terminal; last output: ${out}`);
    assert.match(out, /^probe=set-by-the-ui-side$/m);
    log(`probe sees ${JSON.stringify(seen)}; server extension hosts: ${serverExtensionHosts().length}`);
    assert.equal(seen.probeKind, 1, 'the probe runs in the UI-side (web worker) host: ExtensionKind.UI');
    assert.equal(seen.oursListed, false, 'Role Switcher runs in another extension host than the probe (the server one)');
    assert.equal(typeof seen.remoteName, 'string', 'code-server windows are remote windows');

    // Role Switcher's own collection (server side) and the probe's (UI side) merge into one terminal.
    await i.openRoleSwitcherView();
    const row = i.roleRow('s3-Full-Access');
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click();
    await i.roleStatus().filter({ hasText: 's3-Full-Access' }).waitFor({ state: 'visible', timeout: 30_000 });
    await i.killTerminals();
    const both = await i.terminalRun(`printf '%s\\n' "probe=$RS_UI_PROBE"; printf '%s\\n' "key=\${AWS_ACCESS_KEY_ID:0:4}"`);
    assert.match(both.out, /^probe=set-by-the-ui-side$/m);
    assert.match(both.out, /^key=ASIA$/m, 'the session reached the terminal through Role Switcher\'s collection');
    await i.shot('remote-01-both-collections');
  });
});

/** The built extension with another extensionKind, in a temp folder. */
function extensionWithKind(kind: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'rs-remote-kind-'));
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, extensionKind: kind }, null, 2));
  for (const d of ['dist', 'media']) cpSync(join(repoRoot, d), join(dir, d), { recursive: true });
  return dir;
}

describe('Role Switcher E2E: remote development, why not ["ui"] alone', function () {
  let inst: Instance | undefined;
  let folder: string;
  before(async function () {
    folder = extensionWithKind(['ui']);
    inst = await Instance.start({ name: 'remote-ui-only', aws: 'seeds', extension: { folder } });
  });
  after(async () => {
    await inst?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('remote: declared ["ui"] only, the extension is disabled in a web client; as shipped it runs (previous test)', async () => {
    const i = inst!;
    // Once the server's host has started, every enabled extension's contributions are registered.
    await serverHostReady(i);
    await i.page.locator('.part.activitybar [aria-label^="Explorer"]').first().waitFor({ state: 'visible', timeout: 30_000 });
    await sleep(2000);
    await i.shot('remote-02-ui-only-disabled');
    const roleIcons = await i.page.locator('.part.activitybar [aria-label^="Role Switcher"]').count();
    assert.equal(roleIcons, 0, 'a ["ui"]-only extension must not be enabled here (its view container is missing)');
    const hostLog = readdirSync(join(i.userDataDir, 'logs')).map((d) => join(i.userDataDir, 'logs', d, 'exthost1', 'remoteexthost.log')).filter(existsSync).map((f) => readFileSync(f, 'utf8')).join('');
    assert.ok(!hostLog.includes(OURS), 'the server host never saw the extension');
  });
});
