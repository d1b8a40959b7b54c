// Issue 10.2: a profile with access keys next to role_arn / credential_source / credential_process is
// never assumed twice. The fake's request log shows exactly one AssumeRole per hop, each signed with
// the access key the hop plan says: the base profile's own keys first, then each hop's session.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAwsGateway } from '../../src/aws/gateway';
import { systemClock } from '../../src/core/clock';
import type { AwsGateway } from '../../src/core/gateway';
import { loadProfiles, readAwsFiles, type Profile } from '../../src/core/profiles';
import { Redactor } from '../../src/core/redact';
import { rolesFromProfiles } from '../../src/core/roles';
import { SessionStore } from '../../src/core/session';
import { Switcher } from '../../src/core/switcher';
import type { RoleDefinition } from '../../src/core/types';
import { DEFAULT_SCENARIO_PATH, loadScenario, startFakeAws, writeAwsHome, type FakeAws, type ScenarioDoc } from '../fake-aws/index';

const A = '111111111111';
const B = '222222222222';

/** The seeds scenario plus a third role in B that trusts chained-deploy, for a chain of 3. */
function scenario(): ScenarioDoc {
  const doc = loadScenario(DEFAULT_SCENARIO_PATH);
  const b = doc.accounts.find((a) => a.id === B)!;
  b.roles!.push({
    name: 'chain-third',
    trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:role/chained-deploy` }, Action: 'sts:AssumeRole' }] },
  });
  const deploy = b.roles!.find((r) => r.name === 'chained-deploy')!;
  deploy.inlinePolicies = { ...(deploy.inlinePolicies ?? {}), 'chain-on': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${B}:role/chain-third` }] } };
  return doc;
}

