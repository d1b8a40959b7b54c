// Host adapters against the hand-written vscode fake (test/helpers/vscode.ts).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FakeClock } from '../../src/core/clock';
import { SessionStore } from '../../src/core/session';
import { SHIM_PROFILE } from '../../src/core/terminalEnv';
import { Settings } from '../../src/host/settings';
import { StatusBar } from '../../src/host/statusBar';
import { TerminalEnvironment } from '../../src/host/terminalEnv';
import { fake, FakeEnvCollection } from '../helpers/vscode';
import { session } from '../helpers/builders';

describe('host adapters', () => {
  let clock: FakeClock;
  let store: SessionStore;
  const disposables: Array<{ dispose(): void }> = [];

  beforeEach(() => {
    fake.reset();
    clock = new FakeClock(Date.now());
    store = new SessionStore(clock);
  });
  afterEach(() => {
    while (disposables.length) disposables.pop()!.dispose();
    store.dispose();
  });

  describe('Settings', () => {
    it('reads typed values with defaults', () => {
      const s = new Settings();
      assert.equal(s.requestTimeoutMs, 10_000);
      assert.equal(s.endpointUrl, undefined);
      fake.config.set('requestTimeoutSeconds', 3);
      fake.config.set('endpointUrl', ' http://127.0.0.1:4566 ');
      assert.equal(s.requestTimeoutMs, 3000);
      assert.equal(s.endpointUrl, 'http://127.0.0.1:4566');
    });

    it('ignores workspace values of credential-redirecting settings in an untrusted workspace', () => {
      const s = new Settings();
      fake.workspaceConfig.set('endpointUrl', 'http://evil.example');
      fake.config.set('endpointUrl', 'http://127.0.0.1:4566');
      fake.trusted = false;
      assert.equal(s.endpointUrl, 'http://127.0.0.1:4566');
      fake.config.delete('endpointUrl');
      assert.equal(s.endpointUrl, undefined);
      fake.trusted = true;
      assert.equal(s.endpointUrl, 'http://evil.example');
    });

    it('rejects nonsense numbers', () => {
      const s = new Settings();
      fake.config.set('requestTimeoutSeconds', 'abc');
      fake.config.set('defaultDurationSeconds', 10);
      assert.equal(s.requestTimeoutMs, 10_000);
      assert.equal(s.defaultDurationSeconds, 3600);
    });
  });

  describe('StatusBar', () => {
    it('renders the session, warns near expiry, and returns to the base identity', () => {
      const bar = new StatusBar(store, new Settings(), clock, () => 'arn:aws:iam::111111111111:user/test-user');
      disposables.push(bar);
      const item = fake.statusItems[0];
      assert.equal(item.id, 'roleSwitcher.status');
      assert.equal(item.command, 'roleSwitcher.sessionMenu');
      assert.equal(item.text, '$(account) AWS: base identity');
      store.replace([session({ accountAlias: 'seeds-sandbox' }, clock.now())]);
      assert.equal(item.text, '$(shield) s3-Full-Access · seeds-sandbox · 1h');
      assert.equal(item.backgroundColor, undefined);
      clock.advance(56 * 60_000);
      bar.render();
      assert.equal(item.text, '$(shield) s3-Full-Access · seeds-sandbox · 4m');
      assert.equal((item.backgroundColor as unknown as vscode.ThemeColor).id, 'statusBarItem.warningBackground');
      store.clear();
      assert.equal(item.text, '$(account) AWS: base identity');
      assert.equal(item.backgroundColor, undefined);
    });

    it('hides without a session when the setting says so', () => {
      fake.config.set('statusBar.showBaseIdentity', false);
      const bar = new StatusBar(store, new Settings(), clock, () => undefined);
      disposables.push(bar);
      assert.equal(fake.statusItems[0].visible, false);
    });
  });

  describe('TerminalEnvironment', () => {
    let dir: string;
    const saved = process.env.AWS_PROFILE;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-host-'));
      delete process.env.AWS_PROFILE;
    });
    afterEach(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      if (saved === undefined) delete process.env.AWS_PROFILE;
      else process.env.AWS_PROFILE = saved;
    });

    it('is non-persistent, replaces the variables on switch and clears them on switch back', () => {
      const coll = new FakeEnvCollection();
      coll.values.set('STALE', 'x');
      const t = new TerminalEnvironment(coll as unknown as vscode.GlobalEnvironmentVariableCollection, store, new Settings(), dir, '/ext');
      disposables.push(t);
      assert.equal(coll.persistent, false);
      assert.equal(coll.values.size, 0);
      const s = session({}, clock.now());
      store.replace([s]);
      assert.equal(coll.get('AWS_ACCESS_KEY_ID'), s.accessKeyId);
      assert.equal(coll.get('AWS_SECRET_ACCESS_KEY'), s.secretAccessKey);
      assert.equal(coll.get('AWS_SESSION_TOKEN'), s.sessionToken);
      assert.match(String(coll.description), /s3-Full-Access/);
      store.pop();
      assert.equal(coll.values.size, 0);
      assert.equal(coll.description, undefined);
    });

    it('clears on expiry', () => {
      const coll = new FakeEnvCollection();
      disposables.push(new TerminalEnvironment(coll as unknown as vscode.GlobalEnvironmentVariableCollection, store, new Settings(), dir, '/ext'));
      store.replace([session({}, clock.now())]);
      clock.advance(3600_000);
      assert.equal(coll.values.size, 0);
    });

    it('respects terminal.injectCredentials', () => {
      const coll = new FakeEnvCollection();
      disposables.push(new TerminalEnvironment(coll as unknown as vscode.GlobalEnvironmentVariableCollection, store, new Settings(), dir, '/ext'));
      fake.setConfig('terminal.injectCredentials', false);
      store.replace([session({}, clock.now())]);
      assert.equal(coll.values.size, 0);
      fake.setConfig('terminal.injectCredentials', true);
      assert.ok(coll.get('AWS_SESSION_TOKEN'));
    });

    it('terminals on a remote get the keys, with no shim, even in endpoint mode; that is said once', async () => {
      process.env.AWS_PROFILE = 'dev';
      fake.setConfig('terminal.mode', 'endpoint');
      try {
        const coll = new FakeEnvCollection();
        const t = new TerminalEnvironment(coll as unknown as vscode.GlobalEnvironmentVariableCollection, store, new Settings(), dir, '/ext', 'ssh-remote');
        disposables.push(t);
        const s = session({}, clock.now());
        await t.prepare(s);
        store.replace([s]);
        assert.equal(coll.get('AWS_SECRET_ACCESS_KEY'), s.secretAccessKey);
        assert.equal(coll.get('AWS_PROFILE'), undefined, 'no shim profile: its file would be a local path');
        assert.equal(coll.get('AWS_CONTAINER_CREDENTIALS_FULL_URI'), undefined);
        assert.equal(t.endpoint.started, undefined, 'the local endpoint is not started for the remote');
        assert.equal(fs.readdirSync(dir).length, 0, 'no shim file written');
        store.replace([session({}, clock.now())]);
        const notes = fake.messages.filter((m) => /terminals on the SSH host get the session's keys/.test(m.text));
        assert.equal(notes.length, 1, JSON.stringify(fake.messages));
      } finally {
        fake.config.delete('terminal.mode');
      }
    });

    it('writes a secret-free shim when terminals inherit AWS_PROFILE', async () => {
      process.env.AWS_PROFILE = 'dev';
      const coll = new FakeEnvCollection();
      const t = new TerminalEnvironment(coll as unknown as vscode.GlobalEnvironmentVariableCollection, store, new Settings(), dir, '/ext');
      disposables.push(t);
      const s = session({}, clock.now());
      await t.prepare(s);
      store.replace([s]);
      assert.equal(coll.get('AWS_PROFILE'), SHIM_PROFILE);
      const file = coll.get('AWS_CONFIG_FILE')!;
      const text = fs.readFileSync(file, 'utf8');
      assert.match(text, /credential_process = env ELECTRON_RUN_AS_NODE=1 ".*" "\/ext\/dist\/credential-process.js"/);
      assert.ok(!text.includes(s.secretAccessKey) && !text.includes(s.sessionToken) && !text.includes(s.accessKeyId));
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    });
  });
});
