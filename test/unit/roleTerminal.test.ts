// Per-terminal roles, debug sessions and the workspace role (issue 11): the pure plans of core/roleTerminal.ts.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { DEFAULT_TERMINAL_COLOR, findWorkspaceRole, mergeDebugEnv, ROLE_TERMINAL_MARKER, roleTerminalEnv, roleTerminalLaunch, roleTerminalLook } from '../../src/core/roleTerminal';
import { computeTerminalEnv, SHIM_PROFILE } from '../../src/core/terminalEnv';
import { role, session } from '../helpers/builders';

const inherited = {
  PATH: '/usr/bin',
  HOME: '/home/u',
  AWS_PROFILE: 'dev',
  AWS_ACCESS_KEY_ID: 'AKIAWINDOWWINDOW0001',
  AWS_SECRET_ACCESS_KEY: 'window-secret',
  AWS_SESSION_TOKEN: 'window-token',
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/creds',
  AWS_CONFIG_FILE: '/home/u/.aws/my-config',
  ELECTRON_RUN_AS_NODE: '1',
  VSCODE_AMD_ENTRYPOINT: 'vs/workbench/api/node/extensionHostProcess',
  VSCODE_IPC_HOOK_CLI: '/tmp/vscode-ipc.sock',
};

describe('roleTerminalEnv (strictEnv terminals)', () => {
  it('env mode: the inherited environment without any other identity, plus the role’s keys', () => {
    const s = session({ region: 'eu-west-1' });
    const env = roleTerminalEnv(s, { inherited, marker: 'm1' })!;
    assert.equal(env.AWS_ACCESS_KEY_ID, s.accessKeyId);
    assert.equal(env.AWS_SECRET_ACCESS_KEY, s.secretAccessKey);
    assert.equal(env.AWS_SESSION_TOKEN, s.sessionToken);
    assert.equal(env.AWS_REGION, 'eu-west-1');
    // strictEnv lets a variable really be unset: no AWS_PROFILE at all (the JS SDK would prefer it), no shim needed.
    assert.equal('AWS_PROFILE' in env, false);
    assert.equal('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' in env, false);
    // The rest of the environment stays, the user's own config file included.
    assert.equal(env.PATH, '/usr/bin');
    assert.equal(env.HOME, '/home/u');
    assert.equal(env.AWS_CONFIG_FILE, '/home/u/.aws/my-config');
    // What VS Code strips from its own terminals, and strictEnv terminals do not get stripped.
    assert.equal('ELECTRON_RUN_AS_NODE' in env, false);
    assert.equal('VSCODE_AMD_ENTRYPOINT' in env, false);
    assert.equal(env.VSCODE_IPC_HOOK_CLI, '/tmp/vscode-ipc.sock');
    assert.equal(env[ROLE_TERMINAL_MARKER], 'm1');
    // Nothing of the window's identity.
    assert.ok(!Object.values(env).includes('window-secret'));
  });

  it('endpoint mode: no key at all, this terminal’s own binding and shim profile', () => {
    const s = session();
    const env = roleTerminalEnv(s, {
      inherited,
      mode: 'endpoint',
      endpoint: { url: 'http://127.0.0.1:4567/role-switcher/abc', token: 'tok-terminal-1' },
      shim: { configFile: '/g/terminal/roles/m2.config', credentialProcess: 'env X=1 "/n" "/s" --endpoint' },
    })!;
    assert.equal(env.AWS_CONTAINER_CREDENTIALS_FULL_URI, 'http://127.0.0.1:4567/role-switcher/abc');
    assert.equal(env.AWS_CONTAINER_AUTHORIZATION_TOKEN, 'tok-terminal-1');
    assert.equal(env.AWS_PROFILE, SHIM_PROFILE);
    assert.equal(env.AWS_CONFIG_FILE, '/g/terminal/roles/m2.config');
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']) assert.equal(k in env, false, k);
    assert.ok(!Object.values(env).includes(s.secretAccessKey));
  });

  it('endpoint mode without a binding is no environment at all (fail closed)', () => {
    assert.equal(roleTerminalEnv(session(), { inherited, mode: 'endpoint' }), undefined);
  });
});

