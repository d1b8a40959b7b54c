// The first click as fast as the tenth (issue 10, point 5): activation schedules a warm-up and loads no
// SDK; the warm-up loads dist/aws.js, builds the STS client and, only for quiet bases while the Roles
// view is visible, asks STS who the base is. Timers are fakes: nothing here waits on the clock.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { awsLoaded, enableCompileCache, loadAwsModule } from '../../src/aws/lazy';
import { createAwsGateway } from '../../src/aws/gateway';
import type { Profile } from '../../src/core/profiles';
import type { RoleDefinition } from '../../src/core/types';
import { basesToWarm, isQuietBase, warmUp, type WarmUpDeps } from '../../src/core/warmup';
import { scheduleWarmUp, startWarmUp, WARM_UP_DELAY_MS, type Timers } from '../../src/host/warmup';
import { EventEmitter, fake, FakeEnvCollection, Uri } from '../helpers/vscode';
import { role } from '../helpers/builders';

class FakeTimers implements Timers {
  readonly pending = new Map<number, { fn: () => void; ms: number }>();
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Runs every pending timer and lets the promise chains they start settle. */
  async fire(): Promise<void> {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const t of due) t.fn();
    for (let i = 0; i < 20; i++) await Promise.resolve();
  }
}

function view(visible: boolean) {
  const changed = new EventEmitter<{ visible: boolean }>();
  const v = {
    visible,
    onDidChangeVisibility: changed.event,
    show(now = true) {
      v.visible = now;
      changed.fire({ visible: now });
    },
  };
  return v;
}

const profile = (p: Partial<Profile> & { name: string }): Profile => ({ file: '/x/config', line: 1, raw: {}, hasStaticKeys: false, ...p }) as unknown as Profile;

