// Console sign-in in real VS Code (code-server + Chromium): "Role Switcher: Open AWS Console as Role" hands
// the login URL to vscode.env.openExternal; code-server opens it as a browser window, which Playwright
// observes. The fake's federation endpoint answers the login with a page naming the identity it signed in.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Instance, log, scanForSecrets, sleep } from './harness';

const S3 = /^arn:aws:sts::111111111111:assumed-role\/s3-Full-Access\/\S+$/;
const CHAINED = /^arn:aws:sts::222222222222:assumed-role\/chained-deploy\/\S+$/;

/**
 * Sets settings in the running window (VS Code watches the files). Machine-scoped settings such as
 * roleSwitcher.console.federationEndpoint come from the Machine settings in code-server (its extension
 * host is the "remote" side), so both files get them.
 */
function addUserSettings(inst: Instance, extra: Record<string, unknown>): void {
  for (const scope of ['User', 'Machine']) {
    const file = join(inst.userDataDir, scope, 'settings.json');
    mkdirSync(join(inst.userDataDir, scope), { recursive: true });
    const cur = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    writeFileSync(file, JSON.stringify({ ...cur, ...extra }, null, 2));
  }
}

async function assumeFromTree(inst: Instance, label: string): Promise<void> {
  await inst.openRoleSwitcherView();
  const row = inst.roleRow(label);
  await row.waitFor({ state: 'visible' });
  await row.click();
  await inst.roleStatus().filter({ hasText: label }).waitFor({ state: 'visible', timeout: 30_000 });
}

/** Runs the command and returns the page code-server opens for the URL (answering the link dialog if one shows). */
async function openConsoleAndCapture(inst: Instance): Promise<Page> {
  const popup = inst.context.waitForEvent('page', { timeout: 30_000 });
  await inst.recordNotifications();
  await inst.command('Role Switcher: Open AWS Console as Role');
  if (process.env.E2E_CONSOLE_DEBUG) {
    await sleep(4000);
    await inst.page.screenshot({ path: join(process.env.E2E_CONSOLE_DEBUG, `after-command-${Date.now()}.png`) });
    log(`notifications: ${JSON.stringify(await inst.recordedNotifications())}`);
  }
  // VS Code asks before opening a link to a domain it does not trust; loopback is trusted, but be ready.
  const dialog = inst.page.locator('.monaco-dialog-box');
  const raced = await Promise.race([popup.then(() => 'page' as const), dialog.waitFor({ state: 'visible', timeout: 30_000 }).then(() => 'dialog' as const)]);
  if (raced === 'dialog') {
    await inst.shot('console-link-dialog');
    await dialog.locator('.monaco-button', { hasText: /^Open$/ }).first().click();
  }
  const page = await popup;
  await page.waitForLoadState('domcontentloaded');
  return page;
}

describe('Role Switcher E2E: console sign-in', function () {
  let inst: Instance | undefined;
  let relay: http.Server | undefined;
  let federation = '';
  before(async function () {
    this.timeout(180_000);
    inst = await Instance.start({ name: 'console', aws: 'seeds' });
    // The federation endpoint is reached at 127.0.0.2 (loopback too), through a pass-through to the fake:
    // code-server forwards links to localhost / 127.0.0.1 through its /proxy/<port>/ route, which
    // rebuilds the URL and re-encodes its query. A link to any other host (signin.aws.amazon.com) is
    // opened as the exact string, and so is this one.
    const target = new URL(inst.fake!.endpoint);
    relay = http.createServer((req, res) => {
      const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(up);
    });
    await new Promise<void>((resolve) => relay!.listen(0, '127.0.0.2', resolve));
    federation = `http://127.0.0.2:${(relay.address() as AddressInfo).port}/federation`;
    addUserSettings(inst, { 'roleSwitcher.console.federationEndpoint': federation });
  });
  after(async () => {
    await inst?.close();
    relay?.closeAllConnections();
    relay?.close();
  });
  afterEach(async function () {
    const t = this.currentTest;
    if (t && t.state === 'failed' && inst) await inst.saveFailure(`console-${t.title.replace(/[^\w]+/g, '-').slice(0, 40)}`);
  });

  it('C1 Open AWS Console as Role opens the federation login URL, and the fake signs in as the session', async function () {
    this.timeout(150_000);
    const i = inst!;
    await assumeFromTree(i, 's3-Full-Access');
    await sleep(500);
    const page = await openConsoleAndCapture(i);
    const url = new URL(page.url());
    log(`console page opened at ${url.origin}${url.pathname}`);
    assert.equal(`${url.origin}${url.pathname}`, federation, 'the login URL opened as it was built');
    assert.equal(url.searchParams.get('Action'), 'login');
    assert.ok(url.searchParams.get('SigninToken'), 'the URL carries a sign-in token');
    assert.equal(url.searchParams.get('Destination'), 'https://console.aws.amazon.com/console/home?region=us-east-1');
    const identity = (await page.locator('#identity').textContent())?.trim() ?? '';
    assert.match(identity, S3);
    await page.screenshot({ path: join(i.tmp, 'console-page.png') }).catch(() => undefined);
    await page.close();
  });

  it('C2 a role-chained session is assumed again for the console; the editor keeps its session', async function () {
    this.timeout(150_000);
    const i = inst!;
    await assumeFromTree(i, 'chained-deploy');
    const before = i.fake!.calls.filter((c) => c.service === 'federation' && c.action === 'getSigninToken').length;
    const page = await openConsoleAndCapture(i);
    assert.match((await page.locator('#identity').textContent())?.trim() ?? '', CHAINED);
    await page.close();
    const fed = i.fake!.calls.filter((c) => c.service === 'federation' && c.action === 'getSigninToken').slice(before);
    assert.deepEqual(fed.map((c) => c.status), [200], 'one getSigninToken, with the re-assumed session (the chained one is never sent)');
    assert.ok(await i.roleStatus().filter({ hasText: 'chained-deploy' }).isVisible(), 'the status bar still shows the editor session');
  });

  it('C3 no sign-in token or session secret reached a file of the window', async function () {
    this.timeout(60_000);
    const i = inst!;
    await sleep(1000);
    const leaks = scanForSecrets([i.userDataDir, i.home, i.workspace], i.fake!.issuedSecrets(), (p) => /chromium|Cache|\.png$/.test(p));
    assert.deepEqual(leaks, []);
  });
});
