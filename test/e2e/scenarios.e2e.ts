// User scenarios, driven through the real VS Code workbench (code-server) in headless Chromium.
// Instances are shared within a describe() to keep startup cost down; each scenario starts from a clean
// state (no session, no notifications, no terminals).
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { Instance, log, scanForSecrets, sleep, repoRoot } from './harness';
// plain JS helper (types: scripts/code-server-setup.d.mts)
import { findAwsCli } from '../../scripts/code-server-setup.mjs';

/** Scenarios for issues 5/6 (on by default); E2E_DISCOVERY=0 / E2E_RESTRICTED=0 / E2E_LEAKSCAN=0 turn one off. */
const ENABLED = {
  discovery: process.env.E2E_DISCOVERY !== '0',
  restricted: process.env.E2E_RESTRICTED !== '0',
  leakScan: process.env.E2E_LEAKSCAN !== '0',
};

const ACCOUNT_1 = /111111111111|seeds-sandbox/;
const WHOAMI = join(repoRoot, 'scripts', 'whoami.mjs');
const awsCli = findAwsCli();

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Record failures with a screenshot + logs; shared by every describe(). */
function failureHook(get: () => Instance | undefined) {
  return async function (this: Mocha.Context) {
    const t = this.currentTest;
    const inst = get();
    if (t && t.state === 'failed' && inst) {
      const id = t.title.split(' ')[0].replace(/[^\w-]/g, '') || 'x';
      await inst.saveFailure(`${id}-${t.title.replace(/[^\w]+/g, '-').slice(0, 40)}`);
    }
  };
}

/** Back to the base identity, no notifications, no terminals, no open quick input. */
async function cleanState(inst: Instance): Promise<void> {
  await inst.escapeQuickInput();
  for (let i = 0; i < 6; i++) {
    const text = (await inst.roleStatus().first().textContent().catch(() => '')) ?? '';
    if (!/·/.test(text)) break; // "AWS: base identity" (or hidden)
    await inst.command('Role Switcher: Switch Back');
    await sleep(500);
  }
  await inst.clearNotifications();
  await inst.killTerminals();
}

/** Click a role in the tree (exact label) and return the row. */
async function clickRole(inst: Instance, label: string): Promise<void> {
  await inst.openRoleSwitcherView();
  const row = inst.roleRow(label);
  await row.waitFor({ state: 'visible' });
  await row.click();
}

async function expectRoleActive(inst: Instance, label: string, account: RegExp = ACCOUNT_1, timeout = 30_000): Promise<string> {
  const item = inst.roleStatus().filter({ hasText: label });
  await item.waitFor({ state: 'visible', timeout });
  const text = ((await item.textContent()) ?? '').trim();
  assert.match(text, new RegExp(`${escapeRe(label)} · (${account.source}) · (\\d+h )?(\\d+m|<1m)`), `status bar text: ${text}`);
  assert.equal(await item.locator('.codicon-shield').count(), 1, 'shield icon in the status bar item');
  const aria = (await item.getAttribute('aria-label')) ?? (await item.locator('[aria-label]').first().getAttribute('aria-label')) ?? '';
  assert.match(aria, /^AWS role/, `aria-label: ${aria}`);
  return text;
}

async function expectNoRole(inst: Instance, label: string): Promise<void> {
  await inst.roleStatus().filter({ hasText: label }).waitFor({ state: 'detached', timeout: 20_000 });
  const texts = await inst.page.locator('.part.statusbar .statusbar-item').allTextContents();
  assert.ok(!texts.some((t) => t.includes(label)), `status bar still shows ${label}: ${texts.join(' | ')}`);
}

async function terminalIdentity(inst: Instance): Promise<{ sdk: string; cli?: string }> {
  const sdk = await inst.terminalRun(`node ${WHOAMI}`);
  let cli: string | undefined;
  if (awsCli) {
    const r = await inst.terminalRun(`${awsCli} sts get-caller-identity --endpoint-url "$AWS_ENDPOINT_URL" --query Arn --output text`);
    cli = r.out.trim() || `ERR ${r.err.trim()}`;
  }
  return { sdk: sdk.out.trim() || `ERR ${sdk.err.trim()}`, cli };
}

