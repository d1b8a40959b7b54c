// IAM Identity Center switch path against the local fake AWS over HTTP: the SDK SSO gateway
// (src/aws/sso.ts) gets a token through the device flow (the test approves it with the fake's admin
// endpoint), the Switcher switches to a permission set read from a config file (core/ssoConfig.ts),
// STS GetCallerIdentity runs as it, and a role is chained from it (source_profile and chainFrom).
import { strict as assert } from 'node:assert';
import { createAwsGateway } from '../../src/aws/gateway';
import { createSsoGateway, type SdkSsoGateway } from '../../src/aws/sso';
import { systemClock } from '../../src/core/clock';
import type { AwsGateway, CallOptions } from '../../src/core/gateway';
import { loadProfiles } from '../../src/core/profiles';
import { Redactor } from '../../src/core/redact';
import { rolesFromProfiles } from '../../src/core/roles';
import { SessionStore } from '../../src/core/session';
import { readSsoConfig, ssoProfileRoles } from '../../src/core/ssoConfigFile';
import type { SsoCallOptions } from '../../src/core/ssoTypes';
import { Switcher } from '../../src/core/switcher';
import type { RoleDefinition, Session } from '../../src/core/types';
import { startFakeAws, type FakeAws } from '../fake-aws/index';

const START_URL = 'https://demo-org.awsapps.com/start';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const CONFIG =
  `[sso-session demo]\nsso_start_url = ${START_URL}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n` +
  '[profile staging-admin]\nsso_session = demo\nsso_account_id = 400000000002\nsso_role_name = AdministratorAccess\n' +
  '[profile staging-deploy]\nrole_arn = arn:aws:iam::400000000002:role/deploy\nsource_profile = staging-admin\n' +
  '[profile sandbox-admin]\nsso_session = demo\nsso_account_id = 400000000004\nsso_role_name = ReadOnlyAccess\n';