describe('roleTerminalLook', () => {
  it('names the tab after the role and takes its theme color', () => {
    const r = role({ label: 'prod-admin', color: 'terminal.ansiRed' });
    const s = session({ role: r });
    const look = roleTerminalLook(r, s, 'env');
    assert.equal(look.name, 'AWS: prod-admin');
    assert.equal(look.color, 'terminal.ansiRed');
    assert.match(look.message, /acts as prod-admin/);
    assert.ok(look.message.includes(s.assumedRoleArn));
    assert.ok(!look.message.includes(s.secretAccessKey) && !look.message.includes(s.sessionToken));
  });

  it('falls back to terminal.ansiYellow for a #rrggbb color (TerminalOptions.color takes theme colors only)', () => {
    const r = role({ color: '#ff0000' });
    assert.equal(roleTerminalLook(r, session({ role: r }), 'endpoint').color, DEFAULT_TERMINAL_COLOR);
    assert.equal(roleTerminalLook(role(), session(), 'endpoint').color, DEFAULT_TERMINAL_COLOR);
  });
});

describe('mergeDebugEnv (launch configurations)', () => {
  const s = session({ region: 'eu-west-1' });
  const vars = computeTerminalEnv(s, { inherited: {} }).variables;

  it('adds the session’s variables to a configuration without env', () => {
    const r = mergeDebugEnv(undefined, vars);
    assert.equal(r.kind, 'added');
    if (r.kind === 'added') {
      assert.equal(r.env.AWS_ACCESS_KEY_ID, s.accessKeyId);
      assert.equal(r.env.AWS_SESSION_TOKEN, s.sessionToken);
    }
  });

  it('keeps every value the configuration sets itself', () => {
    const r = mergeDebugEnv({ AWS_REGION: 'us-west-2', NODE_ENV: 'test' }, vars);
    assert.equal(r.kind, 'added');
    if (r.kind === 'added') {
      assert.equal(r.env.AWS_REGION, 'us-west-2');
      assert.equal(r.env.NODE_ENV, 'test');
      assert.equal(r.env.AWS_SECRET_ACCESS_KEY, s.secretAccessKey);
    }
  });

  it('adds nothing when the configuration chose its own identity', () => {
    assert.deepEqual(mergeDebugEnv({ AWS_PROFILE: 'ci' }, vars), { kind: 'unchanged', reason: 'configIdentity' });
    assert.deepEqual(mergeDebugEnv({ aws_access_key_id: 'x' }, vars), { kind: 'unchanged', reason: 'configIdentity' });
  });

  it('adds nothing without a session, or when env is not an object', () => {
    assert.deepEqual(mergeDebugEnv({}, []), { kind: 'unchanged', reason: 'noSession' });
    assert.deepEqual(mergeDebugEnv('A=1', vars), { kind: 'unchanged', reason: 'notAnObject' });
    assert.deepEqual(mergeDebugEnv([], vars), { kind: 'unchanged', reason: 'notAnObject' });
  });
});

describe('findWorkspaceRole', () => {
  const dev = role({ id: 'profile:dev', profile: 'dev', label: 'dev', roleArn: 'arn:aws:iam::111111111111:role/Dev' });
  const prod = role({ id: 'settings:prod', origin: 'settings', label: 'Production', roleArn: 'arn:aws:iam::222222222222:role/Prod' });
  it('takes a profile name, a role ARN or a label', () => {
    assert.equal(findWorkspaceRole([dev, prod], 'dev'), dev);
    assert.equal(findWorkspaceRole([dev, prod], 'arn:aws:iam::222222222222:role/Prod'), prod);
    assert.equal(findWorkspaceRole([dev, prod], ' Production '), prod);
    assert.equal(findWorkspaceRole([dev, prod], 'nope'), undefined);
    assert.equal(findWorkspaceRole([dev, prod], ''), undefined);
  });
});

