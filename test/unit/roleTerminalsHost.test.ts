// Per-terminal roles, debug sessions and the workspace role (issue 11), host side: RoleTerminals with
// real Switchers over the in-memory STS, the terminal profile provider, the '*' debug provider and the
// workspace-role offer, against the vscode fake.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FakeClock } from '../../src/core/clock';
import type { EndpointCredentials } from '../../src/core/credentialEndpoint';
import type { AwsGateway } from '../../src/core/gateway';
import { Redactor } from '../../src/core/redact';
import { ROLE_TERMINAL_MARKER } from '../../src/core/roleTerminal';
import { SessionStore } from '../../src/core/session';
import { Switcher } from '../../src/core/switcher';
import type { RoleDefinition, Session } from '../../src/core/types';
import { CommandContext, type CommandDeps } from '../../src/host/commands/context';
import { NEW_ROLE_TERMINAL, roleTerminalCommands, roleTerminalProfileProvider } from '../../src/host/commands/roleTerminal';
import { DebugCredentials } from '../../src/host/debugCredentials';
import { RoleTerminals, UNCLAIMED_MS } from '../../src/host/roleTerminals';
import { loadRoleTerminals } from '../../src/host/roleTerminalsLoader';
import { Settings } from '../../src/host/settings';
import { ASSUME, NOT_NOW, WorkspaceRoleOffer } from '../../src/host/workspaceRole';
import { role } from '../helpers/builders';
import { FakeGateway } from '../helpers/fakeGateway';
import { fake, FakeTerminal, TerminalProfile, Uri } from '../helpers/vscode';

const MIN = 60_000;
const dev = role({ id: 'profile:dev', profile: 'dev', label: 'dev', roleArn: 'arn:aws:iam::111111111111:role/Dev', color: 'terminal.ansiGreen' });
const prod = role({ id: 'profile:prod', profile: 'prod', label: 'prod', roleArn: 'arn:aws:iam::222222222222:role/Prod' });

/** A stand-in for the window's credential endpoint: records bindings, serves what their getter returns. */
class FakeEndpoint {
  readonly bindings: Array<{ get: () => EndpointCredentials | undefined; token: string; url: string; disposed: boolean }> = [];
  async bindExtra(get: () => EndpointCredentials | undefined) {
    const i = this.bindings.length + 1;
    const b = { get, token: `token-${i}`, url: `http://127.0.0.1:1234/role-switcher/p${i}`, path: `/role-switcher/p${i}`, disposed: false, dispose: () => void (b.disposed = true) };
    this.bindings.push(b);
    return b;
  }
}

