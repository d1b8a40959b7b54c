// Issue 11: the credential endpoint, against test/fake-aws. The real SDK's container provider and a
// raw HTTP client check the access rules; child processes started before a renewal and a switch (the
// JavaScript SDK v3 and the AWS CLI, in a home whose [default] holds other keys) follow them.
import { strict as assert } from 'node:assert';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { fromHttp } from '@aws-sdk/credential-providers';
import { createAwsGateway } from '../../src/aws/gateway';
import { CredentialEndpoint, type EndpointBinding } from '../../src/core/credentialEndpoint';
import { computeTerminalEnv, endpointShim } from '../../src/core/terminalEnv';
import type { Session } from '../../src/core/types';
import { startFakeAws, writeAwsHome, type FakeAws } from '../fake-aws/index';
import { role } from '../helpers/builders';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'dist', 'credential-process.js');
const USER_ARN = 'arn:aws:iam::111111111111:user/test-user';
const S3_ROLE = 'arn:aws:iam::111111111111:role/s3-Full-Access';
const OTHER_ROLE = 'arn:aws:iam::222222222222:role/cross-account-readonly';

/** Every AWS CLI here: the Debian v2 and whatever `aws` is first on PATH (v1 under pyenv here). */
function clis(): string[] {
  const out = new Set<string>();
  for (const p of ['/usr/bin/aws', '/usr/local/bin/aws']) if (fs.existsSync(p)) out.add(p);
  try {
    const w = execFileSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' }).trim();
    if (w) out.add(w);
  } catch {
    /* none on PATH */
  }
  return [...out];
}

// Calls GetCallerIdentity every 100 ms with the default chain and prints one line per call.
const LOOP_JS = `
const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
const c = new STSClient({ region: 'us-east-1' });
setInterval(() => c.send(new GetCallerIdentityCommand({})).then((r) => console.log(r.Arn), (e) => console.log('ERROR ' + e.name + ' ' + e.message)), 100);`;

interface Lines {
  readonly lines: string[];
  waitFor(pred: (line: string) => boolean, what: string): Promise<void>;
}

/** Collects a child's stdout lines; waitFor resolves once a line matches (the deadline is only a fail-safe). */
function lines(child: ChildProcess): Lines {
  const all: string[] = [];
  let buf = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    all.push(...parts.map((p) => p.trim()).filter(Boolean));
    for (const w of [...waiters]) w();
  });
  return {
    lines: all,
    waitFor: (pred, what) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (all.some(pred)) {
            clearTimeout(t);
            waiters.splice(waiters.indexOf(check), 1);
            resolve();
          }
        };
        const t = setTimeout(() => reject(new Error(`no line ${what}; got: ${all.slice(-5).join(' | ')}`)), 45_000);
        waiters.push(check);
        check();
      }),
  };
}

