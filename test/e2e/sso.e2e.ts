// IAM Identity Center in real VS Code (issue 12): sign in with the device flow (the test approves the code
// through the fake's admin API, as the user would in the browser), the portal's accounts fill the tree,
// a permission set is assumed from the tree, and a terminal's AWS CLI is that permission set's role.
// Then a leak scan: no access token, refresh token, client secret or role credential on disk, and
// nothing in ~/.aws/sso/cache (roleSwitcher.sso.shareSignInWithAwsCli is off).
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_SSO } from '../fake-aws/index';
import { Instance, log, scanForSecrets, sleep } from './harness';
// plain JS helper (types: scripts/code-server-setup.d.mts)
import { findAwsCli } from '../../scripts/code-server-setup.mjs';

const awsCli = findAwsCli();
const HOST = new URL(DEMO_SSO.startUrl).host;

/**
 * The notification with the user code and "Copy Code and Open Browser". VS Code may have moved the toast to
 * the notification center already (info toasts hide after a while): then it is looked for there.
 */
async function codeNotification(i: Instance) {
  const note = i.notification(/confirm the code [A-Z0-9]{4}-[A-Z0-9]{4}/).first();
  try {
    await note.waitFor({ state: 'visible', timeout: 15_000 });
  } catch {
    await i.command('Notifications: Show Notifications');
    await note.waitFor({ state: 'visible', timeout: 15_000 });
  }
  return note;
}

describe('IAM Identity Center E2E (code-server + Chromium)', function () {
  let inst: Instance | undefined;
  before(async function () {
    inst = await Instance.start({
      name: 'sso',
      aws: 'seeds',
      userSettings: { 'roleSwitcher.sso.startUrls': [{ startUrl: DEMO_SSO.startUrl, region: DEMO_SSO.region }] },
    });
  });
  after(async () => inst?.close());
  afterEach(async function () {
    const t = this.currentTest;
    if (t && t.state === 'failed' && inst) await inst.saveFailure(`sso-${t.title.replace(/[^\w]+/g, '-').slice(0, 40)}`);
  });

  it('sso-1 signed out: the portal is a group with "Sign in to see your accounts"', async function () {
    const i = inst!;
    await i.openRoleSwitcherView();
    const portal = i.treeItem(HOST);
    await portal.first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await portal.first().textContent()) ?? '', /signed out/);
    await i.treeItem('Sign in to see your accounts').waitFor({ state: 'visible' });
    await i.shot('sso-01-signed-out');
  });

  it('sso-2 Sign In: the code notification, approval in the "browser", then accounts and permission sets', async function () {
    const i = inst!;
    await i.recordNotifications();
    await i.command('Role Switcher: Sign In to IAM Identity Center');
    const note = await codeNotification(i);
    const text = (await note.textContent()) ?? '';
    const userCode = /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(text)![1];
    await note.locator('.monaco-button', { hasText: 'Copy Code and Open Browser' }).waitFor({ state: 'visible' });
    await i.shot('sso-02-device-code');
    // The user approves the code in the browser: the fake's admin endpoint plays that part.
    const pending = i.fake!.sso.pending().filter((p) => p.status === 'pending');
    assert.ok(pending.some((p) => p.userCode === userCode), `the fake has the code the notification shows (${userCode})`);
    i.fake!.sso.approve({ userCode, user: DEMO_SSO.user });
    for (const account of ['Production', 'Staging', 'Sandbox']) await i.treeItem(account).first().waitFor({ state: 'visible', timeout: 30_000 });
    const portal = i.treeItem(HOST).first();
    await portal.filter({ hasText: /signed in/ }).waitFor({ state: 'visible', timeout: 30_000 });
    const notes = await i.recordedNotifications();
    log(`notifications: ${notes.join(' | ')}`);
    assert.ok(notes.some((n) => /^\[progress\].*Signing in to IAM Identity Center/.test(n) || /Signing in to IAM Identity Center/.test(n)), 'a progress notification while polling');
    await i.shot('sso-03-accounts');
  });

  it('sso-3 a permission set assumed from the tree is the terminal identity for the AWS CLI', async function () {
    const i = inst!;
    await i.clearNotifications();
    await i.recordNotifications();
    const staging = i.treeItem('Staging').first();
    await staging.click(); // expand
    const row = i.roleRow('AdministratorAccess');
    await row.first().waitFor({ state: 'visible', timeout: 30_000 });
    await row.first().click();
    const status = i.roleStatus().filter({ hasText: 'AdministratorAccess' });
    try {
      await status.first().waitFor({ state: 'visible', timeout: 30_000 });
    } catch (e) {
      throw new Error(`the status bar never showed the permission set; notifications: ${(await i.recordedNotifications()).join(' | ')}; ${(e as Error).message}`);
    }
    await i.shot('sso-04-assumed');
    if (!awsCli) {
      log('AWS CLI not installed: checking with the SDK only');
    }
    const cmd = awsCli ? `${awsCli} sts get-caller-identity --endpoint-url "$AWS_ENDPOINT_URL" --query Arn --output text` : `node ${join(__dirname, '..', '..', 'scripts', 'whoami.mjs')}`;
    // A new terminal sometimes misses the first keystrokes (focus still in the tree): one more try then.
    const r = await i.terminalRun(cmd).catch(async () => {
      await i.killTerminals();
      return i.terminalRun(cmd);
    });
    const arn = r.out.trim() || `ERR ${r.err.trim()}`;
    log(`terminal identity: ${arn}`);
    assert.match(arn, /^arn:aws:sts::400000000002:assumed-role\/AWSReservedSSO_AdministratorAccess_[0-9a-f]{16}\//);
    await i.killTerminals();
  });

  it('sso-4 leak scan: no SSO token, client secret or credential on disk, and no ~/.aws/sso/cache file', async function () {
    const i = inst!;
    await sleep(1500); // let VS Code flush its state
    const secrets = [...i.fake!.issuedSecrets()];
    assert.ok(secrets.length >= 4, `the sign-in and the switch issued secrets (${secrets.length})`);
    const roots = [i.userDataDir, join(i.tmp, 'xdg'), i.home, join(i.tmp, 'chromium'), i.logFile, join(i.tmp, 'out')];
    const hits = scanForSecrets(roots, secrets);
    log(`sso leak scan: ${secrets.length} issued secrets, ${roots.length} roots, ${hits.length} hits`);
    writeFileSync(join(i.tmp, 'sso-leak-scan.json'), JSON.stringify(hits, null, 2));
    assert.deepEqual(hits, [], `secrets found on disk:\n${hits.map((h) => `${h.file}: ${h.secret}`).join('\n')}`);
    const cache = join(i.home, '.aws', 'sso', 'cache');
    const files = existsSync(cache) ? readdirSync(cache) : [];
    assert.deepEqual(files, [], 'nothing written to the AWS CLI SSO cache while sharing is off');
  });
});