describe('warm-up', () => {
  describe('scheduleWarmUp', () => {
    it('arms one timer when the view is visible and never warms synchronously', async () => {
      const timers = new FakeTimers();
      let runs = 0;
      scheduleWarmUp(view(true), () => runs++, timers);
      assert.equal(runs, 0);
      assert.deepEqual([...timers.pending.values()].map((t) => t.ms), [WARM_UP_DELAY_MS]);
      await timers.fire();
      assert.equal(runs, 1);
    });

    it('waits for the view to become visible, then warms once', async () => {
      const timers = new FakeTimers();
      const v = view(false);
      let runs = 0;
      scheduleWarmUp(v, () => runs++, timers);
      assert.equal(timers.pending.size, 0);
      v.show(false);
      assert.equal(timers.pending.size, 0);
      v.show(true);
      v.show(true);
      assert.equal(timers.pending.size, 1);
      await timers.fire();
      v.show(true);
      assert.equal(timers.pending.size, 0);
      assert.equal(runs, 1);
    });

    it('dispose cancels a pending warm-up; a failing warm-up is swallowed', async () => {
      const timers = new FakeTimers();
      let runs = 0;
      scheduleWarmUp(view(true), () => runs++, timers).dispose();
      assert.equal(timers.pending.size, 0);
      scheduleWarmUp(view(true), () => Promise.reject(new Error('boom')), timers);
      await timers.fire();
      assert.equal(runs, 0);
    });
  });

  describe('isQuietBase', () => {
    const profiles = new Map<string, Profile>([
      ['default', profile({ name: 'default', hasStaticKeys: true })],
      ['proc', profile({ name: 'proc', credential_process: '/bin/get-creds' })],
      ['sso', profile({ name: 'sso', sso_session: 'corp' })],
      ['keys-and-proc', profile({ name: 'keys-and-proc', hasStaticKeys: true, credential_process: '/bin/x' })],
    ]);
    it('keys in the files or the environment are quiet', () => {
      assert.equal(isQuietBase({ kind: 'profileKeys', profile: 'default' }, {}, profiles), true);
      assert.equal(isQuietBase({ kind: 'profile', profile: 'default' }, {}, profiles), true);
      assert.equal(isQuietBase({ kind: 'default' }, {}, profiles), true);
      assert.equal(isQuietBase({ kind: 'environment' }, { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's' }, profiles), true);
    });
    it('SSO, credential_process, instance credentials and unknown kinds are not', () => {
      assert.equal(isQuietBase({ kind: 'profile', profile: 'proc' }, {}, profiles), false);
      assert.equal(isQuietBase({ kind: 'profile', profile: 'sso' }, {}, profiles), false);
      assert.equal(isQuietBase({ kind: 'profile', profile: 'keys-and-proc' }, {}, profiles), false);
      assert.equal(isQuietBase({ kind: 'default' }, { AWS_PROFILE: 'sso' }, profiles), false);
      assert.equal(isQuietBase({ kind: 'default' }, {}, new Map()), false);
      assert.equal(isQuietBase({ kind: 'environment' }, {}, profiles), false);
      assert.equal(isQuietBase({ kind: 'somethingNew' }, {}, profiles), false);
    });
  });

  it('basesToWarm keeps distinct (base, region) pairs in list order, at most 3', () => {
    const roles = [
      role({ base: { kind: 'profile', profile: 'a' } }),
      role({ id: 'r2', base: { kind: 'profile', profile: 'a' } }),
      role({ id: 'r3', base: { kind: 'profile', profile: 'a' }, region: 'eu-west-1' }),
      role({ id: 'r4', base: { kind: 'default' } }),
      role({ id: 'r5', base: { kind: 'environment' } }),
    ] as RoleDefinition[];
    assert.deepEqual(
      basesToWarm(roles, 'us-east-1').map((b) => `${b.base.kind}:${b.base.profile ?? ''}@${b.region}`),
      ['profile:a@us-east-1', 'profile:a@eu-west-1', 'default:@us-east-1'],
    );
  });

  describe('warmUp', () => {
    function deps(over: Partial<WarmUpDeps> & { roles?: () => Promise<readonly RoleDefinition[]> } = {}) {
      const calls: string[] = [];
      const d: WarmUpDeps = {
        roles: async () => [role({ base: { kind: 'profile', profile: 'default' } })],
        profiles: () => new Map([['default', profile({ name: 'default', hasStaticKeys: true })], ['proc', profile({ name: 'proc', credential_process: 'x' })]]),
        env: {},
        region: () => 'us-east-1',
        visible: () => true,
        load: () => calls.push('load'),
        buildClient: (b, r) => calls.push(`client ${b.kind}:${b.profile ?? ''}@${r}`),
        identify: async (b) => calls.push(`identify ${b.kind}:${b.profile ?? ''}`),
        log: () => undefined,
        ...over,
      };
      return { d, calls };
    }

    it('loads the module and asks STS who a quiet base is while the view is visible', async () => {
      const { d, calls } = deps();
      await warmUp(d);
      assert.deepEqual(calls, ['load', 'identify profile:default']);
    });

    it('sends nothing while the view is hidden: only builds the client', async () => {
      const { d, calls } = deps({ visible: () => false });
      await warmUp(d);
      assert.deepEqual(calls, ['load', 'client profile:default@us-east-1']);
    });

    it('never sends a request for a base that could prompt or run a process', async () => {
      const { d, calls } = deps({ roles: async () => [role({ base: { kind: 'profile', profile: 'proc' } })] });
      await warmUp(d);
      assert.deepEqual(calls, ['load', 'client profile:proc@us-east-1']);
    });

    it('loads the module even with no roles, and a failing base does not stop the others', async () => {
      const none = deps({ roles: async () => [] });
      await warmUp(none.d);
      assert.deepEqual(none.calls, ['load']);
      const lines: string[] = [];
      const { d, calls } = deps({
        roles: async () => [role({ base: { kind: 'profile', profile: 'default' } }), role({ id: 'r2', base: { kind: 'profile', profile: 'proc' } })],
        identify: async () => {
          throw Object.assign(new Error('no'), { name: 'InvalidClientTokenId' });
        },
        log: (l) => lines.push(l),
      });
      await warmUp(d);
      assert.deepEqual(calls, ['load', 'client profile:proc@us-east-1']);
      assert.ok(lines.some((l) => l.includes('InvalidClientTokenId')));
    });

    it('builds no client for IAM Identity Center bases (nothing to prebuild, nothing "skipped")', async () => {
      const lines: string[] = [];
      const sso = { kind: 'sso', sso: { portalId: 'session:acme', accountId: '111111111111', roleName: 'AdministratorAccess' } } as unknown as RoleDefinition['base'];
      const { d, calls } = deps({
        roles: async () => [role({ base: sso }), role({ id: 'r2', base: { kind: 'profile', profile: 'proc' } })],
        log: (l) => lines.push(l),
      });
      await warmUp(d);
      assert.deepEqual(calls, ['load', 'client profile:proc@us-east-1']);
      assert.deepEqual(lines.filter((l) => l.includes('skipped')), []);
    });
  });

  it('startWarmUp runs the bundle\'s warmUp through the switcher and the gateway', async () => {
    const timers = new FakeTimers();
    const v = view(true);
    const calls: string[] = [];
    const r = role({ base: { kind: 'profile', profile: 'default' } });
    startWarmUp({
      view: v,
      aws: () => ({ warmUp, primeSwitchPath: async () => (calls.push('prime'), 40) }),
      features: () => calls.push('features'),
      catalog: { loaded: false, reload: async () => void calls.push('reload'), roles: [r], profiles: new Map([['default', profile({ name: 'default', hasStaticKeys: true })]]) },
      settings: { region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9', requestTimeoutMs: 1000 },
      switcher: () => ({ callerOf: async (b) => (calls.push(`callerOf ${b.kind}`), { arn: 'arn:aws:iam::111111111111:user/u', account: '111111111111', userId: 'U' }) }),
      gateway: () => ({ warm: (o) => void calls.push(`warm ${o.region}`) }),
      log: (l) => calls.push(l),
      timers,
    });
    assert.deepEqual(calls, []);
    await timers.fire();
    for (let i = 0; i < 10; i++) await Promise.resolve();
    assert.deepEqual(calls.slice(0, 3), ['features', 'reload', 'callerOf profile']);
    assert.equal(calls.at(-1), 'prime', 'the dry run comes last, after the real warm-up');
  });

  it('the dry run switches against an in-memory STS: nothing leaves the process, the window store is untouched', async () => {
    const { primeSwitchPath } = await import('../../src/aws/prime');
    const net = await import('node:net');
    const connects: unknown[] = [];
    const orig = net.Socket.prototype.connect;
    net.Socket.prototype.connect = function (this: unknown, ...a: unknown[]) {
      connects.push(a[0]);
      return (orig as (...x: unknown[]) => unknown).apply(this, a);
    } as typeof orig;
    let done = 0;
    try {
      done = await primeSwitchPath(3);
    } finally {
      net.Socket.prototype.connect = orig;
    }
    assert.deepEqual([done, connects], [3, []], 'three dry switches, no socket');
  });

  it('SdkGateway.warm builds and caches the STS client without sending', () => {
    const gw = createAwsGateway();
    const opts = { region: 'us-east-1', endpoint: 'http://127.0.0.1:9', timeoutMs: 1000, credentials: { kind: 'default' as const } };
    gw.warm(opts);
    gw.warm(opts);
    assert.equal(gw.clientCount(), 1);
    gw.reset();
  });

  describe('compile cache', () => {
    it('is used only where Node has module.enableCompileCache (Node >= 22)', () => {
      assert.equal(enableCompileCache({}, '/tmp/x'), 'unsupported');
      const dirs: string[] = [];
      assert.equal(enableCompileCache({ enableCompileCache: (d) => (dirs.push(d), { status: 1 }) }, '/tmp/cc'), 'enabled');
      assert.deepEqual(dirs, ['/tmp/cc']);
      assert.equal(enableCompileCache({ enableCompileCache: () => ({ status: 2 }) }, '/tmp/cc'), 'enabled');
      assert.equal(enableCompileCache({ enableCompileCache: () => ({ status: 0, message: 'EACCES' }) }, '/tmp/cc'), 'failed');
      assert.equal(enableCompileCache({ enableCompileCache: () => ({ status: 3 }) }, '/tmp/cc'), 'failed');
      assert.equal(
        enableCompileCache({ enableCompileCache: () => { throw new Error('x'); } }, '/tmp/cc'),
        'failed',
      );
    });
  });

  describe('activation', () => {
    let dir: string;
    const saved = { ...process.env };
    beforeEach(() => {
      fake.reset();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-warm-'));
      for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
      process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
      process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    });
    afterEach(() => {
      process.env = { ...saved };
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('activate() schedules the warm-up and returns without loading the SDK; the warm-up loads it', async function () {
      this.timeout(60_000);
      if (awsLoaded()) this.skip(); // another test in this process loaded it first
      fake.viewVisible = false;
      const scheduled: Array<{ fn: () => void; ms: number }> = [];
      const realSetTimeout = globalThis.setTimeout;
      const context = {
        subscriptions: [] as Array<{ dispose(): void }>,
        environmentVariableCollection: new FakeEnvCollection(),
        globalStorageUri: Uri.file(path.join(dir, 'global')),
        extensionPath: path.resolve(__dirname, '..', '..'),
        secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) },
      };
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const ext = require('../../src/extension') as { activate(c: unknown): void };
      (globalThis as { setTimeout: unknown }).setTimeout = (fn: () => void, ms: number) => {
        scheduled.push({ fn, ms });
        return realSetTimeout(() => undefined, 0);
      };
      try {
        ext.activate(context);
        fake.viewVisible = true;
        fake.viewVisibility.fire({ visible: true });
      } finally {
        globalThis.setTimeout = realSetTimeout;
      }
      try {
        assert.equal(awsLoaded(), false, 'activation loaded the AWS module');
        const warm = scheduled.filter((t) => t.ms === WARM_UP_DELAY_MS);
        assert.equal(warm.length, 1, 'no warm-up timer was scheduled');
        warm[0].fn();
        for (let i = 0; i < 50 && !fake.logLines.some((l) => l.includes('warm-up done')); i++) await new Promise((r) => setImmediate(r));
        assert.equal(awsLoaded(), true);
        assert.equal(typeof loadAwsModule().warmUp, 'function');
        assert.ok(fake.logLines.some((l) => l.includes('warm-up done')), fake.logLines.join('\n'));
      } finally {
        for (const d of context.subscriptions.reverse()) d.dispose();
      }
    });
  });
});
