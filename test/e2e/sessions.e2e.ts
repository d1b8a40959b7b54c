// Sessions that live (issue 11), in real VS Code (code-server + Chromium): a terminal opened before a
// switch follows it through the credential endpoint, and a reload restores the session.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Instance, log, repoRoot, sleep } from './harness';

const WHOAMI = join(repoRoot, 'scripts', 'whoami.mjs');
const S3 = /^arn:aws:sts::111111111111:assumed-role\/s3-Full-Access\/\S+$/;
const PATH_ROLE = /^arn:aws:sts::111111111111:assumed-role\/path-role\/\S+$/;

function failureHook(get: () => Instance | undefined) {
  return async function (this: Mocha.Context) {
    const t = this.currentTest;
    const inst = get();
    if (t && t.state === 'failed' && inst) await inst.saveFailure(`${t.title.split(' ')[0]}-${t.title.replace(/[^\w]+/g, '-').slice(0, 40)}`);
  };
}

async function clickRole(inst: Instance, label: string): Promise<void> {
  await inst.openRoleSwitcherView();
  const row = inst.roleRow(label);
  await row.waitFor({ state: 'visible' });
  await row.click();
}

/** The window's session is `label` (from an earlier scenario, or assumed now when run alone). */
async function ensureRole(inst: Instance, label: string): Promise<void> {
  if (await inst.roleStatus().filter({ hasText: label }).isVisible().catch(() => false)) return;
  await clickRole(inst, label);
  await waitForRole(inst, label);
}

async function waitForRole(inst: Instance, label: string, timeout = 30_000): Promise<void> {
  await inst.roleStatus().filter({ hasText: label }).waitFor({ state: 'visible', timeout });
}

/** The non-empty lines of a file that a terminal loop appends to. */
function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean) : [];
}

async function waitForLine(file: string, re: RegExp, timeoutMs: number): Promise<string[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const all = lines(file);
    if (all.length && re.test(all[all.length - 1])) return all;
    if (Date.now() > end) throw new Error(`no line matching ${re} in ${file}; last lines: ${JSON.stringify(all.slice(-5))}`);
    await sleep(300);
  }
}

