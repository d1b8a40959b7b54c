/**
 * Self-tests of test/fake-aws: the real AWS SDK v3 talks to the fake over HTTP on loopback.
 */
import { IAMClient, GetRoleCommand, ListAccountAliasesCommand, ListRolesCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, type AssumeRoleCommandInput, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type FakeAws, type FaultSpec, generateScenario, startFakeAws, writeAwsHome } from '../fake-aws/index';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const ACCT = '111111111111';
const PROD = '222222222222';
const roleArn = (name: string, acct = ACCT) => `arn:aws:iam::${acct}:role/${name}`;
const USER_ARN = `arn:aws:iam::${ACCT}:user/test-user`;
const TEST_USER_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::*:role/*' },
    { Effect: 'Allow', Action: ['iam:ListRoles', 'iam:GetRole', 'iam:ListAccountAliases', 'iam:SimulatePrincipalPolicy', 'organizations:ListAccounts'], Resource: '*' },
  ],
};

let fake: FakeAws;
const sts = (credentials: Creds, extra: Record<string, unknown> = {}) =>
  new STSClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials, ...extra });
const iam = (credentials: Creds, extra: Record<string, unknown> = {}) =>
  new IAMClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials, ...extra });
const orgs = (credentials: Creds, extra: Record<string, unknown> = {}) =>
  new OrganizationsClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials, ...extra });
const testUser = () => fake.userKeys('test-user');
const limitedUser = () => fake.userKeys('limited-user');

async function rejects(p: Promise<unknown>, name: string, message?: string | RegExp, status?: number): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    if (status !== undefined) assert.equal(err.$metadata?.httpStatusCode, status);
    return err;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

async function assume(creds: Creds, input: Partial<AssumeRoleCommandInput> & { RoleArn: string }, extra: Record<string, unknown> = {}) {
  return sts(creds, extra).send(new AssumeRoleCommand({ RoleSessionName: 'fake-test', ...input }));
}
function sessionCreds(out: { Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } }): Creds {
  return { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
}
const denied = (caller: string, role: string) => `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${role}`;

describe('fake-aws (real SDK v3 over HTTP)', function () {
  beforeEach(async () => {
    fake = await startFakeAws({ quiet: true });
  });
  afterEach(async () => {
    await fake.close();
  });

  describe('STS basics', () => {
    it('GetCallerIdentity returns the IAM user', async () => {
      const out = await sts(testUser()).send(new GetCallerIdentityCommand({}));
      assert.equal(out.Arn, USER_ARN);
      assert.equal(out.Account, ACCT);
      assert.match(out.UserId!, /^AIDA[A-Z2-7]{17}$/);
    });

    it('AssumeRole s3-Full-Access succeeds for test-user with well-formed credentials', async () => {
      const out = await assume(testUser(), { RoleArn: roleArn('s3-Full-Access'), RoleSessionName: 'seeds' });
      const c = out.Credentials!;
      assert.match(c.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
      assert.ok(c.SecretAccessKey!.length >= 40);
      assert.ok(c.SessionToken!.length > 200);
      assert.ok(c.Expiration instanceof Date);
      const minutes = (c.Expiration!.getTime() - Date.now()) / 60000;
      assert.ok(minutes > 55 && minutes <= 60.1, `expiration ~1h away, got ${minutes}`);
      assert.equal(out.AssumedRoleUser!.Arn, `arn:aws:sts::${ACCT}:assumed-role/s3-Full-Access/seeds`);
      assert.match(out.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]{17}:seeds$/);
      const who = await sts(sessionCreds(out)).send(new GetCallerIdentityCommand({}));
      assert.equal(who.Arn, `arn:aws:sts::${ACCT}:assumed-role/s3-Full-Access/seeds`);
      assert.equal(who.UserId, out.AssumedRoleUser!.AssumedRoleId);
      assert.ok(fake.issuedSecrets().includes(c.SecretAccessKey!));
      assert.ok(fake.issuedSecrets().includes(c.SessionToken!));
    });

    it('limited-user is denied with the exact AWS message, then allowed after putUserPolicy', async () => {
      const arn = roleArn('s3-Full-Access');
      await rejects(assume(limitedUser(), { RoleArn: arn }), 'AccessDenied', denied(`arn:aws:iam::${ACCT}:user/limited-user`, arn), 403);
      fake.putUserPolicy('limited-user', 'allow-assume', { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arn } });
      const out = await assume(limitedUser(), { RoleArn: arn });
      assert.equal(out.AssumedRoleUser!.Arn, `arn:aws:sts::${ACCT}:assumed-role/s3-Full-Access/fake-test`);
    });

    it('the seeds story: test-user without s3-Full-Access-Policy is denied, with it succeeds', async () => {
      const arn = roleArn('s3-Full-Access');
      fake.deleteUserPolicy('test-user', 's3-Full-Access-Policy');
      await rejects(assume(testUser(), { RoleArn: arn }), 'AccessDenied', denied(USER_ARN, arn));
      fake.putUserPolicy('test-user', 's3-Full-Access-Policy', TEST_USER_POLICY);
      await assume(testUser(), { RoleArn: arn });
    });

    it('the root user can never assume a role', async () => {
      await rejects(assume(fake.userKeys('root'), { RoleArn: roleArn('s3-Full-Access') }), 'AccessDenied', 'Roles may not be assumed by root accounts.');
    });

    it('a role that does not exist is AccessDenied (existence is not revealed)', async () => {
      const arn = roleArn('no-such-role');
      await rejects(assume(testUser(), { RoleArn: arn }), 'AccessDenied', denied(USER_ARN, arn));
    });

    it('validates RoleSessionName, DurationSeconds and ExternalId syntax', async () => {
      await rejects(assume(testUser(), { RoleArn: roleArn('s3-Full-Access'), RoleSessionName: 'a' }), 'ValidationError', /roleSessionName/, 400);
      await rejects(assume(testUser(), { RoleArn: roleArn('s3-Full-Access'), RoleSessionName: 'bad name!' }), 'ValidationError', /regular expression pattern/);
      await rejects(assume(testUser(), { RoleArn: roleArn('s3-Full-Access'), RoleSessionName: 'x'.repeat(65) }), 'ValidationError', /less than or equal to 64/);
      await rejects(assume(testUser(), { RoleArn: roleArn('s3-Full-Access'), DurationSeconds: 899 }), 'ValidationError', /greater than or equal to 900/);
      await rejects(assume(testUser(), { RoleArn: roleArn('partner-access'), ExternalId: 'x' }), 'ValidationError', /externalId/);
      await rejects(assume(testUser(), { RoleArn: 'not-an-arn-but-long-enough' }), 'ValidationError', 'Request ARN is invalid');
    });

    it('DurationSeconds over MaxSessionDuration is a ValidationError; long-session allows 12 h', async () => {
      await rejects(
        assume(testUser(), { RoleArn: roleArn('s3-Full-Access'), DurationSeconds: 7200 }),
        'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400,
      );
      const out = await assume(testUser(), { RoleArn: roleArn('long-session'), DurationSeconds: 43200 });
      const hours = (out.Credentials!.Expiration!.getTime() - Date.now()) / 3600_000;
      assert.ok(hours > 11.9 && hours <= 12.01);
    });

    it('GetSessionToken: users only, MFA makes an MFA session that satisfies aws:MultiFactorAuthPresent', async () => {
      const plain = await sts(testUser()).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
      const plainCreds = sessionCreds(plain);
      const who = await sts(plainCreds).send(new GetCallerIdentityCommand({}));
      assert.equal(who.Arn, USER_ARN);
      await rejects(sts(plainCreds).send(new GetSessionTokenCommand({})), 'AccessDenied');
      await rejects(assume(plainCreds, { RoleArn: roleArn('mfa-admin') }), 'AccessDenied');
      const mfa = await sts(testUser()).send(new GetSessionTokenCommand({ SerialNumber: `arn:aws:iam::${ACCT}:mfa/test-user`, TokenCode: '123456' }));
      const out = await assume(sessionCreds(mfa), { RoleArn: roleArn('mfa-admin') });
      assert.equal(out.AssumedRoleUser!.Arn, `arn:aws:sts::${ACCT}:assumed-role/mfa-admin/fake-test`);
      await rejects(sts(testUser()).send(new GetSessionTokenCommand({ DurationSeconds: 200000 })), 'ValidationError');
    });
  });

  describe('trust-policy conditions and principals', () => {
    const serial = `arn:aws:iam::${ACCT}:mfa/test-user`;

    it('MFA: right code succeeds, wrong code and missing MFA are denied', async () => {
      const arn = roleArn('mfa-admin');
      const ok = await assume(testUser(), { RoleArn: arn, SerialNumber: serial, TokenCode: '123456' });
      assert.ok(ok.Credentials?.SessionToken);
      await rejects(assume(testUser(), { RoleArn: arn, SerialNumber: serial, TokenCode: '654321' }), 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.', 403);
      await rejects(assume(testUser(), { RoleArn: arn }), 'AccessDenied', denied(USER_ARN, arn));
      await rejects(assume(testUser(), { RoleArn: arn, SerialNumber: `arn:aws:iam::${ACCT}:mfa/someone-else`, TokenCode: '123456' }), 'AccessDenied', /MultiFactorAuthentication failed/);
      await rejects(assume(testUser(), { RoleArn: arn, SerialNumber: serial, TokenCode: '12345' }), 'ValidationError', /tokenCode/);
    });

    it('ExternalId: right value succeeds, wrong and missing are denied', async () => {
      const arn = roleArn('partner-access');
      await assume(testUser(), { RoleArn: arn, ExternalId: 'demo-external-id' });
      await rejects(assume(testUser(), { RoleArn: arn, ExternalId: 'wrong-id' }), 'AccessDenied', denied(USER_ARN, arn));
      await rejects(assume(testUser(), { RoleArn: arn }), 'AccessDenied', denied(USER_ARN, arn));
    });

    it('role chaining: s3-Full-Access session assumes chained-deploy; the 1 h cap applies', async () => {
      const first = await assume(testUser(), { RoleArn: roleArn('s3-Full-Access'), RoleSessionName: 'hop1' });
      const hop = sessionCreds(first);
      const second = await assume(hop, { RoleArn: roleArn('chained-deploy', PROD), RoleSessionName: 'hop2' });
      assert.equal(second.AssumedRoleUser!.Arn, `arn:aws:sts::${PROD}:assumed-role/chained-deploy/hop2`);
      const who = await sts(sessionCreds(second)).send(new GetCallerIdentityCommand({}));
      assert.equal(who.Account, PROD);
      await rejects(
        assume(hop, { RoleArn: roleArn('chained-deploy', PROD), DurationSeconds: 7200 }),
        'ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      );
      // test-user itself is not trusted by chained-deploy
      await rejects(assume(testUser(), { RoleArn: roleArn('chained-deploy', PROD) }), 'AccessDenied');
      // and the s3-Full-Access session may not assume other roles (its policy names chained-deploy only)
      const sessArn = `arn:aws:sts::${ACCT}:assumed-role/s3-Full-Access/hop1`;
      await rejects(assume(hop, { RoleArn: roleArn('cross-account-readonly', PROD) }), 'AccessDenied', denied(sessArn, roleArn('cross-account-readonly', PROD)));
    });

    it('same account: naming the user directly is enough; naming the account needs the identity policy', async () => {
      fake.deleteUserPolicy('test-user', 's3-Full-Access-Policy');
      const out = await assume(testUser(), { RoleArn: roleArn('team/path-role') });
      assert.equal(out.AssumedRoleUser!.Arn, `arn:aws:sts::${ACCT}:assumed-role/path-role/fake-test`, 'assumed-role ARN carries no path');
      await rejects(assume(testUser(), { RoleArn: roleArn('long-session') }), 'AccessDenied');
      // the ARN without the path is another (missing) role
      await rejects(assume(testUser(), { RoleArn: roleArn('path-role') }), 'AccessDenied');
      await rejects(assume(limitedUser(), { RoleArn: roleArn('team/path-role') }), 'AccessDenied');
    });

    it('cross-account always needs both the trust policy and the identity policy', async () => {
      const arn = roleArn('cross-account-readonly', PROD);
      await assume(testUser(), { RoleArn: arn });
      fake.deleteUserPolicy('test-user', 's3-Full-Access-Policy');
      await rejects(assume(testUser(), { RoleArn: arn }), 'AccessDenied', denied(USER_ARN, arn));
    });

    it('Service principals, other users and explicit Deny never let test-user in', async () => {
      for (const name of ['lambda-exec', 'other-team', 'deny-test-user']) {
        await rejects(assume(testUser(), { RoleArn: roleArn(name) }), 'AccessDenied', denied(USER_ARN, roleArn(name)));
      }
      // the Deny names test-user only: limited-user with a policy gets in
      fake.putUserPolicy('limited-user', 'p', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:*', Resource: '*' }] });
      await assume(limitedUser(), { RoleArn: roleArn('deny-test-user') });
      // an explicit Deny in the identity policy wins over the Allow
      fake.putUserPolicy('limited-user', 'deny', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotAction: 'iam:*', Resource: roleArn('deny-*') }] });
      await rejects(assume(limitedUser(), { RoleArn: roleArn('deny-test-user') }), 'AccessDenied');
    });

    it('unsupported condition keys fail closed; aws:PrincipalArn conditions work', async () => {
      const doc = generateScenario({ roles: 0 });
      doc.accounts[0].roles = [
        { name: 'ip-cond', trustPolicy: { Statement: { Effect: 'Allow', Principal: { AWS: ACCT }, Action: 'sts:AssumeRole', Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.1/32' } } } } },
        { name: 'arn-like', trustPolicy: { Statement: { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:user/test-*' } } } } },
      ];
      await fake.close();
      fake = await startFakeAws({ scenario: doc });
      await rejects(assume(testUser(), { RoleArn: roleArn('ip-cond') }), 'AccessDenied');
      await assume(testUser(), { RoleArn: roleArn('arn-like') });
      fake.putUserPolicy('limited-user', 'p', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] });
      await rejects(assume(limitedUser(), { RoleArn: roleArn('arn-like') }), 'AccessDenied');
    });
  });

  describe('authentication', () => {
    it('a wrong secret is SignatureDoesNotMatch', async () => {
      const k = testUser();
      await rejects(sts({ ...k, secretAccessKey: 'x'.repeat(40) }, { maxAttempts: 1 }).send(new GetCallerIdentityCommand({})), 'SignatureDoesNotMatch', undefined, 403);
    });

    it('an unknown key is InvalidClientTokenId', async () => {
      await rejects(sts({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x'.repeat(40) }).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    });

    it('a temporary key without (or with a wrong) session token is InvalidClientTokenId', async () => {
      const c = sessionCreds(await assume(testUser(), { RoleArn: roleArn('s3-Full-Access') }));
      await rejects(sts({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');
      await rejects(sts({ ...c, sessionToken: c.sessionToken + 'x' }).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');
    });

    it('expired credentials are ExpiredToken', async () => {
      fake.setIssuedCredentialLifetime(1);
      const out = await assume(testUser(), { RoleArn: roleArn('s3-Full-Access') });
      const lifetime = out.Credentials!.Expiration!.getTime() - Date.now();
      assert.ok(lifetime <= 1000, 'Expiration reflects the lifetime knob');
      await new Promise((r) => setTimeout(r, 1500));
      await rejects(sts(sessionCreds(out)).send(new GetCallerIdentityCommand({})), 'ExpiredToken', 'The security token included in the request is expired', 400);
      fake.setIssuedCredentialLifetime(null);
      const normal = await assume(testUser(), { RoleArn: roleArn('s3-Full-Access') });
      assert.ok(normal.Credentials!.Expiration!.getTime() - Date.now() > 3000_000);
    });

    it('a 10-minute clock skew: the SDK reads Date, corrects its offset and succeeds', async () => {
      fake.setClockSkew(10 * 60 * 1000);
      const client = sts(testUser());
      const out = await client.send(new GetCallerIdentityCommand({}));
      assert.equal(out.Arn, USER_ARN);
      const gci = fake.calls.filter((c) => c.action === 'GetCallerIdentity');
      assert.equal(gci[0].errorCode, 'SignatureDoesNotMatch');
      assert.equal(gci[gci.length - 1].status, 200);
      // the corrected client keeps working without another rejection
      const before = fake.calls.length;
      await client.send(new GetCallerIdentityCommand({}));
      assert.equal(fake.calls.length, before + 1);
      fake.setClockSkew(-10 * 60 * 1000);
      await sts(testUser()).send(new GetCallerIdentityCommand({}));
    });
  });

  describe('faults', () => {
    const gci = (extra: Record<string, unknown> = { maxAttempts: 1 }) => sts(testUser(), extra).send(new GetCallerIdentityCommand({}));
    const inject = (f: FaultSpec) => fake.injectFault(f);

    it('http500, http503, throttle, expiredToken, regionDisabled are AWS errors', async () => {
      const cases: [FaultSpec['kind'], string, number][] = [
        ['http500', 'InternalFailure', 500],
        ['http503', 'ServiceUnavailable', 503],
        ['throttle', 'Throttling', 400],
        ['expiredToken', 'ExpiredToken', 400],
        ['regionDisabled', 'RegionDisabledException', 403],
      ];
      for (const [kind, name, status] of cases) {
        inject({ service: 'sts', action: 'GetCallerIdentity', kind });
        await rejects(gci(), name, undefined, status);
        await gci(); // one call only (times defaults to 1)
      }
    });

    it('times, service and action filters; clearFaults', async () => {
      inject({ service: 'iam', kind: 'http500' });
      await gci();
      inject({ action: 'AssumeRole', kind: 'throttle', times: 2 });
      await gci();
      await rejects(assume(testUser(), { RoleArn: roleArn('s3-Full-Access') }, { maxAttempts: 1 }), 'Throttling');
      await rejects(assume(testUser(), { RoleArn: roleArn('s3-Full-Access') }, { maxAttempts: 1 }), 'Throttling');
      await assume(testUser(), { RoleArn: roleArn('s3-Full-Access') });
      await rejects(iam(testUser(), { maxAttempts: 1 }).send(new ListAccountAliasesCommand({})), 'InternalFailure');
      inject({ kind: 'http503', times: 5 });
      fake.clearFaults();
      await gci();
    });

    it('the SDK retries a transient 503 and succeeds', async () => {
      inject({ service: 'sts', kind: 'http503' });
      const out = await sts(testUser()).send(new GetCallerIdentityCommand({}));
      assert.equal(out.$metadata.attempts, 2);
    });

    it('timeout: the request is accepted and never answered', async () => {
      inject({ kind: 'timeout' });
      await assert.rejects(sts(testUser(), { maxAttempts: 1 }).send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.timeout(300) }));
      assert.equal(fake.calls[fake.calls.length - 1].errorCode, 'timeout');
    });

    it('malformedXml and oversized bodies', async () => {
      inject({ kind: 'malformedXml', action: 'AssumeRole' });
      await assert.rejects(assume(testUser(), { RoleArn: roleArn('s3-Full-Access') }, { maxAttempts: 1 }));
      inject({ kind: 'oversized' });
      const big = await gci().then((o) => o, (e: Error) => e);
      assert.ok(big instanceof Error || big.Arn === undefined, 'an oversized body carries no identity');
      const res = await fetch(`${fake.endpoint}/__admin/faults`, { method: 'POST', body: JSON.stringify({ kind: 'oversized' }) });
      assert.equal(res.status, 200);
      const raw = await fetch(fake.endpoint, { method: 'POST', body: 'Action=GetCallerIdentity&Version=2011-06-15' });
      assert.equal(raw.status, 200);
      assert.ok((await raw.arrayBuffer()).byteLength >= 10 * 1024 * 1024);
    });

    it('missingFields drops SessionToken; badExpiration breaks Expiration', async () => {
      inject({ kind: 'missingFields', action: 'AssumeRole' });
      const out = await assume(testUser(), { RoleArn: roleArn('s3-Full-Access') });
      assert.equal(out.Credentials?.SessionToken, undefined);
      assert.ok(out.Credentials?.AccessKeyId);
      inject({ kind: 'badExpiration' });
      await gci(); // badExpiration only matches credential-issuing calls
      // a failing call does not consume a response-mutating fault
      await rejects(assume(testUser(), { RoleArn: roleArn('s3-Full-Access'), RoleSessionName: 'x' }), 'ValidationError');
      // the SDK refuses the timestamp: "Invalid RFC3339 timestamp format not-a-date"
      await assert.rejects(assume(testUser(), { RoleArn: roleArn('s3-Full-Access') }, { maxAttempts: 1 }), /not-a-date/);
      await assume(testUser(), { RoleArn: roleArn('s3-Full-Access') });
    });

    it('faults on Organizations answer in JSON', async () => {
      inject({ service: 'organizations', kind: 'throttle' });
      await rejects(orgs(testUser(), { maxAttempts: 1 }).send(new ListAccountsCommand({})), 'TooManyRequestsException');
    });
  });

  describe('IAM', () => {
    it('ListRoles returns URL-encoded trust policies, paths and MaxSessionDuration', async () => {
      const out = await iam(testUser()).send(new ListRolesCommand({}));
      const roles = out.Roles!;
      assert.equal(out.IsTruncated, false);
      assert.equal(roles.length, 8);
      const pathRole = roles.find((r) => r.RoleName === 'path-role')!;
      assert.equal(pathRole.Path, '/team/');
      assert.equal(pathRole.Arn, roleArn('team/path-role'));
      assert.match(pathRole.RoleId!, /^AROA/);
      assert.ok(pathRole.CreateDate instanceof Date);
      const s3 = roles.find((r) => r.RoleName === 's3-Full-Access')!;
      assert.ok(s3.AssumeRolePolicyDocument!.startsWith('%7B'));
      const trust = JSON.parse(decodeURIComponent(s3.AssumeRolePolicyDocument!)) as { Statement: { Principal: { AWS: string } }[] };
      assert.equal(trust.Statement[0].Principal.AWS, `arn:aws:iam::${ACCT}:root`);
      assert.equal(roles.find((r) => r.RoleName === 'long-session')!.MaxSessionDuration, 43200);
      const team = await iam(testUser()).send(new ListRolesCommand({ PathPrefix: '/team/' }));
      assert.deepEqual(team.Roles!.map((r) => r.RoleName), ['path-role']);
      await rejects(iam(testUser()).send(new ListRolesCommand({ MaxItems: 1001 })), 'ValidationError');
    });

    it('ListRoles paginates a generated 2,500-role scenario with Marker/IsTruncated', async () => {
      const doc = generateScenario({ roles: 2500, seed: 7 });
      const expected = doc.accounts.find((a) => a.id === ACCT)!.roles!.length;
      await fake.close();
      fake = await startFakeAws({ scenario: doc });
      const client = iam(testUser());
      const seen: string[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const out = await client.send(new ListRolesCommand({ MaxItems: 1000, Marker: marker }));
        seen.push(...out.Roles!.map((r) => r.Arn!));
        marker = out.IsTruncated ? out.Marker : undefined;
        if (out.IsTruncated) assert.ok(out.Marker);
        pages++;
      } while (marker);
      assert.equal(seen.length, expected);
      assert.equal(new Set(seen).size, expected);
      assert.equal(pages, Math.ceil(expected / 1000));
      await rejects(client.send(new ListRolesCommand({ Marker: 'garbage' })), 'ValidationError');
      // the generated roles behave: a generated root-trusted role is assumable
      const rootRole = doc.accounts[0].roles!.find((r) => r.name.startsWith('gen-root-'))!;
      await assume(testUser(), { RoleArn: `arn:aws:iam::${ACCT}:role${rootRole.path}${rootRole.name}` });
    });

    it('GetRole, ListAccountAliases and AccessDenied for limited-user', async () => {
      const role = await iam(testUser()).send(new GetRoleCommand({ RoleName: 'path-role' }));
      assert.equal(role.Role!.Arn, roleArn('team/path-role'));
      await rejects(iam(testUser()).send(new GetRoleCommand({ RoleName: 'nope' })), 'NoSuchEntityException', undefined, 404);
      const aliases = await iam(testUser()).send(new ListAccountAliasesCommand({}));
      assert.deepEqual(aliases.AccountAliases, ['seeds-sandbox']);
      const lu = `arn:aws:iam::${ACCT}:user/limited-user`;
      await rejects(iam(limitedUser()).send(new ListRolesCommand({})), 'AccessDenied', `User: ${lu} is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::${ACCT}:role/`, 403);
      await rejects(iam(limitedUser()).send(new ListAccountAliasesCommand({})), 'AccessDenied', `User: ${lu} is not authorized to perform: iam:ListAccountAliases on resource: *`);
      // an assumed-role caller lists its own account's roles
      const prod = sessionCreds(await assume(testUser(), { RoleArn: roleArn('cross-account-readonly', PROD) }));
      const prodRoles = await iam(prod).send(new ListRolesCommand({}));
      assert.deepEqual(prodRoles.Roles!.map((r) => r.RoleName).sort(), ['chained-deploy', 'cross-account-readonly']);
      const prodAlias = await iam(prod).send(new ListAccountAliasesCommand({}));
      assert.deepEqual(prodAlias.AccountAliases, ['seeds-prod']);
    });

    it('SimulatePrincipalPolicy evaluates the principal\'s identity policies only', async () => {
      const out = await iam(testUser()).send(new SimulatePrincipalPolicyCommand({
        PolicySourceArn: USER_ARN,
        ActionNames: ['sts:AssumeRole', 's3:GetObject'],
        ResourceArns: [roleArn('other-team')],
      }));
      const byAction = new Map(out.EvaluationResults!.map((r) => [r.EvalActionName, r]));
      assert.equal(byAction.get('sts:AssumeRole')!.EvalDecision, 'allowed'); // trust policy not considered
      assert.equal(byAction.get('sts:AssumeRole')!.EvalResourceName, roleArn('other-team'));
      assert.equal(byAction.get('sts:AssumeRole')!.MatchedStatements![0].SourcePolicyId, 's3-Full-Access-Policy');
      assert.equal(byAction.get('s3:GetObject')!.EvalDecision, 'implicitDeny');
      fake.putUserPolicy('test-user', 'deny-other', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'sts:AssumeRole', Resource: roleArn('other-*') }] });
      const again = await iam(testUser()).send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: USER_ARN, ActionNames: ['sts:AssumeRole'], ResourceArns: [roleArn('other-team'), roleArn('s3-Full-Access')] }));
      assert.deepEqual(again.EvaluationResults!.map((r) => r.EvalDecision), ['explicitDeny', 'allowed']);
      const role = await iam(testUser()).send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: roleArn('s3-Full-Access'), ActionNames: ['s3:PutObject', 'iam:ListRoles'] }));
      assert.deepEqual(role.EvaluationResults!.map((r) => r.EvalDecision), ['allowed', 'implicitDeny']);
      await rejects(iam(limitedUser()).send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: USER_ARN, ActionNames: ['sts:AssumeRole'] })), 'AccessDenied');
    });
  });

  describe('Organizations', () => {
    it('ListAccounts pages with NextToken for test-user', async () => {
      const client = orgs(testUser());
      const first = await client.send(new ListAccountsCommand({ MaxResults: 1 }));
      assert.equal(first.Accounts!.length, 1);
      assert.ok(first.NextToken);
      const second = await client.send(new ListAccountsCommand({ MaxResults: 1, NextToken: first.NextToken }));
      assert.equal(second.NextToken, undefined);
      const all = [...first.Accounts!, ...second.Accounts!];
      assert.deepEqual(all.map((a) => [a.Id, a.Name]), [[ACCT, 'Seeds Sandbox'], [PROD, 'Seeds Prod']]);
      assert.ok(all[0].JoinedTimestamp instanceof Date);
    });

    it('ListAccounts is AccessDeniedException for limited-user and for a member account', async () => {
      const e = await rejects(orgs(limitedUser(), { maxAttempts: 1 }).send(new ListAccountsCommand({})), 'AccessDeniedException', "You don't have permissions to access this resource.");
      assert.equal(e.$metadata?.httpStatusCode, 400);
      const prod = sessionCreds(await assume(testUser(), { RoleArn: roleArn('cross-account-readonly', PROD) }));
      await rejects(orgs(prod, { maxAttempts: 1 }).send(new ListAccountsCommand({})), 'AccessDeniedException');
      await rejects(orgs({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x'.repeat(40) }, { maxAttempts: 1 }).send(new ListAccountsCommand({})), 'UnrecognizedClientException');
    });
  });

  describe('robustness and admin API', () => {
    async function signedPost(body: string, headers: Record<string, string>, service = 'sts') {
      const url = new URL(fake.endpoint);
      const signer = new SignatureV4({ credentials: testUser(), region: 'us-east-1', service, sha256: Sha256 });
      const req = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: {}, headers: { host: url.host, ...headers }, body });
      return fetch(fake.endpoint, { method: 'POST', headers: req.headers as Record<string, string>, body });
    }

    it('unsigned, unknown action, bad JSON and big bodies get AWS errors, never a crash', async () => {
      const unsigned = await fetch(fake.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
      assert.equal(unsigned.status, 403);
      const text = await unsigned.text();
      assert.match(text, /<Code>MissingAuthenticationToken<\/Code>/);
      assert.match(text, /<RequestId>[0-9a-f-]{36}<\/RequestId>/);
      assert.ok(unsigned.headers.get('date'));
      const unknown = await signedPost('Action=DoesNotExist&Version=2011-06-15', { 'content-type': 'application/x-www-form-urlencoded' });
      assert.equal(unknown.status, 400);
      assert.match(await unknown.text(), /<Code>InvalidAction<\/Code>/);
      const badJson = await signedPost('{not json', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSOrganizationsV20161128.ListAccounts' }, 'organizations');
      assert.equal(badJson.status, 400);
      assert.equal((await badJson.json() as { __type: string }).__type, 'SerializationException');
      const garbage = await signedPost('%%%&&&==', { 'content-type': 'application/x-www-form-urlencoded' });
      assert.equal(garbage.status, 400);
      const huge = await fetch(fake.endpoint, { method: 'POST', body: 'Action=GetCallerIdentity&x=' + 'a'.repeat(1024 * 1024 + 10) }).then((r) => r.status, () => 413);
      assert.equal(huge, 413);
      const malformedAuth = await fetch(fake.endpoint, { method: 'POST', headers: { authorization: 'AWS4-HMAC-SHA256 nonsense' }, body: 'Action=GetCallerIdentity' });
      assert.equal(malformedAuth.status, 400);
      // still serving
      await sts(testUser()).send(new GetCallerIdentityCommand({}));
    });

    it('the admin API drives faults, lifetime, skew and user policies', async () => {
      const admin = (method: string, p: string, body?: unknown) =>
        fetch(`${fake.endpoint}/__admin/${p}`, { method, body: body === undefined ? undefined : JSON.stringify(body) }).then(async (r) => ({ status: r.status, json: await r.json() as Record<string, unknown> }));
      assert.equal((await admin('POST', 'faults', { kind: 'throttle', service: 'sts' })).status, 200);
      await rejects(sts(testUser(), { maxAttempts: 1 }).send(new GetCallerIdentityCommand({})), 'Throttling');
      await admin('POST', 'faults', { kind: 'http500' });
      await admin('DELETE', 'faults');
      await sts(testUser()).send(new GetCallerIdentityCommand({}));
      await admin('DELETE', 'user-policy', { user: 'test-user', policyName: 's3-Full-Access-Policy' });
      await rejects(assume(testUser(), { RoleArn: roleArn('s3-Full-Access') }), 'AccessDenied');
      await admin('PUT', 'user-policy', { user: 'test-user', policyName: 's3-Full-Access-Policy', document: TEST_USER_POLICY });
      await admin('POST', 'lifetime', { seconds: 60 });
      const out = await assume(testUser(), { RoleArn: roleArn('s3-Full-Access') });
      assert.ok(out.Credentials!.Expiration!.getTime() - Date.now() <= 61_000);
      await admin('POST', 'skew', { ms: 0 });
      assert.equal((await admin('POST', 'faults', { kind: 'nope' })).status, 400);
      assert.equal((await admin('GET', 'nothing')).status, 404);
    });

    it('writeAwsHome writes credentials, config and env', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'fake-aws-home-'));
      try {
        const home = writeAwsHome(dir, fake);
        const creds = readFileSync(home.credentialsFile, 'utf8');
        assert.match(creds, new RegExp(`aws_access_key_id = ${testUser().accessKeyId}`));
        const config = readFileSync(home.configFile, 'utf8');
        for (const p of ['s3-Full-Access', 'mfa-admin', 'partner-access', 'cross-account-readonly', 'chained-deploy', 'team-path-role']) {
          assert.ok(config.includes(`[profile ${p}]`), p);
        }
        assert.match(config, /mfa_serial = arn:aws:iam::111111111111:mfa\/test-user/);
        assert.match(config, /external_id = demo-external-id/);
        assert.match(config, /\[profile chained-deploy\]\nrole_arn = arn:aws:iam::222222222222:role\/chained-deploy\nsource_profile = s3-Full-Access/);
        assert.deepEqual(Object.keys(home.env).sort(), ['AWS_CONFIG_FILE', 'AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_SHARED_CREDENTIALS_FILE', 'HOME']);
        assert.equal(home.env.AWS_ENDPOINT_URL, fake.endpoint);
        const limited = writeAwsHome(dir, fake, { user: 'limited-user' });
        assert.match(readFileSync(limited.credentialsFile, 'utf8'), new RegExp(limitedUser().accessKeyId));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('the SDK default credential chain with the written AWS home reaches the fake (source_profile role chain)', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'fake-aws-home-'));
      const saved = { ...process.env };
      try {
        const home = writeAwsHome(dir, fake);
        Object.assign(process.env, home.env);
        delete process.env.AWS_PROFILE;
        delete process.env.AWS_ACCESS_KEY_ID;
        delete process.env.AWS_SECRET_ACCESS_KEY;
        delete process.env.AWS_SESSION_TOKEN;
        const { fromIni } = await import('@aws-sdk/credential-providers');
        const client = new STSClient({ region: 'us-east-1', credentials: fromIni({ profile: 'chained-deploy', filepath: home.credentialsFile, configFilepath: home.configFile }) });
        const who = await client.send(new GetCallerIdentityCommand({}));
        assert.match(who.Arn!, /^arn:aws:sts::222222222222:assumed-role\/chained-deploy\//);
      } finally {
        for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
        Object.assign(process.env, saved);
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('close() destroys hanging sockets', async () => {
      fake.injectFault({ kind: 'timeout' });
      const pending = fetch(fake.endpoint, { method: 'POST', body: 'Action=GetCallerIdentity' }).then(() => 'answered', () => 'dropped');
      await new Promise((r) => setTimeout(r, 100));
      await fake.close();
      assert.equal(await pending, 'dropped');
      fake = await startFakeAws(); // for afterEach
    });
  });

  describe('cli.ts', () => {
    it('prints the endpoint and export lines, serves, and stops on SIGTERM', async function () {
      this.timeout(30000);
      const root = path.resolve(__dirname, '..', '..');
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/fake-aws/cli.ts'), '--port', '0', '--quiet'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const endpoint = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no endpoint printed: ${out}`)), 20000);
        child.stdout.on('data', () => {
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m && out.includes('AWS_SECRET_ACCESS_KEY')) {
            clearTimeout(t);
            resolve(m[1]);
          }
        });
      });
      assert.match(out, /export AWS_ACCESS_KEY_ID=AKIA/);
      const akid = /AWS_ACCESS_KEY_ID=(\S+)/.exec(out)![1];
      const secret = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(out)![1];
      const who = await new STSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: akid, secretAccessKey: secret } }).send(new GetCallerIdentityCommand({}));
      assert.equal(who.Arn, USER_ARN);
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    });
  });
});