describe('Role Switcher E2E (code-server + Chromium)', function () {
  describe('without any AWS config', function () {
    let inst: Instance | undefined;
    before(async function () {
      inst = await Instance.start({ name: 'empty', aws: 'empty' });
    });
    after(async () => inst?.close());
    afterEach(failureHook(() => inst));

    it('1b welcome view: "No roles yet" with Add Role… and Open AWS Config File', async function () {
      const i = inst!;
      await i.openRoleSwitcherView();
      const welcome = i.sidebar().locator('.welcome-view-content');
      await welcome.filter({ hasText: 'No roles yet' }).waitFor({ state: 'visible' });
      await welcome.locator('.monaco-button', { hasText: 'Add Role…' }).waitFor();
      await welcome.locator('.monaco-button', { hasText: 'Open AWS Config File' }).waitFor();
      await i.shot('01b-welcome-view');
    });
  });

  describe('seeds: one instance, scenarios in sequence', function () {
    let inst: Instance | undefined;
    before(async function () {
      inst = await Instance.start({ name: 'seeds', aws: 'seeds' });
    });
    after(async () => inst?.close());
    afterEach(failureHook(() => inst));

    it('1 lists the seed roles grouped by account', async function () {
      const i = inst!;
      await i.openRoleSwitcherView();
      for (const label of ['s3-Full-Access', 'mfa-admin', 'partner-access', 'cross-account-readonly', 'chained-deploy', 'team-path-role']) {
        await i.roleRow(label).waitFor({ state: 'visible' });
      }
      // account groups: "seeds-sandbox (111111111111)" or the bare id
      await i.treeItem(/seeds-sandbox|111111111111/).first().waitFor({ state: 'visible' });
      await i.treeItem(/seeds-prod|222222222222/).first().waitFor({ state: 'visible' });
      const groups = await i.sidebar().locator('.monaco-list-row[aria-expanded]').allTextContents();
      assert.ok(groups.length >= 2, `account groups: ${groups.join(' | ')}`);
      // the base identity is shown while no role is assumed
      await i.roleStatus().first().waitFor({ state: 'visible' });
      await i.shot('01-roles-by-account');
    });

    it('2 assume s3-Full-Access from the tree: status bar, then terminals use the session', async function () {
      const i = inst!;
      await cleanState(i);
      await i.recordNotifications();
      await clickRole(i, 's3-Full-Access');
      const text = await expectRoleActive(i, 's3-Full-Access');
      log(`status bar: ${text}`);
      const notes = await i.recordedNotifications();
      log(`notifications seen: ${JSON.stringify(notes)}`);
      // The fake answers in milliseconds; the progress toast may be too short to render. Report, don't fail.
      if (!notes.some((n) => /Assuming s3-Full-Access/.test(n))) log('note: the progress notification was not caught (assume was faster than the render)');
      await i.shot('02-assumed-status-bar');
      const id = await terminalIdentity(i);
      log(`terminal identity: ${JSON.stringify(id)}`);
      assert.match(id.sdk, /^arn:aws:sts::111111111111:assumed-role\/s3-Full-Access\/\S+$/, 'JS SDK v3 in a new terminal');
      if (id.cli !== undefined) assert.match(id.cli, /^arn:aws:sts::111111111111:assumed-role\/s3-Full-Access\/\S+$/, 'AWS CLI in a new terminal');
      else log('aws CLI not installed: CLI check skipped');
      // For the README: the same check, visible in the terminal.
      const visible = awsCli ? `${awsCli} sts get-caller-identity --endpoint-url "$AWS_ENDPOINT_URL"` : `node ${WHOAMI}`;
      await i.terminalShow(`clear; ${visible}`);
      await i.shot('02-terminal-identity');
    });

    it('3 Switch Back returns to the base identity; a new terminal has no session token', async function () {
      const i = inst!;
      await expectRoleActive(i, 's3-Full-Access'); // from scenario 2
      await i.clearNotifications();
      await i.killTerminals();
      await i.command('Role Switcher: Switch Back');
      await expectNoRole(i, 's3-Full-Access');
      await i.roleStatus().filter({ hasText: /base identity/ }).waitFor({ state: 'visible' });
      const r = await i.terminalRun('echo "[${AWS_SESSION_TOKEN:-none}]"');
      assert.equal(r.out.trim(), '[none]');
      const id = await i.terminalRun(`node ${WHOAMI}`);
      assert.match(id.out.trim(), /^arn:aws:iam::111111111111:user\/test-user$/, `base identity in a terminal: ${id.out}${id.err}`);
      await i.shot('03-switched-back');
    });

    it('4 MFA role: rejects 12ab; a wrong code keeps the session; 123456 works, and one code lasts for the next switch', async function () {
      const i = inst!;
      await cleanState(i);
      await clickRole(i, 's3-Full-Access');
      await expectRoleActive(i, 's3-Full-Access');
      const widget = i.page.locator('.quick-input-widget');

      // a wrong code: the error is reported and the active session stays
      await clickRole(i, 'mfa-admin');
      await widget.filter({ hasText: 'MFA code' }).waitFor({ state: 'visible' });
      await i.page.keyboard.type('12ab');
      await widget.filter({ hasText: 'Enter the 6-digit code from your MFA device' }).waitFor({ state: 'visible' });
      await i.shot('04-mfa-validation');
      await i.page.keyboard.press('Enter'); // an invalid value is not accepted
      await sleep(300);
      assert.ok(await widget.isVisible(), 'the input box stays open on an invalid code');
      await i.page.keyboard.press('Control+A');
      await i.page.keyboard.type('000000');
      await widget.filter({ hasText: 'Enter the 6-digit code' }).waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
      await i.page.keyboard.press('Enter');
      await i.notification(/MFA/).first().waitFor({ state: 'visible', timeout: 30_000 });
      const msg = await i.notification(/MFA/).first().locator('.notification-list-item-message').textContent();
      log(`MFA error: ${msg}`);
      await expectRoleActive(i, 's3-Full-Access');
      await i.shot('04-mfa-wrong-code');
      await i.clearNotifications();

      // the right code
      await clickRole(i, 'mfa-admin');
      await widget.filter({ hasText: 'MFA code' }).waitFor({ state: 'visible' });
      await i.page.keyboard.type('123456');
      await i.page.keyboard.press('Enter');
      await expectRoleActive(i, 'mfa-admin');
      await i.shot('04-mfa-assumed');

      // away and back: the MFA session from that code assumes mfa-admin again without a prompt
      await clickRole(i, 's3-Full-Access');
      await expectRoleActive(i, 's3-Full-Access');
      await clickRole(i, 'mfa-admin');
      await expectRoleActive(i, 'mfa-admin');
      assert.equal(await widget.filter({ hasText: 'MFA code' }).isVisible(), false, 'no second MFA prompt within the MFA session');
    });

    it('6 Assume Role… QuickPick: type part of a label, Enter', async function () {
      const i = inst!;
      await cleanState(i);
      await i.command('Role Switcher: Assume Role…');
      // wait for the extension's QuickPick itself (the palette's input is visible a moment longer)
      await i.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'arn:aws:iam::' }).first().waitFor({ state: 'visible' });
      await i.page.keyboard.type('cross-acc');
      await i.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'cross-account-readonly' }).waitFor({ state: 'visible' });
      await i.shot('06-quickpick');
      await i.page.keyboard.press('Enter');
      await expectRoleActive(i, 'cross-account-readonly', /222222222222|seeds-prod/);
      const id = await i.terminalRun(`node ${WHOAMI}`);
      assert.match(id.out.trim(), /^arn:aws:sts::222222222222:assumed-role\/cross-account-readonly\//, `${id.out}${id.err}`);
      await i.shot('06-assumed-from-quickpick');
    });

    it('5 AccessDenied names sts:AssumeRole and the trust policy; status bar unchanged', async function () {
      const i = inst!;
      await cleanState(i);
      const before = ((await i.roleStatus().first().textContent()) ?? '').trim();
      i.fake!.deleteUserPolicy('test-user', 's3-Full-Access-Policy');
      await clickRole(i, 's3-Full-Access');
      const note = i.notification(/sts:AssumeRole/).filter({ hasText: /trust policy/ }).first();
      await note.waitFor({ state: 'visible', timeout: 30_000 });
      log(`AccessDenied message: ${(await note.locator('.notification-list-item-message').textContent())?.trim()}`);
      await i.shot('05-access-denied');
      const after = ((await i.roleStatus().first().textContent()) ?? '').trim();
      assert.equal(after, before, 'status bar unchanged');
      assert.ok(!after.includes('s3-Full-Access'));
    });

    it('8 leak scan: no issued secret in user data, extension storage, logs or the browser profile', async function () {
      if (!ENABLED.leakScan) this.skip();
      const i = inst!;
      await cleanState(i);
      await sleep(1500); // let VS Code flush its state
      const secrets = [...i.fake!.issuedSecrets()];
      assert.ok(secrets.length >= 4, `the scenarios above issued sessions (${secrets.length} secrets)`);
      const roots = [i.userDataDir, join(i.tmp, 'xdg'), i.home, join(i.tmp, 'chromium'), i.logFile, join(i.tmp, 'out')];
      const hits = scanForSecrets(roots, secrets);
      log(`leak scan: ${secrets.length} issued secrets, ${roots.length} roots, ${hits.length} hits`);
      writeFileSync(join(i.tmp, 'leak-scan.json'), JSON.stringify(hits, null, 2));
      assert.deepEqual(hits, [], `secrets found on disk:\n${hits.map((h) => `${h.file}: ${h.secret}`).join('\n')}`);
    });
  });

  describe('expiry and discovery', function () {
    let inst: Instance | undefined;
    before(async function () {
      inst = await Instance.start({ name: 'expiry', aws: 'seeds', userSettings: { 'roleSwitcher.expiryWarningMinutes': 5 } });
    });
    after(async () => inst?.close());
    afterEach(failureHook(() => inst));

    it('7 expiry: warning colour, then the session ends, "Assume again" is offered, terminals lose the token', async function () {
      this.timeout(240_000);
      const i = inst!;
      await i.openRoleSwitcherView();
      i.fake!.setIssuedCredentialLifetime(60);
      await clickRole(i, 's3-Full-Access');
      await expectRoleActive(i, 's3-Full-Access');
      const item = i.roleStatus().filter({ hasText: 's3-Full-Access' });
      const cls = (await item.getAttribute('class')) ?? '';
      assert.match(cls, /warning-kind|has-background-color/, `status bar item classes: ${cls}`);
      await i.shot('07-expiry-warning');
      // Renewal would keep a live session going: make STS refuse it, so the session runs out (and the
      // renewal failure is said once, beside the expiry).
      i.fake!.injectFault({ service: 'sts', action: 'AssumeRole', kind: 'http503', times: 50 });
      const tok = await i.terminalRun('echo "[${AWS_SESSION_TOKEN:+set}${AWS_CONTAINER_CREDENTIALS_FULL_URI:+container}]"');
      assert.notEqual(tok.out.trim(), '[]', 'the active session reaches terminals');
      await i.killTerminals();
      // the session ends (60 s lifetime, minus whatever margin the extension keeps)
      await expectNoRole(i, 's3-Full-Access').catch(async () => {
        await i.roleStatus().filter({ hasText: 's3-Full-Access' }).waitFor({ state: 'detached', timeout: 120_000 });
      });
      await i.notification(/expired/).filter({ hasText: 'Assume again' }).first().waitFor({ state: 'visible', timeout: 30_000 });
      await i.shot('07-expired');
      const r = await i.terminalRun('echo "[${AWS_SESSION_TOKEN:-none}]"');
      assert.equal(r.out.trim(), '[none]');
      i.fake!.setIssuedCredentialLifetime(null);
      i.fake!.clearFaults();
    });

    it('9 discovery: a discovered role shows its verdict and can be assumed from the tree', async function () {
      if (!ENABLED.discovery) this.skip();
      const i = inst!;
      await cleanState(i);
      await i.openRoleSwitcherView();
      const rowsBefore = await i.sidebar().locator('.monaco-list-row').allTextContents();
      await i.command('Role Switcher: Discover Roles');
      // discovered roles are those the seeds' IAM lists that no profile names; wait for the tree to grow
      const end = Date.now() + 60_000;
      let rowsAfter = rowsBefore;
      while (Date.now() < end) {
        rowsAfter = await i.sidebar().locator('.monaco-list-row').allTextContents();
        if (rowsAfter.length > rowsBefore.length) break;
        await sleep(500);
      }
      await sleep(1000);
      rowsAfter = await i.sidebar().locator('.monaco-list-row').allTextContents();
      log(`tree after discovery: ${JSON.stringify(rowsAfter)}`);
      await i.shot('09-discovered');
      // a role no profile names, with an "assumable" verdict (text + icon)
      const profiles = new Set(['s3-Full-Access', 'mfa-admin', 'partner-access', 'cross-account-readonly', 'chained-deploy', 'team-path-role']);
      const roleRows = i.sidebar().locator('.monaco-list-row:not([aria-expanded])');
      let target: string | undefined;
      const verdicts: string[] = [];
      for (let k = 0; k < (await roleRows.count()); k++) {
        const row = roleRows.nth(k);
        const label = ((await row.locator('.label-name').textContent()) ?? '').trim();
        const desc = ((await row.locator('.label-description').textContent().catch(() => '')) ?? '').trim();
        const icon = (await row.locator('.custom-view-tree-node-item-icon, .codicon').first().getAttribute('class').catch(() => '')) ?? '';
        verdicts.push(`${label}: ${desc} [${icon.replace(/\s+/g, ' ')}]`);
        if (!target && !profiles.has(label) && /^assumable( · \d{12})?$/.test(desc) && /codicon|custom-view-tree-node-item-icon/.test(icon)) target = label;
      }
      log(`verdicts: ${JSON.stringify(verdicts)}`);
      assert.ok(target, `no new assumable role with a verdict icon after discovery: ${JSON.stringify(rowsAfter)}`);
      log(`assuming discovered role ${target}`);
      await i.roleRow(target!).click();
      const mfa = i.page.locator('.quick-input-widget').filter({ hasText: 'MFA code' });
      if (await mfa.isVisible().catch(() => false)) {
        await i.page.keyboard.type('123456');
        await i.page.keyboard.press('Enter');
      }
      await i.roleStatus().filter({ hasText: target! }).waitFor({ state: 'visible', timeout: 30_000 });
      await i.shot('09-discovered-assumed');
    });
  });

  describe('Restricted Mode (untrusted folder)', function () {
    let inst: Instance | undefined;
    before(async function () {
      if (!ENABLED.restricted) this.skip();
      inst = await Instance.start({
        name: 'restricted',
        aws: 'seeds',
        trust: true,
        workspaceSettings: { 'roleSwitcher.endpointUrl': 'http://127.0.0.1:1' },
      });
    });
    after(async () => inst?.close());
    afterEach(failureHook(() => inst));

    it('10 untrusted workspace: the view says what is disabled and its endpointUrl is ignored', async function () {
      const i = inst!;
      await i.declineWorkspaceTrust();
      await i.openRoleSwitcherView();
      await i.sidebar().getByText(/Restricted Mode/).first().waitFor({ state: 'visible' });
      const text = (await i.sidebar().innerText()).replace(/\s+/g, ' ');
      log(`restricted view: ${text.slice(0, 300)}`);
      assert.match(text, /endpoint/i, 'the view names the endpoint setting as ignored');
      await i.shot('10-restricted-mode');
      await clickRole(i, 's3-Full-Access');
      // with the workspace endpoint (127.0.0.1:1) this would fail; the user-level env endpoint is the fake
      await expectRoleActive(i, 's3-Full-Access');
      const sts = i.fake!.calls.filter((c) => c.service === 'sts' && c.action === 'AssumeRole');
      assert.ok(sts.length >= 1, 'AssumeRole reached the fake, not http://127.0.0.1:1');
      await i.shot('10-restricted-assumed');
    });
  });
});
