/**
 * The AWS CLI (a second, independent SigV4 + Query/JSON client) against test/fake-aws.
 * Skipped with a message when no AWS CLI is installed.
 */
import { strict as assert } from 'node:assert';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type FakeAws, startFakeAws } from '../fake-aws/index';

function findAwsCli(): { bin: string; version: string } | undefined {
  for (const bin of ['/usr/bin/aws', '/usr/local/bin/aws', 'aws']) {
    if (bin.startsWith('/') && !existsSync(bin)) continue;
    try {
      const version = execFileSync(bin, ['--version'], { encoding: 'utf8', timeout: 30000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
      if (/^aws-cli\/\d/.test(version)) return { bin, version };
    } catch {
      /* try the next one */
    }
  }
  return undefined;
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('fake-aws with the AWS CLI', function () {
  this.timeout(120000);
  const cli = findAwsCli();
  let fake: FakeAws;
  let home: string;

  before(function () {
    if (!cli) {
      console.log('    (skipped: no AWS CLI found at /usr/bin/aws or on PATH)');
      this.skip();
    }
  });
  beforeEach(async () => {
    fake = await startFakeAws();
    home = mkdtempSync(path.join(tmpdir(), 'fake-aws-cli-'));
  });
  afterEach(async () => {
    await fake?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  function aws(args: string[], keys: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Promise<CliResult> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      AWS_CONFIG_FILE: path.join(home, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
      AWS_ACCESS_KEY_ID: keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_REGION: 'us-east-1',
      AWS_PAGER: '',
      AWS_MAX_ATTEMPTS: '1',
    };
    if (keys.sessionToken) env.AWS_SESSION_TOKEN = keys.sessionToken;
    return new Promise((resolve) => {
      execFile(cli!.bin, [...args, '--endpoint-url', fake.endpoint, '--output', 'json'], { env, timeout: 60000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }
  const ok = (r: CliResult) => {
    assert.equal(r.code, 0, `aws failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };

  it(`sts get-caller-identity and assume-role verify (${cli?.version.split(' ')[0] ?? 'no CLI'})`, async () => {
    const keys = fake.userKeys('test-user');
    const who = ok(await aws(['sts', 'get-caller-identity'], keys));
    assert.equal(who.Arn, 'arn:aws:iam::111111111111:user/test-user');
    const assumed = ok(await aws(['sts', 'assume-role', '--role-arn', 'arn:aws:iam::111111111111:role/mfa-admin', '--role-session-name', 'cli',
      '--serial-number', 'arn:aws:iam::111111111111:mfa/test-user', '--token-code', '123456'], keys));
    const c = assumed.Credentials as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    assert.match(c.AccessKeyId, /^ASIA/);
    const who2 = ok(await aws(['sts', 'get-caller-identity'], { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken }));
    assert.equal(who2.Arn, 'arn:aws:sts::111111111111:assumed-role/mfa-admin/cli');
  });

  it('iam list-roles and organizations list-accounts verify (Query and JSON 1.1 signatures)', async () => {
    const keys = fake.userKeys('test-user');
    const roles = ok(await aws(['iam', 'list-roles'], keys)).Roles as { RoleName: string }[];
    assert.equal(roles.length, 8);
    const accounts = ok(await aws(['organizations', 'list-accounts'], keys)).Accounts as { Id: string }[];
    assert.deepEqual(accounts.map((a) => a.Id), ['111111111111', '222222222222']);
  });

  it('a wrong secret and a denied assume-role fail with the AWS error codes', async () => {
    const keys = fake.userKeys('test-user');
    const bad = await aws(['sts', 'get-caller-identity'], { ...keys, secretAccessKey: 'x'.repeat(40) });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /SignatureDoesNotMatch/);
    const denied = await aws(['sts', 'assume-role', '--role-arn', 'arn:aws:iam::111111111111:role/s3-Full-Access', '--role-session-name', 'cli'], fake.userKeys('limited-user'));
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /AccessDenied/);
    assert.match(denied.stderr, /User: arn:aws:iam::111111111111:user\/limited-user is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role\/s3-Full-Access/);
  });
});