describe('IAM Identity Center E2E: [sso-session] in ~/.aws/config', function () {
  let inst: Instance | undefined;
  before(async function () {
    inst = await Instance.start({ name: 'sso-config', aws: 'seeds', sso: true });
  });
  after(async () => inst?.close());
  afterEach(async function () {
    const t = this.currentTest;
    if (t && t.state === 'failed' && inst) await inst.saveFailure(`sso-config-${t.title.replace(/[^\w]+/g, '-').slice(0, 40)}`);
  });

  it('sso-5 an SSO profile clicked while signed out asks to sign in again, signs in, and retries the switch', async function () {
    const i = inst!;
    await i.openRoleSwitcherView();
    await i.treeItem(HOST).first().waitFor({ state: 'visible', timeout: 30_000 });
    // The config profile's account is under the portal before any sign-in (by ID: names come with discovery).
    await i.treeItem(/400000000002.*1 permission set/).first().click();
    const row = i.roleRow('staging-admin');
    await row.first().waitFor({ state: 'visible' });
    await row.first().click();
    const ask = i.notification(/To switch to staging-admin, sign in again/);
    await ask.first().waitFor({ state: 'visible', timeout: 30_000 });
    await i.shot('sso-05-sign-in-again');
    await ask.first().locator('.monaco-button', { hasText: 'Sign in again' }).click();
    // The code is in the progress notification too ("waiting for you to approve the code …").
    const note = i.notification(/the code [A-Z0-9]{4}-[A-Z0-9]{4}/).first();
    await note.waitFor({ state: 'visible', timeout: 30_000 });
    const userCode = /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec((await note.textContent()) ?? '')![1];
    i.fake!.sso.approve({ userCode, user: DEMO_SSO.user });
    await i.roleStatus().filter({ hasText: 'staging-admin' }).first().waitFor({ state: 'visible', timeout: 30_000 });
  });

  it('sso-6 Sign Out ends the session that came from the portal and says so', async function () {
    const i = inst!;
    await i.clearNotifications();
    await i.command('Role Switcher: Sign Out of IAM Identity Center');
    await i.notification(/Signed out of IAM Identity Center \(demo-org\.awsapps\.com\)\. The session as staging-admin came from it and has ended/).first().waitFor({ state: 'visible', timeout: 30_000 });
    await i.roleStatus().filter({ hasText: 'staging-admin' }).first().waitFor({ state: 'detached', timeout: 20_000 });
    await i.treeItem('Sign in to see your accounts').first().waitFor({ state: 'visible' });
    await i.shot('sso-06-signed-out');
  });
});
