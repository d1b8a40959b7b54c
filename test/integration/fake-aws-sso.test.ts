/**
 * IAM Identity Center in test/fake-aws: the REAL @aws-sdk/client-sso-oidc and @aws-sdk/client-sso clients
 * (endpoint = the fake) drive the device flow, the portal API and the role sessions it hands out.
 */
import { CreateTokenCommand, RegisterClientCommand, SSOOIDCClient, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { GetRoleCredentialsCommand, ListAccountRolesCommand, ListAccountsCommand, LogoutCommand, SSOClient, paginateListAccountRoles, paginateListAccounts } from '@aws-sdk/client-sso';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { type FakeAws, DEMO_SSO, generateIdentityCenter, generateScenario, loadScenario, startFakeAws, ssoRoleName, SSO_ROLE_PATH, writeAwsHome } from '../fake-aws/index';
import { identityCenters, instanceArnOf } from '../fake-aws/ssoScenario';

const START_URL = DEMO_SSO.startUrl;
const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';
const STAGING = '400000000002';
let fake: FakeAws;

const oidc = (extra: Record<string, unknown> = {}) => new SSOOIDCClient({ endpoint: fake.endpoint, region: 'us-east-1', maxAttempts: 1, ...extra });
const portal = (extra: Record<string, unknown> = {}) => new SSOClient({ endpoint: fake.endpoint, region: 'us-east-1', maxAttempts: 1, ...extra });

async function rejects(p: Promise<unknown>, name: string, status?: number): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } } & Record<string, unknown>;
    assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
    if (status !== undefined) assert.equal(err.$metadata?.httpStatusCode, status);
    return err;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

async function register(scopes: string[] | undefined = ['sso:account:access']) {
  return oidc().send(new RegisterClientCommand({ clientName: 'role-switcher-test', clientType: 'public', scopes }));
}
async function startDevice(reg: { clientId?: string; clientSecret?: string }, startUrl: string = START_URL) {
  return oidc().send(new StartDeviceAuthorizationCommand({ clientId: reg.clientId!, clientSecret: reg.clientSecret!, startUrl }));
}
function poll(reg: { clientId?: string; clientSecret?: string }, deviceCode: string) {
  return oidc().send(new CreateTokenCommand({ clientId: reg.clientId!, clientSecret: reg.clientSecret!, grantType: DEVICE, deviceCode }));
}
/** Register, start, approve, take the token. */
async function signIn(scopes?: string[]) {
  const reg = await register(scopes);
  const dev = await startDevice(reg);
  fake.sso.approve({ userCode: dev.userCode });
  const tok = await poll(reg, dev.deviceCode!);
  return { reg, tok, accessToken: tok.accessToken! };
}