describe('Role Switcher E2E: sessions that live', function () {
  describe('endpoint mode and restore after reload', function () {
    let inst: Instance | undefined;
    before(async function () {
      inst = await Instance.start({ name: 'live', aws: 'seeds', userSettings: { 'roleSwitcher.terminal.mode': 'endpoint' } });
    });
    after(async () => inst?.close());
    afterEach(failureHook(() => inst));

    it('L1 endpoint mode: a terminal started before a switch runs a GetCallerIdentity loop that follows the switch', async function () {
      this.timeout(150_000);
      const i = inst!;
      await i.openRoleSwitcherView();
      await clickRole(i, 's3-Full-Access');
      await waitForRole(i, 's3-Full-Access');

      // terminals get the endpoint, never the keys (and ~/.aws/credentials has a [default] of other keys)
      const env = await i.terminalRun('echo "[${AWS_SECRET_ACCESS_KEY:-none}][${AWS_SESSION_TOKEN:-none}][${AWS_CONTAINER_CREDENTIALS_FULL_URI:+endpoint}][${AWS_PROFILE}]"');
      assert.equal(env.out.trim(), '[none][none][endpoint][role-switcher-session]');
      assert.ok(readFileSync(i.awsHome!.credentialsFile, 'utf8').includes('[default]'), 'the home has a [default] with keys');

      // a loop in a terminal opened now, before the switch
      const out = join(i.tmp, 'out', 'loop.txt');
      const err = join(i.tmp, 'out', 'loop.err');
      await i.terminalShow(`for n in $(seq 1 400); do node ${WHOAMI} >> ${out} 2>> ${err}; sleep 0.3; done`, 500);
      const before = await waitForLine(out, S3, 60_000);
      log(`loop before the switch: ${before.slice(-1)[0]}`);

      await clickRole(i, 'team-path-role');
      await waitForRole(i, 'team-path-role');
      const after = await waitForLine(out, PATH_ROLE, 60_000);
      log(`loop after the switch: ${after.slice(-1)[0]}`);
      assert.ok(after.every((l) => S3.test(l) || PATH_ROLE.test(l)), `every call acted as a role, never the [default] user: ${JSON.stringify(after.filter((l) => !S3.test(l) && !PATH_ROLE.test(l)).slice(0, 3))}`);
      // stderr holds only the SDK's Node-version notice, no failed call
      const problems = lines(err).filter((l) => l.startsWith('whoami:'));
      assert.deepEqual(problems, [], 'no call failed across the switch');
      await i.shot('L1-endpoint-loop-followed-switch');
      await i.killTerminals();
    });

    it('L2 a reload restores the session: the status bar and new terminals act as the role again', async function () {
      this.timeout(150_000);
      const i = inst!;
      await waitForRole(i, 'team-path-role'); // from L1
      await i.page.reload();
      await i.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await i.page.locator('.part.statusbar').waitFor({ timeout: 60_000 });
      // restored without a click (the view is not even opened first)
      await waitForRole(i, 'team-path-role', 60_000);
      await i.shot('L2-restored-after-reload');
      const id = await i.terminalRun(`node ${WHOAMI}`);
      assert.match(id.out.trim(), PATH_ROLE, `a new terminal after the reload: ${id.out}${id.err}`);
      await i.killTerminals();
    });

    it('L3 "New Terminal as Role…" opens a tab named for the role that acts as it, leaving the window session alone', async function () {
      this.timeout(120_000);
      const i = inst!;
      await ensureRole(i, 'team-path-role'); // the window's session (from L2)
      await i.command('Role Switcher: New Terminal as Role…');
      const pick = i.page.locator('.quick-input-widget');
      await pick.waitFor({ state: 'visible' });
      // the role list is there (and the input focused) before typing, or keys go astray
      await pick.locator('.quick-input-list .monaco-list-row').filter({ hasText: 's3-Full-Access' }).first().waitFor({ state: 'visible', timeout: 15_000 });
      await pick.locator('input:focus').waitFor({ state: 'attached', timeout: 5_000 }).catch(() => undefined);
      await i.page.keyboard.type('s3-Full-Access', { delay: 5 });
      await pick.locator('.quick-input-list .monaco-list-row.focused').filter({ hasText: 's3-Full-Access' }).waitFor({ state: 'visible', timeout: 15_000 });
      await i.page.keyboard.press('Enter');
      await i.page.locator('.part.panel').getByText('AWS: s3-Full-Access').first().waitFor({ state: 'visible', timeout: 30_000 });
      await i.shot('L3-role-terminal-tab');
      // type into that (focused) terminal, like terminalRun does into a new one
      const out = join(i.tmp, 'out', 'role-terminal.txt');
      const done = `${out}.done`;
      await i.page.locator('.xterm-helper-textarea:focus').waitFor({ state: 'attached', timeout: 15_000 }).catch(() => undefined);
      await sleep(500);
      await i.page.keyboard.type(`{ node ${WHOAMI} ; env | grep -E '^(AWS_|ROLE_SWITCHER)' | sed -E 's/(SECRET_ACCESS_KEY|SESSION_TOKEN|AUTHORIZATION_TOKEN)=.*/\\1=…/' ; } > ${out} 2>&1; echo ok > ${done}\n`, { delay: 2 });
      const end = Date.now() + 45_000;
      while (!existsSync(done) && Date.now() < end) await sleep(200);
      const text = existsSync(out) ? readFileSync(out, 'utf8') : '(no output)';
      const arn = text.split('\n').map((l) => l.trim()).find((l) => l.startsWith('arn:')) ?? '';
      assert.match(arn, S3, `the role terminal acts as its own role:\n${text}`);
      await waitForRole(i, 'team-path-role'); // and the window's session is still the other role
      await i.killTerminals();
    });

    it('L4 a Node launch configuration\'s process acts as the window\'s role', async function () {
      this.timeout(120_000);
      const i = inst!;
      await ensureRole(i, 'team-path-role');
      const out = join(i.tmp, 'out', 'debug-whoami.txt');
      const sts = JSON.stringify(join(repoRoot, 'node_modules', '@aws-sdk', 'client-sts'));
      writeFileSync(
        join(i.workspace, 'whoami-debug.js'),
        `const fs = require('fs');\nconst { STSClient, GetCallerIdentityCommand } = require(${sts});\n` +
          `new STSClient({ region: 'us-east-1' }).send(new GetCallerIdentityCommand({})).then((o) => fs.writeFileSync(${JSON.stringify(out)}, o.Arn), (e) => fs.writeFileSync(${JSON.stringify(out)}, 'ERR ' + e.name + ': ' + e.message));\n`,
      );
      mkdirSync(join(i.workspace, '.vscode'), { recursive: true });
      writeFileSync(join(i.workspace, '.vscode', 'launch.json'), JSON.stringify({ version: '0.2.0', configurations: [{ type: 'node', request: 'launch', name: 'whoami', program: '${workspaceFolder}/whoami-debug.js', console: 'internalConsole' }] }, null, 2));
      await sleep(1000);
      await i.command('Debug: Start Debugging');
      const end = Date.now() + 60_000;
      while (!existsSync(out) && Date.now() < end) await sleep(300);
      await i.shot('L4-debug-launch');
      assert.ok(existsSync(out), 'the launched program wrote its identity');
      assert.match(readFileSync(out, 'utf8').trim(), PATH_ROLE, 'the debugged process acts as the role');
    });

    it('L5 a shell task started from VS Code acts as the window\'s role', async function () {
      this.timeout(120_000);
      const i = inst!;
      await ensureRole(i, 'team-path-role');
      const out = join(i.tmp, 'out', 'task-whoami.txt');
      mkdirSync(join(i.workspace, '.vscode'), { recursive: true });
      writeFileSync(
        join(i.workspace, '.vscode', 'tasks.json'),
        JSON.stringify({ version: '2.0.0', tasks: [{ label: 'whoami-task', type: 'shell', command: `node ${WHOAMI} > ${out} 2>/dev/null`, problemMatcher: [] }] }, null, 2),
      );
      // VS Code notices the new .vscode/tasks.json through its file watcher; ask until it lists the task
      const pick = i.page.locator('.quick-input-widget');
      const row = pick.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'whoami-task' }).first();
      for (let attempt = 0; ; attempt++) {
        await i.command('Tasks: Run Task');
        if (await row.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) break;
        if (attempt >= 8) throw new Error('Tasks: Run Task never listed whoami-task');
        await i.escapeQuickInput();
        await sleep(1000);
      }
      await pick.locator('input:focus').waitFor({ state: 'attached', timeout: 5_000 }).catch(() => undefined);
      await i.page.keyboard.type('whoami-task', { delay: 5 });
      await pick.locator('.quick-input-list .monaco-list-row.focused').filter({ hasText: 'whoami-task' }).waitFor({ state: 'visible', timeout: 10_000 });
      await i.page.keyboard.press('Enter');
      const end = Date.now() + 60_000;
      while (!(existsSync(out) && readFileSync(out, 'utf8').trim()) && Date.now() < end) await sleep(300);
      await i.shot('L5-task');
      assert.match(existsSync(out) ? readFileSync(out, 'utf8').trim() : '(no output)', PATH_ROLE, 'the task acts as the role');
      await i.killTerminals();
    });
  });
});