describe('base profiles with keys and more: one AssumeRole per hop, signed as planned', function () {
  this.timeout(30_000);
  let fake: FakeAws;
  let dir: string;
  let profiles: Map<string, Profile>;
  let roles: Map<string, RoleDefinition>;
  let gateway: AwsGateway;
  let store: SessionStore;
  let switcher: Switcher;
  let testUser: { accessKeyId: string; secretAccessKey: string };
  let limited: { accessKeyId: string; secretAccessKey: string };
  const savedEnv = { ...process.env };

  before(async () => {
    fake = await startFakeAws({ scenario: scenario() });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-base-'));
    const home = writeAwsHome(dir, fake);
    testUser = fake.userKeys('test-user');
    limited = fake.userKeys('limited-user');
    const keys = (k: { accessKeyId: string; secretAccessKey: string }) => `aws_access_key_id = ${k.accessKeyId}\naws_secret_access_key = ${k.secretAccessKey}\n`;
    fs.appendFileSync(home.configFile, [
      // The classic self-sourced profile: path-role trusts test-user only, not its own sessions.
      '[profile self-path]', `role_arn = arn:aws:iam::${A}:role/team/path-role`, 'source_profile = self-path', '',
      // A source profile with keys and a role that test-user may not assume (other-team): never assumed.
      '[profile keyed]', `role_arn = arn:aws:iam::${A}:role/other-team`, 'source_profile = keyed', '',
      '[profile via-keyed]', `role_arn = arn:aws:iam::${A}:role/s3-Full-Access`, 'source_profile = keyed', '',
      '[profile c2]', `role_arn = arn:aws:iam::${B}:role/chained-deploy`, 'source_profile = via-keyed', '',
      '[profile c3]', `role_arn = arn:aws:iam::${B}:role/chain-third`, 'source_profile = c2', '',
      // credential_source = Environment: the environment's keys sign the hop.
      '[profile env-role]', `role_arn = arn:aws:iam::${A}:role/s3-Full-Access`, 'credential_source = Environment', '',
      // Keys next to credential_source (no role): as a source profile, its keys win over the environment.
      '[profile env-keys]', 'credential_source = Environment', '',
      '[profile via-env-keys]', `role_arn = arn:aws:iam::${A}:role/s3-Full-Access`, 'source_profile = env-keys', '',
      // Keys next to credential_process: the keys win, the process never runs.
      '[profile proc-keys]', 'credential_process = /bin/false', '',
      '[profile via-proc-keys]', `role_arn = arn:aws:iam::${A}:role/s3-Full-Access`, 'source_profile = proc-keys', '',
      // Names the AWS CLI accepts and the SDK's config reader does not: the extension resolves them itself.
      '[profile prod-éü-日本]', `role_arn = arn:aws:iam::${A}:role/s3-Full-Access`, 'source_profile = base.日本', '',
      '[profile base.日本]', keys(testUser),
      '',
    ].join('\n'));
    fs.appendFileSync(home.credentialsFile, ['[self-path]', keys(testUser), '[keyed]', keys(testUser), '[env-keys]', keys(testUser), '[proc-keys]', keys(testUser)].join('\n'));
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    Object.assign(process.env, home.env);
    const loaded = loadProfiles(await readAwsFiles(process.env, dir));
    profiles = loaded.profiles;
    const r = rolesFromProfiles(profiles);
    assert.deepEqual(r.errors, []);
    roles = new Map(r.roles.map((x) => [x.label, x]));
  });

  after(async () => {
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
  });

  beforeEach(() => {
    gateway = createAwsGateway({ maxAttempts: 1 });
    store = new SessionStore(systemClock);
    switcher = new Switcher({
      gateway: () => gateway,
      callOptions: () => ({ region: 'us-east-1', timeoutMs: 5000 }),
      askMfaCode: async () => undefined,
      store,
      redactor: new Redactor(),
      profiles: () => profiles,
    });
  });
  afterEach(() => {
    store.dispose();
    gateway.reset();
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
  });

  /** Switches to `label` and returns the AssumeRole calls it made: [signing key, status]. */
  async function assumeCalls(label: string): Promise<{ signedWith: string[]; chainKeys: string[] }> {
    const from = fake.calls.length;
    const result = await switcher.switchTo(roles.get(label)!);
    const calls = fake.calls.slice(from).filter((c) => c.service === 'sts' && c.action === 'AssumeRole');
    assert.ok(calls.every((c) => c.status === 200), JSON.stringify(calls));
    return { signedWith: calls.map((c) => c.accessKeyId ?? '?'), chainKeys: result.chain.map((s) => s.accessKeyId) };
  }

  it('a self-sourced profile with keys: one AssumeRole, signed with its own keys', async () => {
    const { signedWith } = await assumeCalls('self-path');
    assert.deepEqual(signedWith, [testUser.accessKeyId]);
    assert.equal(store.current?.assumedRoleArn.startsWith(`arn:aws:sts::${A}:assumed-role/path-role/`), true);
  });

  it("a source profile with keys and its own role_arn: its keys sign, its role is never assumed", async () => {
    const { signedWith } = await assumeCalls('via-keyed');
    assert.deepEqual(signedWith, [testUser.accessKeyId]);
    assert.equal(store.current?.assumedRoleArn.startsWith(`arn:aws:sts::${A}:assumed-role/s3-Full-Access/`), true);
  });

  it('a chain of 3 from such a profile: three AssumeRoles, each signed with the previous hop', async () => {
    const { signedWith, chainKeys } = await assumeCalls('c3');
    assert.deepEqual(signedWith, [testUser.accessKeyId, chainKeys[0], chainKeys[1]]);
    assert.equal(chainKeys.length, 3);
    assert.ok(chainKeys.every((k) => k.startsWith('ASIA')));
    assert.equal(store.current?.assumedRoleArn.startsWith(`arn:aws:sts::${B}:assumed-role/chain-third/`), true);
  });

  it('credential_source = Environment: one AssumeRole, signed with the environment keys', async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: testUser.accessKeyId, AWS_SECRET_ACCESS_KEY: testUser.secretAccessKey });
    assert.deepEqual((await assumeCalls('env-role')).signedWith, [testUser.accessKeyId]);
  });

  it('a source profile with keys and credential_source: its keys sign, not the environment', async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: limited.accessKeyId, AWS_SECRET_ACCESS_KEY: limited.secretAccessKey });
    assert.deepEqual((await assumeCalls('via-env-keys')).signedWith, [testUser.accessKeyId]);
  });

  it('profiles named as the AWS CLI allows (non-ASCII, dots) resolve and sign with the base keys', async () => {
    assert.deepEqual((await assumeCalls('prod-éü-日本')).signedWith, [testUser.accessKeyId]);
    assert.equal(store.current?.role.profile, 'prod-éü-日本');
  });

  it('a source profile with keys and credential_process: its keys sign, the process never runs', async () => {
    assert.deepEqual((await assumeCalls('via-proc-keys')).signedWith, [testUser.accessKeyId]);
  });
});
