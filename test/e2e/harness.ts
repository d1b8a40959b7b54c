// E2E harness: one code-server per Instance, each with its own temp HOME, XDG dirs, user-data dir,
// extensions dir, fake AWS and Chromium profile. Nothing here touches the real ~/.aws, ~/.config or
// the developer's VS Code settings.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeAws, writeAwsHome, type FakeAws } from '../fake-aws/index';
import { chromium, type BrowserContext, type Page, type Locator } from 'playwright-core';
// plain JS helper shared with the demo launcher (types: scripts/code-server-setup.d.mts)
import { findChromium, REPO } from '../../scripts/code-server-setup.mjs';
import { cleanEnv, copyExtension, isolatedDirs, runCodeServerCli, sleep, startCodeServer, writeUserSettings, type CodeServerRun } from '../../scripts/code-server-launch';

export { sleep, copyExtension };
export const repoRoot: string = REPO;
export const outDir = join(repoRoot, 'test-output', 'e2e');
mkdirSync(outDir, { recursive: true });

export type FakeAwsLike = FakeAws;
type AwsHome = ReturnType<typeof writeAwsHome>;

export interface InstanceOptions {
  /** short name used for the temp dir and log files */
  name: string;
  /** 'seeds': fake AWS with the seeds scenario + ~/.aws written by writeAwsHome; 'empty': no ~/.aws at all */
  aws?: 'seeds' | 'empty';
  userSettings?: Record<string, unknown>;
  workspaceSettings?: Record<string, unknown>;
  /** leave workspace trust on (Restricted Mode tests); default off */
  trust?: boolean;
  /** where the extension comes from: the built repo (default), a .vsix to install, or an explicit folder */
  extension?: { folder: string } | { vsix: string } | 'repo' | 'none';
  /** more extension folders to install beside it (e.g. remote.e2e.ts's web-worker probe) */
  extraExtensions?: string[];
  /** aws 'seeds': also write the demo organization's [sso-session demo] and its SSO profiles (IAM Identity Center) */
  sso?: boolean;
}

export function log(msg: string): void {
  process.stderr.write(`      [e2e] ${msg}\n`);
}

export class Instance {
  tmp!: string;
  home!: string;
  workspace!: string;
  userDataDir!: string;
  extsDir!: string;
  logFile!: string;
  port!: number;
  url!: string;
  env!: Record<string, string>;
  fake?: FakeAwsLike;
  awsHome?: AwsHome;
  page!: Page;
  context!: BrowserContext;
  private cs?: CodeServerRun;
  readonly startedAt = Date.now();

  constructor(readonly opts: InstanceOptions) {}

  static async start(opts: InstanceOptions): Promise<Instance> {
    const inst = new Instance(opts);
    try {
      await inst.boot();
    } catch (e) {
      await inst.saveFailure(`startup-${opts.name}`);
      await inst.close();
      throw e;
    }
    return inst;
  }

