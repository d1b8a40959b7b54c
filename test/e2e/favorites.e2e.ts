// Favorites (issue 13), in real VS Code (code-server + Chromium): pinning a role from the Roles view's
// context menu moves it to a "Favorites" group at the top; Unpin puts it back under its account. And
// search: the role QuickPick finds roles by account ID and by the path in their ARN, with VS Code's
// own fuzzy matcher (the Command Palette's) highlighting what matched.
import * as assert from 'node:assert/strict';
import { Instance, log, sleep } from './harness';

const ROLE = 'cross-account-readonly';

/** The labels of the Roles view's rows, top to bottom. */
async function rowLabels(inst: Instance): Promise<string[]> {
  const rows = inst.sidebar().locator('.monaco-list-row .label-name');
  return (await rows.allTextContents()).map((s) => s.trim());
}

async function contextMenu(inst: Instance, label: string, action: RegExp): Promise<void> {
  const row = inst.roleRow(label).first();
  await row.waitFor({ state: 'visible' });
  await row.click({ button: 'right' });
  const item = inst.page.locator('.monaco-menu .action-item:not(.disabled) .action-label', { hasText: action }).first();
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  // VS Code's menu items take the mouse only 100 ms after the menu rendered (the mouseup that opened
  // it must not pick an item); a click before then, as on a busy machine, does nothing and leaves the
  // menu open. So wait past that, and click again while the menu is still up.
  for (let attempt = 0; attempt < 3; attempt++) {
    await sleep(300);
    if (!(await item.isVisible())) return;
    await item.click({ timeout: 5_000 }).catch(() => undefined);
    if (await item.waitFor({ state: 'hidden', timeout: 2_000 }).then(() => true, () => false)) return;
  }
  throw new Error(`the context menu item ${action} did not close its menu when clicked`);
}

async function waitForRows(inst: Instance, ok: (labels: string[]) => boolean, what: string): Promise<string[]> {
  const end = Date.now() + 15_000;
  let labels: string[] = [];
  while (Date.now() < end) {
    labels = await rowLabels(inst);
    if (ok(labels)) return labels;
    await sleep(250);
  }
  // What else the window shows, so a failure says whether the command ran (its status bar message)
  // or asked for a role (a QuickPick: VS Code handed it no row).
  const seen = async (sel: string) => (await inst.page.locator(sel).allTextContents().catch(() => [])).map((t) => t.trim()).filter(Boolean);
  const extra = { statusBar: await seen('.part.statusbar .statusbar-item'), quickInput: await seen('.quick-input-widget:visible .quick-input-title'), notifications: await seen('.notification-toast .notification-list-item-message') };
  throw new Error(`${what}; rows: ${JSON.stringify(labels)}; window: ${JSON.stringify(extra)}`);
}

describe('Role Switcher E2E: favorites', function () {
  let inst: Instance | undefined;
  before(async function () {
    inst = await Instance.start({ name: 'favorites', aws: 'seeds' });
  });
  after(async () => inst?.close());
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && inst) await inst.saveFailure('favorites-pin');
  });

  it('pinning a role from the tree context menu moves it to the top', async function () {
    const i = inst!;
    await i.openRoleSwitcherView();
    await i.roleRow(ROLE).first().waitFor({ state: 'visible', timeout: 30_000 });
    const before = await rowLabels(i);
    log(`favorites: rows before ${JSON.stringify(before)}`);
    assert.ok(!before.includes('Favorites'));
    const firstRole = before.findIndex((l) => l === 's3-Full-Access');
    assert.ok(before.indexOf(ROLE) > firstRole, 'the role starts below another account\'s roles');

    await contextMenu(i, ROLE, /^Pin$/);
    const after = await waitForRows(i, (l) => l.includes('Favorites'), 'no Favorites group after Pin');
    log(`favorites: rows after pin ${JSON.stringify(after)}`);
    const fav = after.indexOf('Favorites');
    assert.equal(after[fav + 1], ROLE, 'the pinned role is the first row of Favorites');
    assert.ok(fav < after.indexOf('s3-Full-Access'), 'Favorites is above the account groups');
    assert.equal(after.filter((l) => l === ROLE).length, 1, 'the role moved (it is not listed twice)');
    await i.shot('favorites-pinned');

    // Pinned roles offer Unpin (contextValue ends in .pinned), which puts it back.
    await contextMenu(i, ROLE, /^Unpin$/);
    const back = await waitForRows(i, (l) => !l.includes('Favorites'), 'Favorites still shown after Unpin');
    assert.ok(back.indexOf(ROLE) > back.indexOf('s3-Full-Access'));
  });

  it('search: the role QuickPick finds a role by account ID and by its ARN path, and highlights the match', async function () {
    const i = inst!;
    await i.command('Role Switcher: Assume Role…');
    const rows = i.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'arn:aws:iam::' }).first().waitFor({ state: 'visible' });
    const visible = async () => (await rows.locator('.label-name').allTextContents()).map((t) => t.trim());
    const settle = async (ok: (l: string[]) => boolean, what: string) => {
      const end = Date.now() + 10_000;
      let l: string[] = [];
      while (Date.now() < end) {
        if (ok((l = await visible()))) return l;
        await sleep(200);
      }
      throw new Error(`${what}; rows: ${JSON.stringify(l)}`);
    };
    // The account ID is in each row's description: only that account's roles stay.
    await i.page.keyboard.type('222222222222');
    const byAccount = await settle((l) => l.length > 0 && !l.includes('s3-Full-Access'), 'typing an account ID left other accounts\' roles');
    log(`search 222222222222: ${JSON.stringify(byAccount)}`);
    assert.ok(byAccount.includes(ROLE) && byAccount.includes('chained-deploy'), JSON.stringify(byAccount));
    assert.ok((await rows.first().locator('.label-description .highlight').count()) > 0, 'the matched account ID is highlighted in the description');
    // A word of the ARN's path (arn:aws:iam::111111111111:role/team/…) finds the role under it.
    await i.page.keyboard.press('Control+A');
    await i.page.keyboard.type('role/team');
    const byPath = await settle((l) => l[0] === 'team-path-role', 'typing the path of an ARN did not put its role first');
    log(`search role/team: ${JSON.stringify(byPath)}`);
    assert.ok((await rows.first().locator('.highlight').count()) > 0, 'the matched part of the ARN is highlighted');
    await i.shot('favorites-search');
    await i.escapeQuickInput();
  });
});