function get(url: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('credential endpoint (issue 11)', function () {
  this.timeout(120_000);
  let fake: FakeAws;
  let dir: string;
  let home: ReturnType<typeof writeAwsHome>;
  let server: CredentialEndpoint;
  let binding: EndpointBinding;
  /** What the window's getter returns: one immutable session, replaced whole. */
  let current: Session | undefined;
  let counter = 0;

  async function assume(roleArn: string): Promise<Session> {
    const gw = createAwsGateway();
    const name = `endpoint-test-${++counter}`;
    const out = await gw.assumeRole(
      { region: 'us-east-1', endpoint: fake.endpoint, credentials: { kind: 'static', credentials: fake.userKeys('test-user') } },
      { roleArn, roleSessionName: name },
    );
    gw.reset();
    return Object.freeze({
      role: role({ roleArn }),
      ...out.credentials,
      assumedRoleArn: out.assumedRoleArn,
      sessionName: name,
      sourceIdentityArn: USER_ARN,
      region: 'us-east-1',
    });
  }

  /** The environment of an endpoint-mode terminal, over the user's home ([default] = test-user keys). */
  function terminalEnv(b: EndpointBinding): Record<string, string> {
    const shimFile = path.join(dir, 'endpoint-config');
    const shim = { configFile: shimFile, ...endpointShim('posix', process.execPath, SCRIPT, dir) };
    const inherited = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...home.env, NODE_NO_WARNINGS: '1', AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true' };
    const plan = computeTerminalEnv(current, { inherited, mode: 'endpoint', endpoint: b, shim });
    fs.writeFileSync(shimFile, plan.shimConfig!, { mode: 0o600 });
    const env = { ...inherited, ...Object.fromEntries(plan.variables) };
    for (const s of [current!.accessKeyId, current!.secretAccessKey, current!.sessionToken]) assert.ok(!Object.values(env).includes(s), 'a key reached the terminal');
    return env;
  }

  before(async () => {
    if (!fs.existsSync(SCRIPT)) execFileSync(process.execPath, [path.join(ROOT, 'esbuild.mjs')], { cwd: ROOT });
    fake = await startFakeAws();
    // 2-minute credentials: always inside every client's refresh window, so renewal really happens.
    fake.setIssuedCredentialLifetime(120);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-endpoint-'));
    home = writeAwsHome(dir, fake);
    server = new CredentialEndpoint();
    await server.start();
    binding = server.bind(() => current);
    current = await assume(S3_ROLE);
  });

  after(async () => {
    await server?.close();
    await fake?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('raw HTTP', () => {
    const host = () => `127.0.0.1:${new URL(binding.url).port}`;

    it('listens on 127.0.0.1 only and serves the container format', async () => {
      assert.match(binding.url, /^http:\/\/127\.0\.0\.1:\d+\/role-switcher\/[\w-]{20,}$/);
      assert.match(binding.token, /^[\w-]{43}$/);
      const r = await get(binding.url, { authorization: binding.token });
      assert.equal(r.status, 200);
      const j = JSON.parse(r.body) as Record<string, string>;
      assert.deepEqual(Object.keys(j).sort(), ['AccessKeyId', 'Expiration', 'SecretAccessKey', 'Token']);
      assert.equal(j.AccessKeyId, current!.accessKeyId);
      assert.equal(j.Token, current!.sessionToken);
      assert.ok(new Date(j.Expiration).getTime() <= current!.expiration.getTime());
    });

    it('401 without or with a wrong token, and for another binding\'s token', async () => {
      const other = server.bind(() => current);
      try {
        const attempts: Array<Record<string, string>> = [{}, { authorization: 'wrong' }, { authorization: binding.token + 'x' }, { authorization: other.token }];
        for (const headers of attempts) {
          const r = await get(binding.url, headers);
          assert.equal(r.status, 401);
          assert.ok(!r.body.includes(current!.secretAccessKey));
        }
        assert.equal((await get(other.url, { authorization: other.token })).status, 200);
      } finally {
        other.dispose();
      }
    });

    it('403 for a Host that is not loopback (DNS rebinding), even with the token', async () => {
      for (const h of ['evil.example:' + new URL(binding.url).port, 'localhost.evil.example', '127.0.0.1:1']) {
        const r = await get(binding.url, { authorization: binding.token, host: h });
        assert.equal(r.status, 403, h);
        assert.ok(!r.body.includes(current!.secretAccessKey));
      }
      assert.equal((await get(binding.url, { authorization: binding.token, host: `localhost:${new URL(binding.url).port}` })).status, 200);
    });

    it('405 for any method but GET, 404 for any other path', async () => {
      for (const m of ['POST', 'PUT', 'DELETE', 'HEAD']) {
        const r = await get(binding.url, { authorization: binding.token, host: host() }, m);
        assert.equal(r.status, 405, m);
      }
      const base = new URL(binding.url);
      for (const p of ['/', '/role-switcher/', base.pathname + 'x', base.pathname.toUpperCase()]) {
        assert.equal((await get(`http://${host()}${p}`, { authorization: binding.token })).status, 404, p);
      }
    });

    it('503 with a secret-free message when no session is active; a disposed binding is gone', async () => {
      const none = server.bind(() => undefined);
      const r = await get(none.url, { authorization: none.token });
      assert.equal(r.status, 503);
      assert.equal(JSON.parse(r.body).Code, 'NoActiveSession');
      none.dispose();
      assert.equal((await get(none.url, { authorization: none.token })).status, 404);
    });

    it('stops with close(): nothing listens afterwards', async () => {
      const ep = new CredentialEndpoint();
      await ep.start();
      const b = ep.bind(() => current);
      assert.equal((await get(b.url, { authorization: b.token })).status, 200);
      await ep.close();
      await assert.rejects(get(b.url, { authorization: b.token }), /ECONNREFUSED/);
    });
  });

  describe('the real SDK container provider', () => {
    it('fromHttp reads the session from the endpoint', async () => {
      const creds = await fromHttp({ awsContainerCredentialsFullUri: binding.url, awsContainerAuthorizationToken: binding.token })();
      assert.equal(creds.accessKeyId, current!.accessKeyId);
      assert.equal(creds.secretAccessKey, current!.secretAccessKey);
      assert.equal(creds.sessionToken, current!.sessionToken);
    });

    it('fromHttp is refused with a wrong token', async () => {
      await assert.rejects(fromHttp({ awsContainerCredentialsFullUri: binding.url, awsContainerAuthorizationToken: 'nope', maxRetries: 1 })(), /401/);
    });

    it('the credential_process helper prints Version 1 JSON from the endpoint', async () => {
      const out = await promisify(execFile)(process.execPath, [SCRIPT, '--endpoint'], {
        env: { PATH: process.env.PATH, AWS_CONTAINER_CREDENTIALS_FULL_URI: binding.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: binding.token },
      });
      const j = JSON.parse(out.stdout) as Record<string, unknown>;
      assert.equal(j.Version, 1);
      assert.equal(j.AccessKeyId, current!.accessKeyId);
      assert.equal(j.SessionToken, current!.sessionToken);
      const bad = await promisify(execFile)(process.execPath, [SCRIPT, '--endpoint'], {
        env: { PATH: process.env.PATH, AWS_CONTAINER_CREDENTIALS_FULL_URI: binding.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'wrong' },
      }).catch((e: { code: number; stderr: string; stdout: string }) => e);
      assert.equal((bad as { code: number }).code, 1);
      assert.match((bad as { stderr: string }).stderr, /refused this terminal's token/);
      assert.equal((bad as { stdout: string }).stdout, '');
    });
  });

  describe('the shim command as botocore splits it (its own compat_shell_split)', () => {
    const split = (cmd: string, platform: string): string[] | undefined => {
      try {
        const py = 'import json,sys\nfrom botocore.compat import compat_shell_split\nprint(json.dumps(compat_shell_split(sys.argv[1], sys.argv[2])))';
        return JSON.parse(execFileSync('python3', ['-c', py, cmd, platform], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as string[];
      } catch {
        return undefined;
      }
    };

    it('POSIX: env, the variable, the runtime and the script as separate words', function () {
      const words = split(endpointShim('posix', '/opt/My Code/code', '/x/dist/credential-process.js', '/s').credentialProcess, 'linux');
      if (!words) this.skip();
      assert.deepEqual(words, ['env', 'ELECTRON_RUN_AS_NODE=1', '/opt/My Code/code', '/x/dist/credential-process.js', '--endpoint']);
    });

    it('Windows: exactly the wrapper path, spaces and backslashes intact', function () {
      const shim = endpointShim('win32', 'C:\\Program Files\\Code\\Code.exe', 'C:\\x\\credential-process.js', 'C:\\Users\\my name\\AppData\\Roaming\\Code\\rs\\terminal');
      const words = split(shim.credentialProcess, 'win32');
      if (!words) this.skip();
      assert.deepEqual(words, [shim.files[0].path]);
      assert.equal(shim.files[0].path, 'C:\\Users\\my name\\AppData\\Roaming\\Code\\rs\\terminal\\credential-process.cmd');
    });
  });

  describe('processes started before a renewal and a switch follow them', () => {
    const children: ChildProcess[] = [];
    afterEach(() => {
      for (const c of children.splice(0)) c.kill();
    });

    it('control: the endpoint variables alone lose to the [default] keys (why AWS_PROFILE names the shim)', async () => {
      const env = terminalEnv(binding);
      delete env.AWS_PROFILE;
      const who = `const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
new STSClient({ region: 'us-east-1' }).send(new GetCallerIdentityCommand({})).then((r) => console.log(r.Arn), (e) => console.log('ERROR ' + e.name));`;
      const out = await promisify(execFile)(process.execPath, ['-e', who], { cwd: ROOT, env });
      assert.equal(out.stdout.trim(), USER_ARN);
    });

    it('the JavaScript SDK v3 (default chain, [default] with other keys present)', async () => {
      current = await assume(S3_ROLE);
      const child = spawn(process.execPath, ['-e', LOOP_JS], { cwd: ROOT, env: terminalEnv(binding), stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      const out = lines(child);
      const first = current.assumedRoleArn;
      await out.waitFor((l) => l === first, `as ${first}`);

      current = await assume(S3_ROLE); // a renewal: same role, new keys and session name
      const renewed = current.assumedRoleArn;
      assert.notEqual(renewed, first);
      await out.waitFor((l) => l === renewed, `as the renewed ${renewed}`);

      current = await assume(OTHER_ROLE); // a switch
      const switched = current.assumedRoleArn;
      await out.waitFor((l) => l === switched, `as the switched-to ${switched}`);

      assert.deepEqual(out.lines.filter((l) => l.startsWith('ERROR')), []);
      assert.ok(!out.lines.includes(USER_ARN), 'the [default] keys were used');
    });

    for (const cli of clis()) {
      it(`the AWS CLI (${cli}), in a shell started before the renewal`, async () => {
        current = await assume(S3_ROLE);
        const env = terminalEnv(binding);
        // A terminal: one shell, started now, running the CLI again and again.
        const loop = `while true; do "${cli}" sts get-caller-identity --endpoint-url "${fake.endpoint}" --query Arn --output text 2>&1; sleep 0.2; done`;
        const child = spawn('sh', ['-c', loop], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
        children.push({ kill: () => process.kill(-child.pid!, 'SIGTERM') } as unknown as ChildProcess);
        const out = lines(child);
        const first = current.assumedRoleArn;
        await out.waitFor((l) => l === first, `as ${first}`);

        current = await assume(S3_ROLE);
        const renewed = current.assumedRoleArn;
        await out.waitFor((l) => l === renewed, `as the renewed ${renewed}`);

        current = await assume(OTHER_ROLE);
        const switched = current.assumedRoleArn;
        await out.waitFor((l) => l === switched, `as the switched-to ${switched}`);

        assert.deepEqual(out.lines.filter((l) => !l.startsWith('arn:')), [], 'every call succeeded');
        assert.ok(!out.lines.includes(USER_ARN), 'the [default] keys were used');
      });
    }
  });
});