describe('roleTerminalLaunch: the role terminal sets its own credential variables after the window collection', () => {
  it('POSIX: /usr/bin/env unsets every credential variable the role does not set, sets the role\'s, then runs the shell', () => {
    const env = { PATH: '/usr/bin', AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1/role/abc', AWS_CONTAINER_AUTHORIZATION_TOKEN: 'tok', AWS_PROFILE: 'role-switcher-session', AWS_CONFIG_FILE: '/s/roles/x.config', ROLE_SWITCHER_TERMINAL: 'x' };
    const l = roleTerminalLaunch(env, '/bin/bash', 'posix')!;
    assert.equal(l.shellPath, '/usr/bin/env');
    assert.equal(l.shellArgs.at(-1), '/bin/bash');
    const unset = l.shellArgs.flatMap((a, i) => (a === '-u' ? [l.shellArgs[i + 1]] : []));
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) assert.ok(unset.includes(k), `${k} is unset`);
    for (const [k, v] of Object.entries(env)) if (k !== 'PATH') assert.ok(l.shellArgs.includes(`${k}=${v}`), `${k} is set`);
    assert.ok(!l.shellArgs.some((a) => a.startsWith('PATH=')), 'other variables are left to the terminal');
    // every -u comes before the assignments (env applies its options first, then NAME=VALUE)
    assert.ok(l.shellArgs.lastIndexOf('-u') < l.shellArgs.findIndex((a) => a.includes('=')));
  });

  it('falls back to $SHELL, then /bin/sh; on Windows there is no wrapper', () => {
    assert.equal(roleTerminalLaunch({ SHELL: '/usr/bin/zsh' }, undefined, 'posix')!.shellArgs.at(-1), '/usr/bin/zsh');
    assert.equal(roleTerminalLaunch({}, '', 'posix')!.shellArgs.at(-1), '/bin/sh');
    assert.equal(roleTerminalLaunch({}, 'pwsh.exe', 'win32'), undefined);
  });
});

describe('role terminals on a remote (a remote window, this extension on the local side: docs/remote.md)', () => {
  it('the environment is the role\'s variables only (the remote has its own PATH and HOME), in env mode even when endpoint mode is set', () => {
    const s = session();
    const env = roleTerminalEnv(s, { inherited: { PATH: '/local/bin', HOME: '/Users/me', AWS_PROFILE: 'dev' }, mode: 'endpoint', marker: 'm1', remote: 'ssh-remote' })!;
    assert.deepEqual(Object.keys(env).sort(), ['AWS_ACCESS_KEY_ID', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'ROLE_SWITCHER_TERMINAL']);
    assert.equal(env.AWS_SECRET_ACCESS_KEY, s.secretAccessKey);
  });

  it('the launch is POSIX even from Windows (WSL), and runs the remote user\'s own $SHELL', () => {
    const l = roleTerminalLaunch({ AWS_ACCESS_KEY_ID: 'AKIA' }, 'C:\\Windows\\System32\\cmd.exe', 'win32', 'wsl')!;
    assert.equal(l.shellPath, '/usr/bin/env');
    assert.deepEqual(l.shellArgs.slice(-3), ['/bin/sh', '-c', 'exec "${SHELL:-/bin/sh}"']);
    assert.ok(!l.shellArgs.some((a) => a.includes('cmd.exe')), 'not the local shell');
  });

  it('through a real /usr/bin/env and /bin/sh: the role\'s keys are set, the remote\'s AWS_PROFILE is unset, and $SHELL runs', function () {
    if (process.platform === 'win32' || !fs.existsSync('/usr/bin/env')) this.skip();
    const s = session();
    const env = roleTerminalEnv(s, { inherited: {}, marker: 'm2', remote: 'ssh-remote' })!;
    const l = roleTerminalLaunch(env, undefined, 'posix', 'ssh-remote')!;
    // The remote's environment: its own PATH and SHELL, and an AWS_PROFILE of its own that must not win.
    const remoteEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', SHELL: '/bin/sh', AWS_PROFILE: 'remote-dev', AWS_ACCESS_KEY_ID: 'AKIAREMOTE' };
    const out = spawnSync(l.shellPath, l.shellArgs, { env: remoteEnv, input: 'echo "key=$AWS_ACCESS_KEY_ID profile=${AWS_PROFILE-unset} marker=$ROLE_SWITCHER_TERMINAL shell=$0"\n', encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    assert.equal(out.stdout.trim(), `key=${s.accessKeyId} profile=unset marker=m2 shell=/bin/sh`);
  });
});
