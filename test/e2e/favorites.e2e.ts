// Favorites (issue 13), in real VS Code (code-server + Chromium): pinning a role from the Roles view's
// context menu moves it to a "Favorites" group at the top; Unpin puts it back under its account.
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
  await item.click();
}

async function waitForRows(inst: Instance, ok: (labels: string[]) => boolean, what: string): Promise<string[]> {
  const end = Date.now() + 15_000;
  let labels: string[] = [];
  while (Date.now() < end) {
    labels = await rowLabels(inst);
    if (ok(labels)) return labels;
    await sleep(250);
  }
  throw new Error(`${what}; rows: ${JSON.stringify(labels)}`);
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
});