  private async boot(): Promise<void> {
    const o = this.opts;
    const t0 = Date.now();
    this.tmp = mkdtempSync(join(tmpdir(), `rs-e2e-${o.name}-`));
    const dirs = isolatedDirs(this.tmp);
    this.home = dirs.home;
    this.workspace = dirs.workspace;
    this.userDataDir = dirs.userDataDir;
    this.extsDir = dirs.extsDir;
    this.logFile = join(this.tmp, 'code-server.log');
    mkdirSync(join(this.tmp, 'out'), { recursive: true });

    const env = { ...cleanEnv(process.env), ...dirs.env };
    if (o.aws) {
      this.fake = await startFakeAws(); // the seeds scenario
      if (o.aws === 'seeds') {
        this.awsHome = writeAwsHome(this.home, this.fake, { sso: o.sso });
        Object.assign(env, this.awsHome.env);
      } else {
        // no config at all, but never let the extension reach a real endpoint
        env.AWS_ENDPOINT_URL = this.fake.endpoint;
      }
    }
    this.env = env;

    writeUserSettings(this.userDataDir, { ...(o.trust ? { 'security.workspace.trust.enabled': true } : {}), ...o.userSettings });
    if (o.workspaceSettings) {
      mkdirSync(join(this.workspace, '.vscode'), { recursive: true });
      writeFileSync(join(this.workspace, '.vscode', 'settings.json'), JSON.stringify(o.workspaceSettings, null, 2));
    }
    writeFileSync(join(this.workspace, 'README.md'), '# e2e workspace\n');

    const ext = o.extension ?? 'repo';
    if (ext === 'repo') copyExtension(repoRoot, this.extsDir);
    else if (ext !== 'none' && 'folder' in ext) copyExtension(ext.folder, this.extsDir);
    else if (ext !== 'none' && 'vsix' in ext) {
      const r = await runCodeServerCli(['--extensions-dir', this.extsDir, '--user-data-dir', this.userDataDir, '--install-extension', ext.vsix], env);
      writeFileSync(join(this.tmp, 'install-extension.log'), r.out);
      if (r.code !== 0) throw new Error(`code-server --install-extension failed (${r.code}):\n${r.out}`);
    }
    for (const folder of o.extraExtensions ?? []) copyExtension(folder, this.extsDir);

    this.cs = await startCodeServer({ tmp: this.tmp, userDataDir: this.userDataDir, extsDir: this.extsDir, workspace: this.workspace, env, trust: o.trust, log });
    this.port = this.cs.port;
    this.url = this.cs.url;

    const exe = findChromium();
    if (!exe) throw new Error('chromium not found (apt-get install -y chromium)');
    this.context = await chromium.launchPersistentContext(join(this.tmp, 'chromium'), {
      executablePath: exe,
      headless: true,
      viewport: { width: 1400, height: 860 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'],
    });
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
    this.page.setDefaultTimeout(20_000);
    await this.page.goto(this.url);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.part.statusbar').waitFor({ timeout: 60_000 });
    log(`${o.name}: code-server on :${this.port} ready in ${Date.now() - t0} ms`);
  }

  tail(n = 4000): string {
    try {
      const s = readFileSync(this.logFile, 'utf8');
      return s.slice(-n);
    } catch {
      return '';
    }
  }

  // ---------- UI helpers ----------

  async shot(id: string): Promise<string> {
    const path = join(outDir, `${id}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** Run a Command Palette command by its full title ("Role Switcher: Switch Back"). */
  async command(title: string): Promise<void> {
    const page = this.page;
    await this.escapeQuickInput();
    await page.keyboard.press('Control+Shift+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await page.keyboard.type(title, { delay: 5 });
    // the focused row must carry exactly this label (not "… (With Profile)" or "… in Editor Area")
    const exact = new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ has: page.locator('.label-name', { hasText: exact }) }).first().waitFor({ state: 'visible', timeout: 15_000 });
    for (let k = 0; k < 10; k++) {
      const focused = ((await rows.and(page.locator('.focused')).locator('.label-name').first().textContent().catch(() => '')) ?? '').trim();
      if (exact.test(focused)) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
  }

  async escapeQuickInput(): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    if (await widget.isVisible().catch(() => false)) {
      await this.page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    }
  }

  /** The Role Switcher container in the side bar (opened via its activity bar icon). */
  sidebar(): Locator {
    return this.page.locator('.part.sidebar');
  }

  async openRoleSwitcherView(): Promise<void> {
    const page = this.page;
    const title = this.sidebar().locator('.composite.title', { hasText: /Role Switcher/i });
    if (await title.isVisible().catch(() => false)) return;
    const icon = page.locator('.part.activitybar .action-item').filter({ has: page.locator('[aria-label^="Role Switcher"]') });
    const icon2 = page.locator('.part.activitybar [aria-label^="Role Switcher"]');
    const target = (await icon.count()) > 0 ? icon.first() : icon2.first();
    await target.waitFor({ state: 'visible', timeout: 30_000 });
    await target.click();
    await title.waitFor({ state: 'visible' });
  }

  treeItem(label: string | RegExp): Locator {
    return this.sidebar().locator('.monaco-list-row').filter({ hasText: label });
  }

  /** A role row by its exact label (descriptions may mention other roles). */
  roleRow(label: string): Locator {
    const esc = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return this.sidebar()
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${esc}\\s*$`) }) });
  }

  /** Answer VS Code's startup trust dialog with "No" (Restricted Mode), if it shows. */
  async declineWorkspaceTrust(): Promise<void> {
    const dialog = this.page.locator('.monaco-dialog-box');
    try {
      await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    } catch {
      return;
    }
    await this.shot('10-trust-dialog');
    await dialog.locator('.monaco-button', { hasText: /No|don.t trust/i }).first().click();
    await dialog.waitFor({ state: 'hidden' });
  }

  statusItem(text: string | RegExp): Locator {
    return this.page.locator('.part.statusbar .statusbar-item').filter({ hasText: text });
  }

  /** The extension's status bar item (its aria-label starts with "AWS role", or it carries the role text). */
  roleStatus(): Locator {
    return this.page.locator('.part.statusbar .statusbar-item[id*="roleSwitcher.status" i], .part.statusbar .statusbar-item:has([aria-label^="AWS role"]), .part.statusbar .statusbar-item[aria-label^="AWS role"]');
  }

  notification(text: string | RegExp): Locator {
    return this.page.locator('.notification-toast, .notifications-center .notification-list-item').filter({ hasText: text });
  }

  async clearNotifications(): Promise<void> {
    await this.command('Notifications: Clear All Notifications').catch(() => undefined);
    await this.escapeQuickInput();
  }

  /** Start recording the text of every notification that appears (progress ones are short-lived). */
  async recordNotifications(): Promise<void> {
    // a string, not a function: tsx's keepNames would inject a __name helper the page does not have
    await this.page.evaluate(`(() => {
      const w = window;
      w.__rsNotes = [];
      if (w.__rsObs) w.__rsObs.disconnect();
      w.__rsObs = new MutationObserver(() => {
        for (const el of Array.from(document.querySelectorAll('.notification-list-item'))) {
          const m = el.querySelector('.notification-list-item-message');
          const msg = ((m && m.textContent) || '').trim();
          if (!msg) continue;
          const host = el.closest('.notification-toast, .notifications-list-container');
          const bar = host && host.querySelector('.monaco-progress-container');
          const progress = !!bar && !bar.classList.contains('done') && getComputedStyle(bar).display !== 'none';
          const key = progress ? '[progress] ' + msg : msg;
          if (!w.__rsNotes.includes(key)) w.__rsNotes.push(key);
        }
      });
      w.__rsObs.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['class'] });
    })()`);
  }

  async recordedNotifications(): Promise<string[]> {
    return this.page.evaluate(() => (window as any).__rsNotes ?? []);
  }

  /**
   * Open a new integrated terminal through the Command Palette and run `script` in it.
   * The script's stdout goes to a file that is returned once the shell has finished.
   */
  async terminalRun(script: string, timeoutMs = 45_000): Promise<{ out: string; err: string }> {
    const id = `t${Date.now()}${Math.floor(Math.random() * 1000)}`;
    const dir = join(this.tmp, 'out');
    const out = join(dir, `${id}.out`);
    const err = join(dir, `${id}.err`);
    const done = join(dir, `${id}.done`);
    await this.command('Terminal: Create New Terminal');
    const term = this.page.locator('.terminal-wrapper.active .xterm, .xterm.focus').first();
    await term.waitFor({ state: 'visible', timeout: 30_000 });
    await this.page.locator('.xterm-helper-textarea:focus').waitFor({ state: 'attached', timeout: 15_000 }).catch(() => undefined);
    await sleep(300);
    await this.page.keyboard.type(`{ ${script} ; } > ${out} 2> ${err}; echo ok > ${done}\n`, { delay: 2 });
    const end = Date.now() + timeoutMs;
    while (!existsSync(done)) {
      if (Date.now() > end) throw new Error(`terminal command did not finish: ${script}`);
      await sleep(200);
    }
    return { out: readFileSync(out, 'utf8'), err: readFileSync(err, 'utf8') };
  }

  /** Open a new terminal and type a command for a person to see (screenshots); returns after `waitMs`. */
  async terminalShow(command: string, waitMs = 3000): Promise<void> {
    await this.command('Terminal: Create New Terminal');
    const term = this.page.locator('.terminal-wrapper.active .xterm, .xterm.focus').first();
    await term.waitFor({ state: 'visible', timeout: 30_000 });
    await this.page.locator('.xterm-helper-textarea:focus').waitFor({ state: 'attached', timeout: 15_000 }).catch(() => undefined);
    await sleep(300);
    await this.page.keyboard.type(`${command}\n`, { delay: 2 });
    await sleep(waitMs);
  }

  async killTerminals(): Promise<void> {
    await this.command('Terminal: Kill All Terminals').catch(() => undefined);
    await sleep(300);
  }

  /** Copy the code-server log, the extension logs and a screenshot into test-output for a failed test. */
  async saveFailure(id: string): Promise<void> {
    try {
      if (this.page) await this.page.screenshot({ path: join(outDir, `${id}-FAILED.png`) });
    } catch {
      /* page gone */
    }
    try {
      if (this.logFile && existsSync(this.logFile)) copyFileSync(this.logFile, join(outDir, `${id}-code-server.log`));
      if (this.userDataDir) {
        const logs = findFiles(join(this.userDataDir, 'logs'), (p) => p.endsWith('.log'));
        const dest = join(outDir, `${id}-logs`);
        for (const f of logs) {
          const rel = f.slice(join(this.userDataDir, 'logs').length + 1).replace(/\//g, '__');
          mkdirSync(dest, { recursive: true });
          copyFileSync(f, join(dest, rel));
        }
      }
    } catch (e) {
      log(`could not save logs: ${e}`);
    }
  }

  async close(): Promise<void> {
    try {
      await this.context?.close();
    } catch {
      /* ignore */
    }
    await this.cs?.stop();
    try {
      await this.fake?.close();
    } catch {
      /* ignore */
    }
    if (this.tmp && !process.env.E2E_KEEP) rmSync(this.tmp, { recursive: true, force: true });
    else if (this.tmp) log(`kept ${this.tmp}`);
  }
}

export function findFiles(dir: string, pred: (p: string) => boolean, out: string[] = []): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) findFiles(p, pred, out);
    else if (e.isFile() && pred(p)) out.push(p);
  }
  return out;
}

/** Every file under `roots` that contains any of `secrets` (raw bytes). */
export function scanForSecrets(roots: string[], secrets: string[], skip: (p: string) => boolean = () => false): { file: string; secret: string }[] {
  const hits: { file: string; secret: string }[] = [];
  const needles = secrets.filter((s) => s.length >= 8).map((s) => ({ s, b: Buffer.from(s) }));
  for (const root of roots) {
    for (const f of findFiles(root, (p) => !skip(p))) {
      let buf: Buffer;
      try {
        if (statSync(f).size > 200 * 1024 * 1024) continue;
        buf = readFileSync(f);
      } catch {
        continue;
      }
      for (const n of needles) if (buf.includes(n.b)) hits.push({ file: f, secret: `${n.s.slice(0, 4)}…(${n.s.length})` });
    }
  }
  return hits;
}