function setup(mode: 'env' | 'endpoint' = 'env', remote?: string) {
  const clock = new FakeClock(Date.UTC(2026, 11, 1, 9, 0, 0));
  const gw = new FakeGateway();
  gw.now = () => clock.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-roleterm-'));
  const endpoint = new FakeEndpoint();
  const deps = (store: SessionStore) => ({
    gateway: () => gw as unknown as AwsGateway,
    callOptions: () => ({ region: 'us-east-1', timeoutMs: 5000 }),
    askMfaCode: async () => '123456',
    store,
    profiles: () => new Map(),
    now: () => clock.now(),
  });
  const windowStore = new SessionStore(clock);
  const windowSwitcher = new Switcher(deps(windowStore));
  const stores: SessionStore[] = [];
  const failures: unknown[] = [];
  const terminals = new RoleTerminals({
    clock,
    switcherFor: (own) => {
      stores.push(own);
      return new Switcher(deps(own));
    },
    mode: () => mode,
    renewLeadMs: () => 5 * MIN,
    endpoint: () => endpoint,
    onRenewFailure: (e) => failures.push(e),
    log: () => undefined,
    inherited: { PATH: '/usr/bin', AWS_PROFILE: 'window-profile' },
    shimDir: path.join(dir, 'roles'),
    credentialScript: '/ext/dist/credential-process.js',
    nodeExecutable: '/usr/bin/node',
    remote,
  });
  const settle = async () => {
    for (let i = 0; i < 30; i++) await Promise.resolve();
  };
  const cleanup = () => {
    terminals.dispose();
    windowStore.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { clock, gw, dir, endpoint, windowStore, windowSwitcher, terminals, stores, failures, settle, cleanup };
}

const envOf = (t: vscode.Terminal) => (t.creationOptions as vscode.TerminalOptions).env as Record<string, string>;
const assumes = (gw: FakeGateway) => gw.calls.filter((c) => c.op === 'AssumeRole').length;

describe('RoleTerminals (per-terminal roles)', () => {
  beforeEach(() => fake.reset());

  it('is loaded on first use (its own bundle in the build, this source under tsx)', () => {
    assert.equal(loadRoleTerminals().RoleTerminals, RoleTerminals);
  });

  it('opens a strictEnv terminal bound to the role, with the role on its tab', async () => {
    const t = setup();
    try {
      const term = await t.terminals.open(dev);
      const o = term.creationOptions as vscode.TerminalOptions;
      assert.equal(o.name, 'AWS: dev');
      assert.equal(o.strictEnv, true);
      assert.equal((o.iconPath as vscode.ThemeIcon).id, 'shield');
      assert.equal(o.color?.id, 'terminal.ansiGreen');
      assert.match(o.message ?? '', /acts as dev/);
      const s = t.terminals.sessionOf(term)!;
      assert.equal(s.role.id, dev.id);
      assert.equal(envOf(term).AWS_ACCESS_KEY_ID, s.accessKeyId);
      assert.equal(envOf(term).AWS_SECRET_ACCESS_KEY, s.secretAccessKey);
      assert.equal('AWS_PROFILE' in envOf(term), false, 'the inherited AWS_PROFILE is unset, not shimmed');
      assert.equal((term as unknown as FakeTerminal).shown, true);
      assert.equal(t.windowStore.current, undefined, 'the window has no session');
    } finally {
      t.cleanup();
    }
  });

  it('switching the window’s session leaves a role terminal alone', async () => {
    const t = setup();
    try {
      const term = await t.terminals.open(dev);
      const before = t.terminals.sessionOf(term)!;
      const envBefore = { ...envOf(term) };
      await t.windowSwitcher.switchTo(prod);
      await t.windowSwitcher.switchTo(dev);
      await t.windowSwitcher.switchBack();
      assert.equal(t.terminals.sessionOf(term), before);
      assert.deepEqual(envOf(term), envBefore);
      assert.notEqual(t.windowStore.current?.accessKeyId, before.accessKeyId);
    } finally {
      t.cleanup();
    }
  });

  it('two role terminals have two sessions', async () => {
    const t = setup();
    try {
      const a = await t.terminals.open(dev);
      const b = await t.terminals.open(prod);
      assert.notEqual(t.terminals.sessionOf(a)!.accessKeyId, t.terminals.sessionOf(b)!.accessKeyId);
      assert.equal(t.terminals.sessionOf(b)!.role.id, prod.id);
      assert.equal(t.terminals.size, 2);
    } finally {
      t.cleanup();
    }
  });

  it('env mode schedules no renewal (a renewal cannot reach a running shell)', async () => {
    const t = setup('env');
    try {
      const term = await t.terminals.open(dev);
      assert.equal(t.terminals.isRenewing(term), false);
      const n = assumes(t.gw);
      t.clock.advance(56 * MIN);
      await t.settle();
      assert.equal(assumes(t.gw), n);
    } finally {
      t.cleanup();
    }
  });

  it('endpoint mode: its own binding and shim file; renewals reach the binding; closing frees everything', async () => {
    const t = setup('endpoint');
    try {
      const term = await t.terminals.open(dev);
      const env = envOf(term);
      assert.equal(t.endpoint.bindings.length, 1);
      const binding = t.endpoint.bindings[0];
      assert.equal(env.AWS_CONTAINER_CREDENTIALS_FULL_URI, binding.url);
      assert.equal(env.AWS_CONTAINER_AUTHORIZATION_TOKEN, binding.token);
      assert.equal('AWS_SECRET_ACCESS_KEY' in env, false);
      const shim = fs.readFileSync(env.AWS_CONFIG_FILE, 'utf8');
      assert.match(shim, /credential_process = .*--endpoint/);
      const first = t.terminals.sessionOf(term)!;
      assert.ok(!shim.includes(first.secretAccessKey));
      assert.equal(binding.get(), first);

      // Renewal, 5 minutes before the end: the binding serves the new session.
      t.clock.advance(55 * MIN);
      await t.settle();
      const renewed = t.terminals.sessionOf(term)!;
      assert.notEqual(renewed.accessKeyId, first.accessKeyId);
      assert.equal(binding.get(), renewed);

      // A second terminal gets another binding (path + token).
      const other = await t.terminals.open(prod);
      assert.notEqual(envOf(other).AWS_CONTAINER_AUTHORIZATION_TOKEN, env.AWS_CONTAINER_AUTHORIZATION_TOKEN);

      term.dispose();
      assert.equal(t.terminals.sessionOf(term), undefined);
      assert.equal(binding.disposed, true);
      assert.equal(t.stores[0].current, undefined, 'its store is emptied');
      await t.terminals.settled();
      assert.equal(fs.existsSync(env.AWS_CONFIG_FILE), false);
      // Its scheduler is stopped: no more AssumeRole for it, however long we wait.
      const n = assumes(t.gw);
      t.clock.advance(57 * MIN); // past the other terminal's renewal (5 minutes before its end)
      await t.settle();
      assert.equal(assumes(t.gw), n + 1, 'only the other terminal renews');
      assert.equal(t.endpoint.bindings[1].disposed, false);
    } finally {
      t.cleanup();
    }
  });

  it('on a remote (this host local): the remote\'s own environment plus the role\'s keys, env mode even when endpoint mode is set', async () => {
    const t = setup('endpoint', 'ssh-remote');
    try {
      const term = await t.terminals.open(dev);
      const o = term.creationOptions as vscode.TerminalOptions;
      assert.equal(o.strictEnv, false, 'the remote shell keeps its own PATH and HOME');
      const env = envOf(term);
      assert.equal('PATH' in env, false, 'no local variable is sent to the remote');
      assert.equal(env.AWS_SECRET_ACCESS_KEY, t.terminals.sessionOf(term)!.secretAccessKey);
      assert.equal(t.endpoint.bindings.length, 0, 'no binding of the local endpoint, which the remote cannot reach');
      assert.deepEqual(o.shellArgs ? (o.shellArgs as string[]).slice(-3) : [], ['/bin/sh', '-c', 'exec "${SHELL:-/bin/sh}"']);
      assert.equal(t.terminals.isRenewing(term), false, 'env mode: no renewal');
    } finally {
      t.cleanup();
    }
  });

  it('a failed assume keeps nothing', async () => {
    const t = setup('endpoint');
    try {
      t.gw.failNext.push(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
      await assert.rejects(t.terminals.open(dev));
      assert.equal(t.terminals.size, 0);
      assert.equal(fake.terminals.length, 0);
      assert.equal(t.endpoint.bindings.length, 0);
    } finally {
      t.cleanup();
    }
  });

  it('prepared options VS Code never opens are dropped after a while', async () => {
    const t = setup('endpoint');
    try {
      await t.terminals.prepare(dev);
      assert.equal(t.terminals.size, 1);
      t.clock.advance(UNCLAIMED_MS);
      assert.equal(t.terminals.size, 0);
      assert.equal(t.endpoint.bindings[0].disposed, true);
    } finally {
      t.cleanup();
    }
  });
});

function commandContext(t: ReturnType<typeof setup>, roles: RoleDefinition[]): CommandContext {
  const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const catalog = { loaded: true, roles, aliases: new Map<string, string>(), profiles: new Map(), reload: async () => undefined };
  const deps = {
    catalog,
    store: t.windowStore,
    redactor: new Redactor(),
    log,
    roleTerminals: () => t.terminals,
    aws: () => ({ translateError: () => ({ kind: 'x', message: 'failed', actions: [] }) }),
    settings: { region: 'us-east-1' },
  } as unknown as CommandDeps;
  return new CommandContext(deps);
}

describe('New Terminal as Role… and the AWS role terminal profile', () => {
  beforeEach(() => fake.reset());

  it('the profile asks for the role and hands VS Code a terminal bound to it', async () => {
    const t = setup();
    try {
      const provider = roleTerminalProfileProvider(commandContext(t, [dev, prod]));
      let offered: string[] = [];
      fake.quickPicks.push((items) => {
        offered = items.map((i: { label: string }) => i.label);
        return items.find((i: { role: RoleDefinition }) => i.role.id === prod.id);
      });
      const profile = (await provider.provideTerminalProfile({} as vscode.CancellationToken)) as unknown as TerminalProfile;
      assert.ok(profile instanceof TerminalProfile);
      assert.deepEqual(offered, ['dev', 'prod']);
      assert.equal(profile.options.name, 'AWS: prod');
      assert.equal(profile.options.strictEnv, true);
      assert.equal(fake.terminals.length, 0, 'VS Code, not the extension, opens a profile’s terminal');
      // VS Code opens it: the terminal is bound by its marker, and closing it frees the session.
      const term = fake.openProfileTerminal(profile.options);
      assert.equal(t.terminals.sessionOf(term as unknown as vscode.Terminal)?.role.id, prod.id);
      assert.ok(profile.options.env[ROLE_TERMINAL_MARKER]);
      term.dispose();
      assert.equal(t.terminals.size, 0);
      assert.equal(t.windowStore.current, undefined);
    } finally {
      t.cleanup();
    }
  });

  it('a dismissed pick provides nothing and assumes nothing', async () => {
    const t = setup();
    try {
      const provider = roleTerminalProfileProvider(commandContext(t, [dev]));
      fake.quickPicks.push(() => undefined);
      assert.equal(await provider.provideTerminalProfile({} as vscode.CancellationToken), undefined);
      assert.equal(assumes(t.gw), 0);
      assert.equal(t.terminals.size, 0);
    } finally {
      t.cleanup();
    }
  });

  it('the command opens the terminal; a failure is reported and opens none', async () => {
    const t = setup();
    try {
      const run = roleTerminalCommands(commandContext(t, [dev]))[NEW_ROLE_TERMINAL];
      fake.quickPicks.push((items) => items[0]);
      await run();
      assert.equal(fake.terminals.length, 1);
      assert.equal(fake.terminals[0].name, 'AWS: dev');
      t.gw.failNext.push(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
      await run({ kind: 'role', role: dev });
      assert.equal(fake.terminals.length, 1);
      assert.ok(fake.messages.some((m) => m.level === 'error'));
    } finally {
      t.cleanup();
    }
  });
});

describe('DebugCredentials (every debug type)', () => {
  beforeEach(() => fake.reset());

  it('registers for "*" and gives a launch configuration the active session; the config’s own values win', () => {
    const vars: Array<[string, string]> = [['AWS_ACCESS_KEY_ID', 'ASIA1'], ['AWS_SECRET_ACCESS_KEY', 's1'], ['AWS_SESSION_TOKEN', 't1'], ['AWS_REGION', 'eu-west-1']];
    let current: Array<[string, string]> = [];
    const d = DebugCredentials.register({ variables: () => current, roleLabel: () => 'dev', log: () => undefined });
    try {
      assert.equal(fake.debugProviders.length, 1);
      assert.equal(fake.debugProviders[0].type, '*');
      const p = fake.debugProviders[0].provider as DebugCredentials;
      const launch = { type: 'node', request: 'launch', name: 'app', program: '/w/app.js', env: { AWS_REGION: 'us-west-2' } };
      assert.deepEqual(p.resolveDebugConfigurationWithSubstitutedVariables(undefined, launch), launch, 'no session: unchanged');
      current = vars;
      const out = p.resolveDebugConfigurationWithSubstitutedVariables(undefined, launch);
      assert.deepEqual(out.env, { AWS_ACCESS_KEY_ID: 'ASIA1', AWS_SECRET_ACCESS_KEY: 's1', AWS_SESSION_TOKEN: 't1', AWS_REGION: 'us-west-2' });
      assert.equal(out.program, '/w/app.js');
      const own = { ...launch, env: { AWS_PROFILE: 'ci' } };
      assert.deepEqual(p.resolveDebugConfigurationWithSubstitutedVariables(undefined, own), own);
    } finally {
      d.dispose();
    }
  });
});

describe('WorkspaceRoleOffer (roleSwitcher.workspaceRole)', () => {
  let store: SessionStore;
  let changed: vscode.EventEmitter<void>;
  let assumed: RoleDefinition[];
  let offer: WorkspaceRoleOffer;
  let loaded: boolean;
  const offers = () => fake.messages.filter((m) => m.text.startsWith('This folder uses the AWS role'));

  beforeEach(() => {
    fake.reset();
    store = new SessionStore(new FakeClock());
    changed = new vscode.EventEmitter<void>();
    assumed = [];
    loaded = true;
    fake.workspaceFolders = [{ uri: Uri.file('/work/app'), name: 'app', index: 0 }];
    const settings = new Settings();
    offer = new WorkspaceRoleOffer({
      roleFor: (f) => settings.workspaceRole(f),
      roles: () => [dev, prod],
      loaded: () => loaded,
      onCatalogChange: changed.event,
      activeRoleId: () => store.current?.role.id,
      assume: async (r) => void assumed.push(r),
      log: () => undefined,
    });
  });
  afterEach(() => {
    offer.dispose();
    store.dispose();
  });

  it('offers the folder’s role once, and assumes it only on Assume', async () => {
    fake.workspaceConfig.set('workspaceRole', 'prod');
    fake.nextMessageChoice = NOT_NOW;
    await offer.check();
    assert.equal(offers().length, 1);
    assert.equal(offers()[0].text, 'This folder uses the AWS role prod. Assume it?');
    assert.deepEqual(offers()[0].items, [ASSUME, NOT_NOW]);
    assert.deepEqual(assumed, []);
    // Catalog changes, folder changes: never offered again in this window.
    changed.fire();
    fake.workspaceFoldersChanged.fire({});
    await offer.check();
    assert.equal(offers().length, 1);
    assert.deepEqual(assumed, []);
  });

  it('a dismissed notification assumes nothing', async () => {
    fake.workspaceConfig.set('workspaceRole', 'prod');
    await offer.check();
    assert.equal(offers().length, 1);
    assert.deepEqual(assumed, []);
  });

  it('Assume assumes exactly that role', async () => {
    fake.workspaceConfig.set('workspaceRole', 'arn:aws:iam::111111111111:role/Dev');
    fake.nextMessageChoice = ASSUME;
    await offer.check();
    assert.deepEqual(assumed, [dev]);
  });

  it('waits for the catalog, and says nothing when the role is already active', async () => {
    fake.workspaceConfig.set('workspaceRole', 'dev');
    loaded = false;
    await offer.check();
    assert.equal(offers().length, 0);
    store.replace([{ ...sessionFor(dev) }]);
    loaded = true;
    await offer.check();
    assert.equal(offers().length, 0);
  });

  it('ignores a workspace value in an untrusted workspace, but not the user’s own', async () => {
    fake.trusted = false;
    fake.workspaceConfig.set('workspaceRole', 'prod');
    await offer.check();
    assert.equal(offers().length, 0);
    fake.config.set('workspaceRole', 'dev');
    await offer.check();
    assert.equal(offers().length, 1);
    assert.match(offers()[0].text, /role dev\./);
  });
});

function sessionFor(r: RoleDefinition): Session {
  return {
    role: r,
    accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
    secretAccessKey: 'secret',
    sessionToken: 'token',
    expiration: new Date(Date.UTC(2026, 10, 23, 13, 0, 0)),
    assumedRoleArn: `arn:aws:sts::${r.accountId}:assumed-role/${r.roleName}/u`,
    sessionName: 'u',
    sourceIdentityArn: 'arn:aws:iam::111111111111:user/u',
  };
}
