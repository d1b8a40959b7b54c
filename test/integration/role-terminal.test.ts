// Proof for the per-terminal roles and debug sessions of issue 11 (docs/terminal-credentials.md):
// processes started with the environment a role terminal gets (strictEnv, env and endpoint mode), and
// with a Node launch configuration's env as the debug provider resolves it, act as the role, against the fake
// AWS, although they inherit another identity (AWS_PROFILE and window keys).
import { strict as assert } from 'node:assert';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createAwsGateway } from '../../src/aws/gateway';
import { CredentialEndpoint } from '../../src/core/credentialEndpoint';
import { mergeDebugEnv, roleTerminalEnv } from '../../src/core/roleTerminal';
import { computeTerminalEnv, credentialProcessCommand, endpointShim, shimConfigText } from '../../src/core/terminalEnv';
import type { Session } from '../../src/core/types';
import { startFakeAws, writeAwsHome, type FakeAws } from '../fake-aws/index';
import { role } from '../helpers/builders';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'dist', 'credential-process.js');
const WHOAMI_JS = `
const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
new STSClient({ region: 'us-east-1' }).send(new GetCallerIdentityCommand({}))
  .then((r) => console.log(r.Arn), (e) => { console.log('ERROR ' + e.name); });`;

describe('per-terminal roles and debug sessions act as their role', function () {
  this.timeout(60_000);
  let fake: FakeAws;
  let dir: string;
  let inherited: Record<string, string>;
  let session: Session;
  let windowSession: Session;

  const assume = async (roleArn: string, name: string): Promise<Session> => {
    const gw = createAwsGateway();
    const out = await gw.assumeRole(
      { region: 'us-east-1', endpoint: fake.endpoint, credentials: { kind: 'static', credentials: fake.userKeys('test-user') } },
      { roleArn, roleSessionName: name },
    );
    gw.reset();
    return { role: role({ roleArn }), ...out.credentials, assumedRoleArn: out.assumedRoleArn, sessionName: name, sourceIdentityArn: 'arn:aws:iam::111111111111:user/test-user', region: 'us-east-1' };
  };

  before(async () => {
    if (!fs.existsSync(SCRIPT)) execFileSync(process.execPath, [path.join(ROOT, 'esbuild.mjs')], { cwd: ROOT });
    fake = await startFakeAws();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-roleterm-'));
    const home = writeAwsHome(dir, fake);
    session = await assume('arn:aws:iam::111111111111:role/s3-Full-Access', 'role-terminal');
    windowSession = await assume('arn:aws:iam::111111111111:role/s3-Full-Access', 'window-session');
    // What the extension host has: the user's files, an AWS_PROFILE, and the window's session keys
    // (as if the host itself had inherited them), plus the host-only variables VS Code strips.
    inherited = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...home.env,
      AWS_PROFILE: 'default',
      AWS_ACCESS_KEY_ID: windowSession.accessKeyId,
      AWS_SECRET_ACCESS_KEY: windowSession.secretAccessKey,
      AWS_SESSION_TOKEN: windowSession.sessionToken,
      ELECTRON_RUN_AS_NODE: '1',
      NODE_NO_WARNINGS: '1',
    };
  });

  after(async () => {
    await fake?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = promisify(execFile);
  const sdkWho = async (env: Record<string, string>) => (await run(process.execPath, ['-e', WHOAMI_JS], { cwd: ROOT, env })).stdout.trim();
  const CLI = ['/usr/bin/aws', '/usr/local/bin/aws'].find((p) => fs.existsSync(p));
  const cliWho = async (env: Record<string, string>) =>
    (await run(CLI!, ['sts', 'get-caller-identity', '--endpoint-url', fake.endpoint, '--query', 'Arn', '--output', 'text'], { env })).stdout.trim();

  it('env mode: the role terminal’s environment acts as the role for the JavaScript SDK v3', async () => {
    const env = roleTerminalEnv(session, { inherited, marker: 'x' })!;
    assert.equal(await sdkWho(env), session.assumedRoleArn);
  });

  it('env mode: and for the AWS CLI', async function () {
    if (!CLI) this.skip();
    const env = roleTerminalEnv(session, { inherited, marker: 'x' })!;
    assert.equal(await cliWho(env), session.assumedRoleArn);
  });

  it('endpoint mode: the terminal’s own binding and shim profile serve its role, not the window’s', async () => {
    const ep = new CredentialEndpoint();
    await ep.start();
    try {
      const windowBinding = ep.bind(() => windowSession);
      const binding = ep.bind(() => session);
      const shim = endpointShim('posix', process.execPath, SCRIPT, dir);
      const configFile = path.join(dir, 'role-terminal.config');
      fs.writeFileSync(configFile, shimConfigText(shim.credentialProcess, 'us-east-1', 'endpoint'), { mode: 0o600 });
      const env = roleTerminalEnv(session, { inherited, mode: 'endpoint', endpoint: binding, shim: { configFile, credentialProcess: shim.credentialProcess } })!;
      assert.ok(!Object.values(env).includes(session.secretAccessKey));
      assert.equal(await sdkWho(env), session.assumedRoleArn);
      if (CLI) assert.equal(await cliWho(env), session.assumedRoleArn);
      windowBinding.dispose();
    } finally {
      await ep.close();
    }
  });

  it('a Node launch configuration resolved by the debug provider starts a process that acts as the session', async () => {
    // The window's plan, as TerminalEnvironment.plan computes it (the host inherits AWS_PROFILE: shim).
    const shimFile = path.join(dir, 'window-shim');
    const plan = computeTerminalEnv(session, { inherited, shim: { configFile: shimFile, credentialProcess: credentialProcessCommand(process.execPath, SCRIPT) } });
    fs.writeFileSync(shimFile, plan.shimConfig!, { mode: 0o600 });
    // What DebugCredentials.resolveDebugConfigurationWithSubstitutedVariables does to `env` (host code
    // needs the vscode module, which integration tests do not fake; the provider itself is unit-tested).
    const launch = { type: 'node', request: 'launch', name: 'whoami', env: { NODE_NO_WARNINGS: '1' } };
    const merged = mergeDebugEnv(launch.env, plan.variables);
    assert.equal(merged.kind, 'added');
    // js-debug starts the program with its own (inherited) environment and the configuration's env on top.
    const env = { ...inherited, ...((merged.kind === 'added' ? merged.env : {}) as Record<string, string>) };
    assert.equal(await sdkWho(env), session.assumedRoleArn);
    // A configuration with its own identity is left to it.
    assert.equal(mergeDebugEnv({ AWS_PROFILE: 'default' }, plan.variables).kind, 'unchanged');
  });
});