async function signIn(fake: FakeAws, sso: SdkSsoGateway, opts: SsoCallOptions): Promise<{ accessToken: string; refreshToken?: string; clientId: string; clientSecret: string }> {
  const reg = await sso.registerClient(opts, { clientName: 'role-switcher-test', scopes: ['sso:account:access'], issuerUrl: START_URL });
  const auth = await sso.startDeviceAuthorization(opts, { clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: START_URL });
  assert.ok(auth.verificationUriComplete.includes(auth.userCode) || auth.verificationUriComplete.length > 0);
  const approved = await fetch(`${fake.endpoint}/__admin/sso/approve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userCode: auth.userCode }) });
  assert.equal(approved.status, 200, await approved.text());
  const token = await sso.createToken(opts, { clientId: reg.clientId, clientSecret: reg.clientSecret, grantType: DEVICE_GRANT, deviceCode: auth.deviceCode });
  return { ...token, clientId: reg.clientId, clientSecret: reg.clientSecret };
}

describe('IAM Identity Center switch path against the fake AWS', function () {
  this.timeout(30_000);
  let fake: FakeAws;
  let sso: SdkSsoGateway;
  let gateway: AwsGateway;
  let opts: SsoCallOptions;
  let accessToken: string;
  let store: SessionStore;
  let switcher: Switcher;
  let roles: Map<string, RoleDefinition>;
  const redactor = new Redactor();
  const savedEnv = { ...process.env };
  const stsOpts = (s: Session): CallOptions => ({ region: 'us-east-1', endpoint: fake.endpoint, credentials: { kind: 'static', credentials: s } });

  before(async () => {
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    fake = await startFakeAws();
    sso = createSsoGateway({ maxAttempts: 1 });
    gateway = createAwsGateway({ maxAttempts: 1 });
    opts = { region: 'us-east-1', endpoint: fake.endpoint, timeoutMs: 5000 };
    accessToken = (await signIn(fake, sso, opts)).accessToken;
    const paths = { config: '/fake/.aws/config', credentials: '/fake/.aws/credentials' };
    const { profiles, errors } = loadProfiles({ configText: CONFIG, paths });
    assert.deepEqual(errors, []);
    const config = readSsoConfig(CONFIG, paths.config, profiles);
    assert.deepEqual(config.errors, []);
    const fromFiles = rolesFromProfiles(profiles);
    assert.deepEqual(fromFiles.errors, []);
    roles = new Map([...fromFiles.roles, ...ssoProfileRoles(profiles, config)].map((r) => [r.profile!, r]));
    store = new SessionStore(systemClock);
    switcher = new Switcher({
      gateway: () => gateway,
      callOptions: () => ({ region: 'us-east-1', endpoint: fake.endpoint, timeoutMs: 5000 }),
      askMfaCode: async () => undefined,
      store,
      redactor,
      profiles: () => profiles,
      ssoCredentials: (ref, signal) => sso.getRoleCredentials({ ...opts, abortSignal: signal }, accessToken, ref.accountId, ref.roleName),
    });
  });

  after(async () => {
    store?.dispose();
    gateway?.reset();
    sso?.reset();
    await fake?.close();
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
  });

  it('lists the accounts and permission sets of the signed-in user (paginated)', async () => {
    const accounts = [];
    for await (const page of sso.listAccounts(opts, accessToken)) accounts.push(...page);
    assert.deepEqual(accounts.map((a) => a.accountId).sort(), ['400000000001', '400000000002', '400000000003', '400000000004', '400000000005', '400000000006']);
    assert.equal(accounts.find((a) => a.accountId === '400000000002')?.accountName, 'Staging');
    assert.deepEqual((await sso.listAccountRoles(opts, accessToken, '400000000002')).sort(), ['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess']);
  });

  it('switches to a permission set (GetRoleCredentials), and STS GetCallerIdentity runs as it', async () => {
    const r = await switcher.switchTo(roles.get('staging-admin')!);
    assert.equal(store.current, r.session);
    assert.deepEqual(r.session.permissionSet, { portalId: 'session:demo', accountId: '400000000002', roleName: 'AdministratorAccess' });
    assert.match(r.session.assumedRoleArn, /^arn:aws:sts::400000000002:assumed-role\/AWSReservedSSO_AdministratorAccess\//);
    const me = await gateway.getCallerIdentity(stsOpts(r.session));
    assert.match(me.arn, /^arn:aws:sts::400000000002:assumed-role\/AWSReservedSSO_AdministratorAccess_[0-9a-f]{16}\/demo-user$/);
    assert.ok(r.session.expiration.getTime() > Date.now() + 30 * 60_000);
    assert.ok(!redactor.redact(`x ${r.session.secretAccessKey} ${r.session.sessionToken}`).includes(r.session.secretAccessKey));
  });

  it('a role whose source_profile is the SSO profile: the permission set signs hop 0 (chained), and STS sees the role', async () => {
    const r = await switcher.switchTo(roles.get('staging-deploy')!);
    assert.equal(r.session.chained, true);
    assert.equal(r.session.sourceIdentityArn.endsWith('/demo-user'), true, r.session.sourceIdentityArn);
    assert.ok(r.session.expiration.getTime() <= Date.now() + 3600_000 + 5000);
    const me = await gateway.getCallerIdentity(stsOpts(r.session));
    assert.equal(me.arn, 'arn:aws:sts::400000000002:assumed-role/deploy/demo-user');
  });

  it('chainFrom a permission set session, Switch Back returns to it; renew() gets fresh permission set credentials', async () => {
    const ps = (await switcher.switchTo(roles.get('staging-admin')!)).session;
    const deployArn = 'arn:aws:iam::400000000002:role/deploy';
    const chained = await switcher.chainFrom({ id: 'settings:deploy', origin: 'settings', label: 'deploy', roleArn: deployArn, accountId: '400000000002', partition: 'aws', roleName: 'deploy', hops: [{ roleArn: deployArn }], base: { kind: 'default' } });
    assert.equal((await gateway.getCallerIdentity(stsOpts(chained.session))).arn.split('/')[1], 'deploy');
    assert.equal(await switcher.switchBack(), ps);
    assert.equal(await switcher.renew(), 'renewed');
    const renewed = store.current!;
    assert.notEqual(renewed.accessKeyId, ps.accessKeyId);
    assert.match((await gateway.getCallerIdentity(stsOpts(renewed))).arn, /AWSReservedSSO_AdministratorAccess_[0-9a-f]{16}\/demo-user$/);
  });

  it('a permission set that is not assigned fails with ResourceNotFoundException and leaves the session intact', async () => {
    const before = store.current;
    await assert.rejects(switcher.switchTo(roles.get('sandbox-admin')!), (e: Error) => e.name === 'ResourceNotFoundException');
    assert.equal(store.current, before);
  });

  it('the SDK finds the endpoints through AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL_SSO_OIDC when none is given', async () => {
    process.env.AWS_ENDPOINT_URL_SSO = fake.endpoint;
    process.env.AWS_ENDPOINT_URL_SSO_OIDC = fake.endpoint;
    const envSso = createSsoGateway({ maxAttempts: 1 });
    try {
      const noEndpoint = { region: 'us-east-1', timeoutMs: 5000 };
      const t = await signIn(fake, envSso, noEndpoint);
      const c = await envSso.getRoleCredentials(noEndpoint, t.accessToken, '400000000002', 'ReadOnlyAccess');
      assert.ok(c.accessKeyId && c.expiration.getTime() > Date.now());
      const refreshed = await envSso.createToken(noEndpoint, { clientId: t.clientId, clientSecret: t.clientSecret, grantType: 'refresh_token', refreshToken: t.refreshToken });
      assert.ok(refreshed.accessToken && refreshed.accessToken !== t.accessToken);
      await envSso.logout(noEndpoint, refreshed.accessToken);
      await assert.rejects(envSso.getRoleCredentials(noEndpoint, refreshed.accessToken, '400000000002', 'ReadOnlyAccess'), (e: Error) => e.name === 'UnauthorizedException');
    } finally {
      delete process.env.AWS_ENDPOINT_URL_SSO;
      delete process.env.AWS_ENDPOINT_URL_SSO_OIDC;
      envSso.reset();
    }
  });
});
