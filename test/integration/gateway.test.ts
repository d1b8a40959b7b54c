// The real SDK v3 gateway against the local fake AWS over HTTP on loopback.
import { strict as assert } from 'node:assert';
import { createAwsGateway, type SdkGateway } from '../../src/aws/gateway';
import type { CallOptions } from '../../src/core/gateway';
import { startFakeAws, type FakeAws, type FaultKind } from '../fake-aws';

const S3_ROLE = 'arn:aws:iam::111111111111:role/s3-Full-Access';
const USER_ARN = 'arn:aws:iam::111111111111:user/test-user';

describe('aws/gateway (SDK v3 → fake AWS)', function () {
  this.timeout(30_000);
  let fake: FakeAws;
  let gw: SdkGateway;
  let logLines: string[];

  const opts = (over: Partial<CallOptions> = {}): CallOptions => ({
    region: 'us-east-1',
    endpoint: fake.endpoint,
    credentials: { kind: 'static', credentials: fake.userKeys('test-user') },
    timeoutMs: 5000,
    ...over,
  });
  const assume = (o: CallOptions = opts(), sessionName = 'gw-test') => gw.assumeRole(o, { roleArn: S3_ROLE, roleSessionName: sessionName });
  const callsOf = (action: string) => fake.calls.filter((c) => c.action === action).length;
  const rejects = async (p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number } }> => {
    try {
      await p;
    } catch (e) {
      return e as Error;
    }
    assert.fail('expected a rejection');
  };

  before(async () => {
    fake = await startFakeAws();
  });
  after(async () => {
    await fake?.close();
  });
  beforeEach(() => {
    logLines = [];
    gw = createAwsGateway({ logger: (l) => logLines.push(l) });
    fake.clearFaults();
    fake.setClockSkew(0);
  });
  afterEach(() => {
    gw.reset();
    // The gateway never logs a secret.
    const secrets = [...fake.issuedSecrets(), fake.userKeys('test-user').secretAccessKey];
    for (const line of logLines) for (const s of secrets) assert.ok(!line.includes(s), `secret in log line: ${line}`);
  });

  it('assumes a role and returns a complete session', async () => {
    const out = await assume();
    assert.match(out.credentials.accessKeyId, /^ASIA/);
    assert.ok(out.credentials.secretAccessKey.length > 0);
    assert.ok(out.credentials.sessionToken.length > 0);
    assert.ok(out.credentials.expiration instanceof Date);
    assert.ok(out.credentials.expiration.getTime() > Date.now());
    assert.equal(out.assumedRoleArn, 'arn:aws:sts::111111111111:assumed-role/s3-Full-Access/gw-test');
    assert.match(out.assumedRoleId, /^AROA.+:gw-test$/);
    assert.equal(logLines.length, 1);
    assert.match(logLines[0], /^sts:AssumeRole ok 200 attempts=1 \d+ms$/);
  });

  it('chains: the session of one hop assumes the next', async () => {
    const first = await assume();
    const second = await gw.assumeRole(opts({ credentials: { kind: 'static', credentials: first.credentials } }), {
      roleArn: 'arn:aws:iam::222222222222:role/chained-deploy',
      roleSessionName: 'hop2',
    });
    assert.equal(second.assumedRoleArn, 'arn:aws:sts::222222222222:assumed-role/chained-deploy/hop2');
  });

  it('passes MFA and ExternalId through', async () => {
    const mfa = await gw.assumeRole(opts(), {
      roleArn: 'arn:aws:iam::111111111111:role/mfa-admin',
      roleSessionName: 'mfa',
      serialNumber: 'arn:aws:iam::111111111111:mfa/test-user',
      tokenCode: '123456',
    });
    assert.match(mfa.assumedRoleArn, /assumed-role\/mfa-admin\/mfa$/);
    const ext = await gw.assumeRole(opts(), {
      roleArn: 'arn:aws:iam::111111111111:role/partner-access',
      roleSessionName: 'ext',
      externalId: 'demo-external-id',
    });
    assert.match(ext.assumedRoleArn, /assumed-role\/partner-access\/ext$/);
  });

  it('passes AccessDenied through untouched', async () => {
    const e = await rejects(assume(opts({ credentials: { kind: 'static', credentials: fake.userKeys('limited-user') } })));
    assert.equal(e.name, 'AccessDenied');
    assert.equal(e.$metadata?.httpStatusCode, 403);
    assert.match(e.message, /limited-user is not authorized to perform: sts:AssumeRole/);
    assert.match(logLines[0], /^sts:AssumeRole failed AccessDenied 403 /);
  });

  it('GetCallerIdentity', async () => {
    const id = await gw.getCallerIdentity(opts());
    assert.deepStrictEqual({ arn: id.arn, account: id.account }, { arn: USER_ARN, account: '111111111111' });
    assert.match(id.userId, /^AIDA/);
  });

  describe('injected faults', () => {
    const errorCases: Array<[FaultKind, string, boolean]> = [
      ['http500', 'InternalFailure', true],
      ['http503', 'ServiceUnavailable', true],
      ['throttle', 'Throttling', true],
      ['expiredToken', 'ExpiredToken', false],
      ['regionDisabled', 'RegionDisabledException', false],
      ['malformedXml', 'MalformedResponse', false],
      ['missingFields', 'MalformedResponse', false],
      ['badExpiration', 'MalformedResponse', false],
    ];
    for (const [kind, name, retried] of errorCases) {
      it(`${kind} → ${name}${retried ? ' after 3 attempts' : ', not retried'}`, async () => {
        fake.injectFault({ service: 'sts', action: 'AssumeRole', kind, times: 10 });
        const before = callsOf('AssumeRole');
        const e = await rejects(assume());
        assert.equal(e.name, name);
        assert.equal(callsOf('AssumeRole') - before, retried ? 3 : 1);
        if (retried) assert.equal(e.$metadata?.attempts, 3);
      });
    }

    for (const kind of ['http500', 'http503', 'throttle'] as const) {
      it(`${kind} once → the SDK retries and succeeds`, async () => {
        fake.injectFault({ service: 'sts', action: 'AssumeRole', kind, times: 1 });
        const before = callsOf('AssumeRole');
        const out = await assume();
        assert.match(out.credentials.accessKeyId, /^ASIA/);
        assert.equal(callsOf('AssumeRole') - before, 2);
      });
    }

    it('timeout → a TimeoutError within the configured per-attempt timeout', async () => {
      fake.injectFault({ service: 'sts', action: 'AssumeRole', kind: 'timeout', times: 10 });
      const e = await rejects(assume(opts({ timeoutMs: 500 })));
      assert.equal(e.name, 'TimeoutError');
    });

    it('oversized → an error, not a hang or an OOM', async () => {
      fake.injectFault({ service: 'sts', action: 'AssumeRole', kind: 'oversized', times: 10 });
      const e = await rejects(assume());
      assert.equal(e.name, 'ResponseTooLarge');
    });

    it('a malformed answer is never a half session (GetCallerIdentity too)', async () => {
      fake.injectFault({ service: 'sts', action: 'GetCallerIdentity', kind: 'missingFields', times: 1 });
      const e = await rejects(gw.getCallerIdentity(opts()));
      assert.equal(e.name, 'MalformedResponse');
    });
  });

  it('an aborted call rejects with AbortError', async () => {
    fake.injectFault({ service: 'sts', action: 'AssumeRole', kind: 'timeout', times: 10 });
    const ac = new AbortController();
    const p = assume(opts({ abortSignal: ac.signal }));
    setTimeout(() => ac.abort(), 50);
    const e = await rejects(p);
    assert.equal(e.name, 'AbortError');
  });

  it('survives a 10-minute clock skew (the SDK corrects its clock)', async () => {
    fake.setClockSkew(10 * 60 * 1000);
    const out = await assume();
    assert.match(out.credentials.accessKeyId, /^ASIA/);
  });

  it('caches one client per (service, region, endpoint, credentials, timeout)', async () => {
    await assume();
    await assume();
    await gw.getCallerIdentity(opts());
    assert.equal(gw.clientCount(), 1);
    await gw.getCallerIdentity(opts({ region: 'eu-west-1' }));
    assert.equal(gw.clientCount(), 2);
    await gw.getCallerIdentity(opts({ timeoutMs: 4000 }));
    assert.equal(gw.clientCount(), 3);
    await gw.listAccountAliases(opts());
    assert.equal(gw.clientCount(), 4);
    gw.reset();
    assert.equal(gw.clientCount(), 0);
    await assume();
    assert.equal(gw.clientCount(), 1);
  });

  it('keeps the client cache bounded', async () => {
    const small = createAwsGateway({ maxClients: 2 });
    try {
      for (const region of ['us-east-1', 'us-west-2', 'eu-west-1']) await small.getCallerIdentity(opts({ region }));
      assert.equal(small.clientCount(), 2);
    } finally {
      small.reset();
    }
  });

  it('lists roles page by page with decoded trust policies', async () => {
    const before = callsOf('ListRoles');
    const pages: number[] = [];
    const all = [];
    for await (const page of gw.listRoles(opts(), 2)) {
      pages.push(page.length);
      all.push(...page);
    }
    assert.ok(pages.length > 1, 'more than one page');
    assert.ok(pages.every((n) => n <= 2));
    assert.equal(callsOf('ListRoles') - before, pages.length);
    const s3 = all.find((r) => r.arn === S3_ROLE);
    assert.ok(s3, 's3-Full-Access listed');
    assert.equal(s3.roleName, 's3-Full-Access');
    assert.equal(s3.path, '/');
    assert.ok(s3.trustPolicy);
    const doc = JSON.parse(s3.trustPolicy);
    assert.equal(JSON.stringify(doc).includes('arn:aws:iam::111111111111:root'), true);
    assert.equal(new Set(all.map((r) => r.arn)).size, all.length, 'no duplicates across pages');
  });

  it('lists account aliases, simulates AssumeRole, lists accounts', async () => {
    assert.deepStrictEqual(await gw.listAccountAliases(opts()), ['seeds-sandbox']);
    const roleArns = [S3_ROLE, 'arn:aws:iam::111111111111:role/mfa-admin'];
    const sim = await gw.simulateAssumeRole(opts(), USER_ARN, roleArns);
    assert.deepStrictEqual(sim.map((r) => r.resourceArn).sort(), [...roleArns].sort());
    for (const r of sim) assert.ok(['allowed', 'explicitDeny', 'implicitDeny'].includes(r.decision));
    const accounts = [];
    for await (const page of gw.listAccounts(opts())) accounts.push(...page);
    assert.ok(accounts.some((a) => a.id === '111111111111'));
  });

  it('honours AWS_ENDPOINT_URL when no endpoint is set', async () => {
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = fake.endpoint;
    try {
      const before = callsOf('GetCallerIdentity');
      const id = await gw.getCallerIdentity(opts({ endpoint: undefined }));
      assert.equal(id.arn, USER_ARN);
      assert.equal(callsOf('GetCallerIdentity') - before, 1);
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
  });

  it('reads credentials from the environment and from a profile', async () => {
    const keys = fake.userKeys('test-user');
    const saved = { ...process.env };
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'gw-test-'));
    writeFileSync(join(dir, 'credentials'), `[base]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`);
    writeFileSync(join(dir, 'config'), '[profile base]\nregion = us-east-1\n');
    try {
      process.env.AWS_ACCESS_KEY_ID = keys.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = keys.secretAccessKey;
      delete process.env.AWS_SESSION_TOKEN;
      assert.equal((await gw.getCallerIdentity(opts({ credentials: { kind: 'environment' } }))).arn, USER_ARN);
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
      process.env.AWS_CONFIG_FILE = join(dir, 'config');
      assert.equal((await gw.getCallerIdentity(opts({ credentials: { kind: 'profile', profile: 'base' } }))).arn, USER_ARN);
    } finally {
      for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });
});