describe('fake-aws: IAM Identity Center (real SSO OIDC + SSO clients)', function () {
  beforeEach(async () => {
    fake = await startFakeAws({ quiet: true });
  });
  afterEach(async () => {
    await fake.close();
  });

  describe('OIDC', () => {
    it('RegisterClient answers id, secret and epoch-second times', async () => {
      const reg = await register();
      assert.ok(reg.clientId && reg.clientSecret);
      const now = Date.now() / 1000;
      assert.ok(Math.abs(reg.clientIdIssuedAt! - now) < 60);
      assert.ok(reg.clientSecretExpiresAt! > now + 80 * 86400);
      assert.ok(fake.issuedSecrets().includes(reg.clientSecret!));
    });

    it('device flow: authorization_pending, then approve, then a token with a refresh token', async () => {
      const reg = await register();
      const dev = await startDevice(reg);
      assert.match(dev.userCode!, /^[A-Z]{4}-[A-Z]{4}$/);
      assert.equal(dev.interval, 1);
      assert.equal(dev.expiresIn, 600);
      assert.ok(dev.verificationUriComplete!.endsWith(`?user_code=${dev.userCode}`));
      assert.ok(dev.verificationUriComplete!.startsWith(dev.verificationUri!));
      const e = await rejects(poll(reg, dev.deviceCode!), 'AuthorizationPendingException', 400);
      assert.equal(e.error, 'authorization_pending');
      assert.deepEqual(fake.sso.pending().map((p) => [p.userCode, p.status]), [[dev.userCode, 'pending']]);
      fake.sso.advanceClock(1500);
      assert.deepEqual(fake.sso.approve(), { userCode: dev.userCode, user: 'demo-user' });
      const tok = await poll(reg, dev.deviceCode!);
      assert.equal(tok.tokenType, 'Bearer');
      assert.equal(tok.expiresIn, 28800);
      assert.ok(tok.accessToken && tok.refreshToken);
      const secrets = fake.issuedSecrets();
      assert.ok(secrets.includes(tok.accessToken!) && secrets.includes(tok.refreshToken!));
      // The device code is spent.
      await rejects(poll(reg, dev.deviceCode!), 'InvalidGrantException', 400);
    });

    it('a registration without sso:account:access gets no refresh token and cannot use the refresh grant', async () => {
      const { reg, tok } = await signIn([]);
      assert.equal(tok.refreshToken, undefined);
      await rejects(oidc().send(new CreateTokenCommand({ clientId: reg.clientId!, clientSecret: reg.clientSecret!, grantType: 'refresh_token', refreshToken: 'aorNOPE' })), 'UnauthorizedClientException', 400);
    });

    it('deny gives AccessDeniedException', async () => {
      const reg = await register();
      const dev = await startDevice(reg);
      fake.sso.deny({ userCode: dev.userCode });
      const e = await rejects(poll(reg, dev.deviceCode!), 'AccessDeniedException', 400);
      assert.equal(e.error, 'access_denied');
    });

    it('polling faster than interval gives slow_down, and the interval grows by 5 s', async () => {
      const reg = await register();
      const dev = await startDevice(reg);
      await rejects(poll(reg, dev.deviceCode!), 'AuthorizationPendingException');
      await rejects(poll(reg, dev.deviceCode!), 'SlowDownException', 400);
      fake.sso.advanceClock(2000); // the old interval (1 s) is no longer enough: 6 s now
      await rejects(poll(reg, dev.deviceCode!), 'SlowDownException');
      fake.sso.advanceClock(11_500);
      await rejects(poll(reg, dev.deviceCode!), 'AuthorizationPendingException');
      assert.equal(fake.sso.pending()[0].interval, 11);
    });

    it('the device code expires after expiresIn: ExpiredTokenException', async () => {
      const reg = await register();
      const dev = await startDevice(reg);
      fake.sso.advanceClock(601_000);
      const e = await rejects(poll(reg, dev.deviceCode!), 'ExpiredTokenException', 400);
      assert.equal(e.error, 'expired_token');
      assert.deepEqual(fake.sso.pending(), []);
      assert.throws(() => fake.sso.approve(), /no pending/);
    });

    it('refresh_token grant: a new access token, the old refresh token is spent', async () => {
      const { reg, tok } = await signIn();
      const out = await oidc().send(new CreateTokenCommand({ clientId: reg.clientId!, clientSecret: reg.clientSecret!, grantType: 'refresh_token', refreshToken: tok.refreshToken! }));
      assert.ok(out.accessToken && out.accessToken !== tok.accessToken);
      assert.ok(out.refreshToken && out.refreshToken !== tok.refreshToken);
      await portal().send(new ListAccountsCommand({ accessToken: out.accessToken! }));
      await rejects(oidc().send(new CreateTokenCommand({ clientId: reg.clientId!, clientSecret: reg.clientSecret!, grantType: 'refresh_token', refreshToken: tok.refreshToken! })), 'InvalidGrantException', 400);
    });

    it('wrong client secret: InvalidClientException 401; unknown start URL: InvalidRequestException; unknown grant', async () => {
      const reg = await register();
      await rejects(startDevice({ clientId: reg.clientId, clientSecret: 'nope' }), 'InvalidClientException', 401);
      await rejects(startDevice(reg, 'https://nobody.awsapps.com/start'), 'InvalidRequestException', 400);
      await rejects(oidc().send(new CreateTokenCommand({ clientId: reg.clientId!, clientSecret: reg.clientSecret!, grantType: 'password' })), 'UnsupportedGrantTypeException', 400);
      await rejects(oidc().send(new CreateTokenCommand({ clientId: reg.clientId!, clientSecret: reg.clientSecret!, grantType: DEVICE, deviceCode: 'unknown' })), 'InvalidGrantException', 400);
    });

    it('auto-approve after a delay (the demo sign-in)', async () => {
      fake.sso.setAutoApprove(1000);
      const reg = await register();
      const dev = await startDevice(reg);
      await rejects(poll(reg, dev.deviceCode!), 'AuthorizationPendingException');
      fake.sso.advanceClock(1200);
      const tok = await poll(reg, dev.deviceCode!);
      assert.ok(tok.accessToken);
    });

    it('admin HTTP API: pending, approve (latest), state', async () => {
      const reg = await register();
      const dev = await startDevice(reg);
      const pending = (await (await fetch(`${fake.endpoint}/__admin/sso/pending`)).json()) as { userCode: string }[];
      assert.deepEqual(pending.map((p) => p.userCode), [dev.userCode]);
      assert.ok(!JSON.stringify(pending).includes(dev.deviceCode!));
      const r = await fetch(`${fake.endpoint}/__admin/sso/approve`, { method: 'POST', body: '{}' });
      assert.equal(r.status, 200);
      await poll(reg, dev.deviceCode!);
      const state = (await (await fetch(`${fake.endpoint}/__admin/sso/state`)).json()) as { activeTokens: number };
      assert.equal(state.activeTokens, 1);
      const page = await (await fetch(dev.verificationUriComplete!)).text();
      assert.match(page, /Approve/);
    });
  });

  describe('demo wiring and hygiene', () => {
    it('writeAwsHome(..., { sso: true }) writes [sso-session demo] and profiles for assigned permission sets', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'fake-sso-home-'));
      try {
        const home = writeAwsHome(dir, fake, { sso: true });
        const config = readFileSync(home.configFile, 'utf8');
        assert.match(config, /\[sso-session demo\]\nsso_start_url = https:\/\/demo-org\.awsapps\.com\/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n/);
        assert.match(config, /\[profile staging-admin\]\nsso_session = demo\nsso_account_id = 400000000002\nsso_role_name = AdministratorAccess\n/);
        assert.ok(!readFileSync(writeAwsHome(path.join(dir, 'plain'), fake).configFile, 'utf8').includes('sso'), 'without the option: no SSO lines');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('with logging on, no token, secret or device code reaches stderr', async () => {
      await fake.close();
      fake = await startFakeAws({ quiet: false });
      const lines: string[] = [];
      const orig = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      }) as typeof process.stderr.write;
      let deviceCode = '';
      try {
        const reg = await register();
        const dev = await startDevice(reg);
        deviceCode = dev.deviceCode!;
        await rejects(poll(reg, deviceCode), 'AuthorizationPendingException');
        fake.sso.approve();
        const tok = await poll(reg, deviceCode);
        await portal().send(new GetRoleCredentialsCommand({ accessToken: tok.accessToken!, accountId: STAGING, roleName: 'ReadOnlyAccess' }));
        await portal().send(new LogoutCommand({ accessToken: tok.accessToken! }));
      } finally {
        process.stderr.write = orig;
      }
      const log = lines.join('');
      assert.match(log, /sso\.GetRoleCredentials - -> 200/);
      for (const secret of [...fake.issuedSecrets(), deviceCode]) assert.ok(!log.includes(secret), 'a secret reached the log');
    });
  });

  describe('portal', () => {
    it('ListAccounts pages with max_result / next_token', async () => {
      const { accessToken } = await signIn();
      const first = await portal().send(new ListAccountsCommand({ accessToken, maxResults: 4 }));
      assert.equal(first.accountList!.length, 4);
      assert.ok(first.nextToken);
      const all: string[] = [];
      for await (const page of paginateListAccounts({ client: portal(), pageSize: 4 }, { accessToken })) all.push(...page.accountList!.map((a) => `${a.accountId} ${a.accountName} ${a.emailAddress}`));
      assert.equal(all.length, 6);
      assert.equal(all[0], '400000000001 Production aws-production@example.invalid');
      await rejects(portal().send(new ListAccountsCommand({ accessToken, nextToken: 'garbage' })), 'InvalidRequestException', 400);
    });

    it('several instances (start URLs): a token sees only its own organization', async () => {
      await fake.close();
      const doc = loadScenario(undefined);
      const other = generateIdentityCenter({ accounts: 2, startUrl: 'https://other-org.awsapps.com/start', userName: 'other-user' });
      doc.identityCenter = [...(Array.isArray(doc.identityCenter) ? doc.identityCenter : [doc.identityCenter!]), { ...other, region: 'eu-west-1' }];
      fake = await startFakeAws({ scenario: doc });
      assert.deepEqual(fake.sso.startUrls, [START_URL, 'https://other-org.awsapps.com/start']);
      assert.equal(fake.sso.regionOf('https://other-org.awsapps.com/start'), 'eu-west-1');
      const reg = await register();
      const dev = await startDevice(reg, 'https://other-org.awsapps.com/start');
      assert.equal(fake.sso.approve().user, 'other-user');
      const { accessToken } = await poll(reg, dev.deviceCode!);
      const out = await portal().send(new ListAccountsCommand({ accessToken: accessToken! }));
      assert.deepEqual(out.accountList!.map((x) => x.accountId), ['500000000001', '500000000002']);
      await rejects(portal().send(new ListAccountRolesCommand({ accessToken: accessToken!, accountId: STAGING })), 'ResourceNotFoundException', 404);
      const who = await new STSClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials: await credsOf(accessToken!, '500000000001', 'ReadOnlyAccess') }).send(new GetCallerIdentityCommand({}));
      assert.match(who.Arn!, /^arn:aws:sts::500000000001:assumed-role\/AWSReservedSSO_ReadOnlyAccess_[0-9a-f]{16}\/other-user$/);
    });

    it('bad paging parameters: InvalidRequestException 400', async () => {
      const { accessToken } = await signIn();
      await rejects(portal().send(new ListAccountsCommand({ accessToken, maxResults: 0 })), 'InvalidRequestException', 400);
      await rejects(portal().send(new ListAccountsCommand({ accessToken, maxResults: 101 })), 'InvalidRequestException', 400);
      const first = await portal().send(new ListAccountsCommand({ accessToken, maxResults: 1 }));
      // A ListAccounts token is not a ListAccountRoles token.
      await rejects(portal().send(new ListAccountRolesCommand({ accessToken, accountId: STAGING, nextToken: first.nextToken })), 'InvalidRequestException', 400);
    });

    it('ListAccountRoles pages', async () => {
      const { accessToken } = await signIn();
      const roles: string[] = [];
      for await (const page of paginateListAccountRoles({ client: portal(), pageSize: 2 }, { accessToken, accountId: STAGING })) {
        assert.ok(page.roleList!.length <= 2);
        roles.push(...page.roleList!.map((r) => `${r.accountId}/${r.roleName}`));
      }
      assert.deepEqual(roles.sort(), [`${STAGING}/AdministratorAccess`, `${STAGING}/PowerUserAccess`, `${STAGING}/ReadOnlyAccess`]);
      await rejects(portal().send(new ListAccountRolesCommand({ accessToken, accountId: '999999999999' })), 'ResourceNotFoundException', 404);
    });

    it('GetRoleCredentials gives a role session: GetCallerIdentity shows AWSReservedSSO_, and it chains with AssumeRole', async () => {
      const { accessToken } = await signIn();
      const out = await portal().send(new GetRoleCredentialsCommand({ accessToken, accountId: STAGING, roleName: 'AdministratorAccess' }));
      const rc = out.roleCredentials!;
      assert.match(rc.accessKeyId!, /^ASIA/);
      assert.ok(Math.abs(rc.expiration! - (Date.now() + 3600_000)) < 60_000, 'expiration is epoch ms, 1 h out');
      assert.ok(fake.issuedSecrets().includes(rc.secretAccessKey!) && fake.issuedSecrets().includes(rc.sessionToken!));
      const creds = { accessKeyId: rc.accessKeyId!, secretAccessKey: rc.secretAccessKey!, sessionToken: rc.sessionToken! };
      const sts = new STSClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials: creds });
      const who = await sts.send(new GetCallerIdentityCommand({}));
      assert.match(who.Arn!, /^arn:aws:sts::400000000002:assumed-role\/AWSReservedSSO_AdministratorAccess_[0-9a-f]{16}\/demo-user$/);
      assert.equal(who.Arn, `arn:aws:sts::${STAGING}:assumed-role/${ssoRoleName(instanceArnOf(identityCenters(loadScenario(undefined))[0]), STAGING, 'AdministratorAccess')}/demo-user`);
      // Role chaining from SSO: Staging's deploy role trusts the AdministratorAccess permission set; the cap is 1 h.
      const chained = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${STAGING}:role/deploy`, RoleSessionName: 'from-sso' }));
      assert.equal(chained.AssumedRoleUser!.Arn, `arn:aws:sts::${STAGING}:assumed-role/deploy/from-sso`);
      await rejects(sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${STAGING}:role/deploy`, RoleSessionName: 'from-sso', DurationSeconds: 7200 })), 'ValidationError', 400);
      // ReadOnlyAccess cannot chain (no sts:AssumeRole, and the trust names AdministratorAccess only).
      const ro = (await portal().send(new GetRoleCredentialsCommand({ accessToken, accountId: STAGING, roleName: 'ReadOnlyAccess' }))).roleCredentials!;
      const roSts = new STSClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials: { accessKeyId: ro.accessKeyId!, secretAccessKey: ro.secretAccessKey!, sessionToken: ro.sessionToken! } });
      await rejects(roSts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${STAGING}:role/deploy`, RoleSessionName: 'read-only' })), 'AccessDenied', 403);
    });

    it('the SSO roles are IAM roles at /aws-reserved/sso.amazonaws.com/ (ListRoles with the permission set)', async () => {
      const { accessToken } = await signIn();
      const rc = (await portal().send(new GetRoleCredentialsCommand({ accessToken, accountId: STAGING, roleName: 'AdministratorAccess' }))).roleCredentials!;
      const iam = new IAMClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials: { accessKeyId: rc.accessKeyId!, secretAccessKey: rc.secretAccessKey!, sessionToken: rc.sessionToken! } });
      const out = await iam.send(new ListRolesCommand({ PathPrefix: SSO_ROLE_PATH }));
      assert.deepEqual(out.Roles!.map((r) => r.RoleName!.replace(/_[0-9a-f]{16}$/, '')).sort(), ['AWSReservedSSO_AdministratorAccess', 'AWSReservedSSO_PowerUserAccess', 'AWSReservedSSO_ReadOnlyAccess']);
      assert.ok(out.Roles!.every((r) => r.Arn!.startsWith(`arn:aws:iam::${STAGING}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_`)));
    });

    it('a removed assignment gives ResourceNotFoundException; unknown permission set too', async () => {
      const { accessToken } = await signIn();
      await rejects(portal().send(new GetRoleCredentialsCommand({ accessToken, accountId: '400000000004', roleName: 'ReadOnlyAccess' })), 'ResourceNotFoundException', 404);
      assert.equal(fake.sso.removeAssignment({ accountId: '400000000004', permissionSet: 'AdministratorAccess' }), true);
      await rejects(portal().send(new GetRoleCredentialsCommand({ accessToken, accountId: '400000000004', roleName: 'AdministratorAccess' })), 'ResourceNotFoundException', 404);
      const accounts = await portal().send(new ListAccountsCommand({ accessToken }));
      assert.ok(!accounts.accountList!.some((a) => a.accountId === '400000000004'), 'an account with no assignment left is not listed');
    });

    it('Logout invalidates the token (and its refresh token); role credentials stay valid', async () => {
      const { reg, tok, accessToken } = await signIn();
      const rc = (await portal().send(new GetRoleCredentialsCommand({ accessToken, accountId: STAGING, roleName: 'ReadOnlyAccess' }))).roleCredentials!;
      await portal().send(new LogoutCommand({ accessToken }));
      const e = await rejects(portal().send(new ListAccountsCommand({ accessToken })), 'UnauthorizedException', 401);
      assert.equal(e.message, 'Session token not found or invalid');
      await rejects(portal().send(new LogoutCommand({ accessToken })), 'UnauthorizedException', 401);
      await rejects(oidc().send(new CreateTokenCommand({ clientId: reg.clientId!, clientSecret: reg.clientSecret!, grantType: 'refresh_token', refreshToken: tok.refreshToken! })), 'InvalidGrantException');
      const sts = new STSClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials: { accessKeyId: rc.accessKeyId!, secretAccessKey: rc.secretAccessKey!, sessionToken: rc.sessionToken! } });
      await sts.send(new GetCallerIdentityCommand({}));
    });

    it('expired, revoked and unknown tokens: UnauthorizedException 401', async () => {
      const a = await signIn();
      fake.sso.advanceClock(28_801_000);
      await rejects(portal().send(new ListAccountsCommand({ accessToken: a.accessToken })), 'UnauthorizedException', 401);
      const b = await signIn();
      assert.equal(fake.sso.revoke({ accessToken: b.accessToken }), 1);
      await rejects(portal().send(new ListAccountRolesCommand({ accessToken: b.accessToken, accountId: STAGING })), 'UnauthorizedException', 401);
      await rejects(portal().send(new ListAccountsCommand({ accessToken: 'aoaUNKNOWN' })), 'UnauthorizedException', 401);
      const c = await signIn();
      fake.sso.expireTokens();
      await rejects(portal().send(new GetRoleCredentialsCommand({ accessToken: c.accessToken, accountId: STAGING, roleName: 'ReadOnlyAccess' })), 'UnauthorizedException', 401);
    });

    it('throttle injection: a deterministic fraction of portal calls get TooManyRequestsException 429', async () => {
      const { accessToken } = await signIn();
      fake.sso.setLoad({ service: 'sso', rate: 0.25 });
      const results: string[] = [];
      for (let i = 0; i < 8; i++) {
        try {
          await portal().send(new ListAccountRolesCommand({ accessToken, accountId: STAGING }));
          results.push('ok');
        } catch (e) {
          assert.equal((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 429);
          results.push((e as Error).name);
        }
      }
      assert.deepEqual(results, ['ok', 'ok', 'ok', 'TooManyRequestsException', 'ok', 'ok', 'ok', 'TooManyRequestsException']);
      fake.sso.clearLoad();
      await portal().send(new ListAccountRolesCommand({ accessToken, accountId: STAGING }));
      // The SDK's standard retry strategy retries 429: with 3 attempts a 25 % throttle never surfaces.
      fake.sso.setLoad({ service: 'sso', rate: 0.25 });
      for (let i = 0; i < 8; i++) await portal({ maxAttempts: 3, retryStrategy: undefined }).send(new ListAccountRolesCommand({ accessToken, accountId: STAGING }));
    });

    it('latency injection delays every portal call', async () => {
      const { accessToken } = await signIn();
      fake.sso.setLoad({ service: 'sso', latencyMs: 120 });
      const t0 = process.hrtime.bigint();
      await portal().send(new ListAccountsCommand({ accessToken }));
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      assert.ok(ms >= 110, `the call took ${ms} ms, the fake should add at least 120 ms`);
    });

    it('FaultSpec accepts sso and sso-oidc', async () => {
      const { accessToken } = await signIn();
      fake.injectFault({ service: 'sso', action: 'ListAccounts', kind: 'http500' });
      await rejects(portal().send(new ListAccountsCommand({ accessToken })), 'InternalServerException', 500);
      fake.injectFault({ service: 'sso-oidc', kind: 'throttle' });
      await rejects(register(), 'TooManyRequestsException', 429);
      fake.injectFault({ service: 'sso', action: 'GetRoleCredentials', kind: 'missingFields' });
      const out = await portal().send(new GetRoleCredentialsCommand({ accessToken, accountId: STAGING, roleName: 'ReadOnlyAccess' }));
      assert.equal(out.roleCredentials!.sessionToken, undefined);
      const calls = fake.calls.filter((c) => c.service === 'sso' || c.service === 'sso-oidc').map((c) => `${c.service}.${c.action} ${c.status}`);
      assert.ok(calls.includes('sso.ListAccounts 500') && calls.includes('sso-oidc.RegisterClient 429'));
    });

    it('generateScenario({ identityCenter: { accounts: 300 } }) makes 300 accounts × 3 permission sets', async () => {
      await fake.close();
      fake = await startFakeAws({ scenario: generateScenario({ roles: 0, identityCenter: { accounts: 300, permissionSets: 3 } }) });
      const reg = await oidc().send(new RegisterClientCommand({ clientName: 'bench', clientType: 'public', scopes: ['sso:account:access'] }));
      const dev = await oidc().send(new StartDeviceAuthorizationCommand({ clientId: reg.clientId!, clientSecret: reg.clientSecret!, startUrl: 'https://bench-org.awsapps.com/start' }));
      fake.sso.approve();
      const { accessToken } = await poll(reg, dev.deviceCode!);
      let n = 0;
      for await (const page of paginateListAccounts({ client: portal(), pageSize: 100 }, { accessToken: accessToken! })) n += page.accountList!.length;
      assert.equal(n, 300);
      const roles = await portal().send(new ListAccountRolesCommand({ accessToken: accessToken!, accountId: '500000000300' }));
      assert.deepEqual(roles.roleList!.map((r) => r.roleName), ['AdministratorAccess', 'ReadOnlyAccess', 'PowerUserAccess']);
    });
  });
});

async function credsOf(accessToken: string, accountId: string, roleName: string) {
  const rc = (await portal().send(new GetRoleCredentialsCommand({ accessToken, accountId, roleName }))).roleCredentials!;
  return { accessKeyId: rc.accessKeyId!, secretAccessKey: rc.secretAccessKey!, sessionToken: rc.sessionToken! };
}
