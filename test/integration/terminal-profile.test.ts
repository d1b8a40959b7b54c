// Proof for docs/terminal-credentials.md: a terminal that inherits AWS_PROFILE still acts as the
// session, for both the JavaScript SDK v3 and the AWS CLI v2, when the extension's plan is applied.
import { strict as assert } from 'node:assert';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAwsGateway } from '../../src/aws/gateway';
import { computeTerminalEnv, credentialProcessCommand } from '../../src/core/terminalEnv';
import type { Session } from '../../src/core/types';
import { startFakeAws, writeAwsHome, type FakeAws } from '../fake-aws/index';
import { role } from '../helpers/builders';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'dist', 'credential-process.js');
const CLI = ['/usr/bin/aws', '/usr/local/bin/aws'].find((p) => fs.existsSync(p));
const WHOAMI_JS = `
const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
new STSClient({ region: 'us-east-1' }).send(new GetCallerIdentityCommand({}))
  .then((r) => console.log(r.Arn), (e) => { console.log('ERROR ' + e.name); });`;

describe('terminal credentials with an inherited AWS_PROFILE', function () {
  this.timeout(60_000);
  let fake: FakeAws;
  let dir: string;
  let base: Record<string, string>;
  let session: Session;

  before(async () => {
    if (!fs.existsSync(SCRIPT)) execFileSync(process.execPath, [path.join(ROOT, 'esbuild.mjs')], { cwd: ROOT });
    fake = await startFakeAws();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-term-'));
    const home = writeAwsHome(dir, fake);
    // What a terminal inherits: the user's files, a profile with long-term keys, and the endpoint.
    base = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...home.env, AWS_PROFILE: 'default', NODE_NO_WARNINGS: '1' };
    const gw = createAwsGateway();
    const out = await gw.assumeRole(
      { region: 'us-east-1', endpoint: fake.endpoint, credentials: { kind: 'static', credentials: fake.userKeys('test-user') } },
      { roleArn: 'arn:aws:iam::111111111111:role/s3-Full-Access', roleSessionName: 'terminal-test' },
    );
    gw.reset();
    session = {
      role: role(),
      ...out.credentials,
      assumedRoleArn: out.assumedRoleArn,
      sessionName: 'terminal-test',
      sourceIdentityArn: 'arn:aws:iam::111111111111:user/test-user',
      region: 'us-east-1',
    };
  });

  after(async () => {
    await fake?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function terminalEnv(withShim: boolean): Record<string, string> {
    const shimFile = path.join(dir, 'shim-config');
    const plan = computeTerminalEnv(session, {
      inherited: base,
      shim: withShim ? { configFile: shimFile, credentialProcess: credentialProcessCommand(process.execPath, SCRIPT) } : undefined,
    });
    if (plan.shimConfig) fs.writeFileSync(shimFile, plan.shimConfig, { mode: 0o600 });
    return { ...base, ...Object.fromEntries(plan.variables) };
  }

  // Asynchronous on purpose: the fake serves from this process, so a synchronous spawn would deadlock.
  const run = promisify(execFile);
  const sdkWho = async (env: Record<string, string>) => (await run(process.execPath, ['-e', WHOAMI_JS], { cwd: ROOT, env })).stdout.trim();
  const cliWho = async (env: Record<string, string>) =>
    (await run(CLI!, ['sts', 'get-caller-identity', '--endpoint-url', fake.endpoint, '--query', 'Arn', '--output', 'text'], { env })).stdout.trim();

  it('without the shim, the SDK acts as the inherited profile (the problem this design solves)', async () => {
    assert.equal(await sdkWho(terminalEnv(false)), 'arn:aws:iam::111111111111:user/test-user');
  });

  it('with the shim, the JavaScript SDK v3 acts as the session', async () => {
    assert.equal(await sdkWho(terminalEnv(true)), session.assumedRoleArn);
  });

  it('with the shim, the AWS CLI v2 acts as the session', async function () {
    if (!CLI) this.skip();
    assert.equal(await cliWho(terminalEnv(true)), session.assumedRoleArn);
  });

  it('the shim file holds no secret', () => {
    terminalEnv(true);
    const text = fs.readFileSync(path.join(dir, 'shim-config'), 'utf8');
    for (const secret of [session.secretAccessKey, session.sessionToken, session.accessKeyId]) assert.ok(!text.includes(secret));
  });
});
