import * as assert from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CancelledError, ConfigError, displayPath, isCancelled, showName } from '../../src/core/errors';
import { awsFilePaths, loadProfiles, MAX_FILE_BYTES, readAwsFiles, resolveRoleProfile, RoleResolver, type Profile } from '../../src/core/profiles';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'config');
const PATHS = { config: '/home/me/.aws/config', credentials: '/home/me/.aws/credentials' };

function fixture(dir: string) {
  const read = (f: string) => (existsSync(path.join(FIXTURES, dir, f)) ? readFileSync(path.join(FIXTURES, dir, f), 'utf8') : undefined);
  return loadProfiles({ configText: read('config'), credentialsText: read('credentials'), paths: PATHS });
}

function load(configText: string, credentialsText?: string) {
  return loadProfiles({ configText, credentialsText, paths: PATHS });
}

function resolveError(profiles: ReadonlyMap<string, Profile>, name: string): ConfigError {
  try {
    resolveRoleProfile(profiles, name);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e;
  }
  assert.fail(`resolveRoleProfile("${name}") did not throw`);
}

describe('errors', () => {
  it('ConfigError reads "<file> line <n>: <detail>" and keeps its parts', () => {
    const e = new ConfigError('source_profile "a" forms a cycle: a → b → a', { file: '~/.aws/config', line: 12, profile: 'b' });
    assert.deepStrictEqual([e.message, e.file, e.line, e.profile, e.detail, e instanceof Error], [
      '~/.aws/config line 12: source_profile "a" forms a cycle: a → b → a', '~/.aws/config', 12, 'b', 'source_profile "a" forms a cycle: a → b → a', true,
    ]);
    assert.strictEqual(new ConfigError('too big', { file: '/x' }).message, '/x: too big');
  });

  it('displayPath shortens the home directory to ~', () => {
    assert.deepStrictEqual(
      [
        displayPath('/home/me/.aws/config', '/home/me'),
        displayPath('/home/me/.aws/config', '/home/me/'),
        displayPath('/home/me', '/home/me'),
        displayPath('/home/meta/.aws/config', '/home/me'),
        displayPath('/etc/aws/config', '/home/me'),
        displayPath('C:\\Users\\Me\\.aws\\config', 'c:\\users\\me'),
        displayPath('/x', ''),
      ],
      ['~/.aws/config', '~/.aws/config', '~', '/home/meta/.aws/config', '/etc/aws/config', '~\\.aws\\config', '/x'],
    );
  });

  it('CancelledError is recognised by isCancelled, other errors are not', () => {
    assert.deepStrictEqual([isCancelled(new CancelledError()), isCancelled(new Error('x')), isCancelled(undefined), isCancelled(Object.assign(new Error(), { name: 'AbortError' }))], [true, false, false, true]);
  });

  it('showName escapes bidi overrides and control characters', () => {
    assert.strictEqual(showName('a\u202eb\u0000c'), 'a\\u{202e}b\\u{0}c');
  });
});

describe('awsFilePaths / readAwsFiles', () => {
  it('defaults to ~/.aws and honours AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and ~', () => {
    assert.deepStrictEqual(awsFilePaths({}, '/home/me'), PATHS);
    assert.deepStrictEqual(awsFilePaths({ AWS_CONFIG_FILE: '~/cfg/aws', AWS_SHARED_CREDENTIALS_FILE: '/etc/creds' }, '/home/me'), { config: '/home/me/cfg/aws', credentials: '/etc/creds' });
    assert.deepStrictEqual(awsFilePaths({ AWS_CONFIG_FILE: '', AWS_SHARED_CREDENTIALS_FILE: '~' }, '/home/me'), { config: PATHS.config, credentials: '/home/me' });
  });

  describe('on disk', () => {
    let home: string;
    beforeEach(() => {
      home = mkdtempSync(path.join(tmpdir(), 'rs-home-'));
    });
    afterEach(() => rmSync(home, { recursive: true, force: true }));

    it('a missing file is undefined, not an error', async () => {
      const files = await readAwsFiles({}, home);
      assert.deepStrictEqual(files, { paths: { config: path.join(home, '.aws', 'config'), credentials: path.join(home, '.aws', 'credentials') }, configText: undefined, credentialsText: undefined, errors: [] });
    });

    it('reads both files as UTF-8, and loadProfiles takes the result as it is', async () => {
      mkdirSync(path.join(home, '.aws'));
      writeFileSync(path.join(home, '.aws', 'config'), '[profile r]\nrole_arn = arn:aws:iam::123456789012:role/R\nsource_profile = default\n');
      writeFileSync(path.join(home, '.aws', 'credentials'), '[default]\naws_access_key_id = A\naws_secret_access_key = B\n');
      const { profiles, errors } = loadProfiles(await readAwsFiles({}, home));
      assert.deepStrictEqual(errors, []);
      assert.deepStrictEqual([...profiles.keys()], ['r', 'default']);
      assert.strictEqual(profiles.get('default')?.file, path.join(home, '.aws', 'credentials'));
    });

    it('refuses a file over 5 MB with a ConfigError naming it, and still reads the other', async () => {
      const big = path.join(home, 'big-config');
      writeFileSync(big, Buffer.alloc(MAX_FILE_BYTES + 1, 0x23));
      const creds = path.join(home, 'creds');
      writeFileSync(creds, '[default]\naws_access_key_id = A\naws_secret_access_key = B\n');
      const files = await readAwsFiles({ AWS_CONFIG_FILE: big, AWS_SHARED_CREDENTIALS_FILE: creds }, home);
      assert.strictEqual(files.configText, undefined);
      assert.deepStrictEqual(files.errors?.map((e) => [e instanceof ConfigError, e.file, e.line]), [[true, big, undefined]]);
      assert.match(files.errors?.[0].message ?? '', /MB/);
      const loaded = loadProfiles(files);
      assert.deepStrictEqual([[...loaded.profiles.keys()], loaded.errors.length], [['default'], 1]);
    });
  });
});

describe('loadProfiles', () => {
  it('reads the typed fields, keeps unknown keys in raw, and merges the credentials file', () => {
    const { profiles, errors } = fixture('basic');
    const cd = profiles.get('chained-deploy');
    assert.ok(cd);
    assert.deepStrictEqual(
      {
        file: cd.file, line: cd.line, role_arn: cd.role_arn, source_profile: cd.source_profile, mfa_serial: cd.mfa_serial, external_id: cd.external_id,
        duration_seconds: cd.duration_seconds, role_session_name: cd.role_session_name, hasStaticKeys: cd.hasStaticKeys, future: cd.raw.some_future_key,
        futureAt: cd.where.get('some_future_key')?.line,
      },
      {
        file: PATHS.config, line: 11, role_arn: 'arn:aws:iam::222222222222:role/deploy/chained-deploy', source_profile: 's3-Full-Access',
        mfa_serial: 'arn:aws:iam::111111111111:mfa/test-user', external_id: 'deploy-ext-1234', duration_seconds: 3600, role_session_name: 'alice@example.com',
        hasStaticKeys: false, future: 'kept in raw, ignored', futureAt: 18,
      },
    );
    const sso = profiles.get('sso-dev');
    assert.deepStrictEqual([sso?.sso_session, sso?.region, sso?.hasStaticKeys, sso?.file, sso?.where.get('aws_access_key_id')?.file], ['my-sso', 'us-west-2', true, PATHS.config, PATHS.credentials]);
    assert.deepStrictEqual([profiles.get('proc')?.credential_process, profiles.get('keys-only')?.file, profiles.get('s3-Full-Access')?.region], ['/usr/local/bin/get-creds --profile proc', PATHS.credentials, 'eu-west-1']);
    assert.strictEqual(profiles.get('value-hash')?.region, 'ap-south-1#not-a-comment');
    assert.ok(!profiles.has('my-sso') && !profiles.has('sso-session.my-sso') && !profiles.has('local-stack'));
    assert.deepStrictEqual(errors, []);
  });

  it('credentials values win over config values, key by key (the SDK merge order)', () => {
    const { profiles } = load('[default]\nregion = us-east-1\noutput = json\n', '[default]\nregion = eu-west-1\n');
    assert.deepStrictEqual({ ...profiles.get('default')?.raw }, { region: 'eu-west-1', output: 'json' });
  });

  it('reports malformed lines and ignored sections with file and line, and still loads the rest', () => {
    const { profiles, errors } = fixture('malformed');
    assert.deepStrictEqual(errors.map((e) => [e.file, e.line]), [
      [PATHS.config, 3], [PATHS.config, 4], [PATHS.config, 5], [PATHS.config, 32], [PATHS.config, 30],
      [PATHS.credentials, 1], [PATHS.credentials, 5],
    ]);
    assert.match(errors[4].message, /section \[myprofile\] is ignored in the config file; a profile there is written \[profile myprofile\]/);
    assert.ok(profiles.has('ok') && profiles.has('default'));
  });

  it('warns about a profile name neither the SDK nor the AWS CLI reads; reads one only the CLI accepts (config-reader.test.ts)', () => {
    const { profiles, errors } = load('[profile my profile]\nregion = x\n[profile a#b]\nregion = y\n');
    assert.deepStrictEqual([[...profiles.keys()], errors.map((e) => e.line)], [['a#b'], [1]]);
    assert.match(errors[0].message, /\[profile my profile\] is ignored: the profile name contains white space/);
  });

  it('warns about [profile x] in the credentials file', () => {
    const { profiles, errors } = load('', '[profile x]\naws_access_key_id = A\n');
    assert.deepStrictEqual([errors.map((e) => [e.file, e.line]), profiles.size], [[[PATHS.credentials, 1]], 0]);
  });

  it('duration_seconds is a number only when it is a whole number', () => {
    const { profiles } = load('[profile a]\nduration_seconds = 3600\n[profile b]\nduration_seconds = 3600s\n');
    assert.deepStrictEqual([profiles.get('a')?.duration_seconds, profiles.get('b')?.duration_seconds, profiles.get('b')?.raw.duration_seconds], [3600, undefined, '3600s']);
  });
});

describe('resolveRoleProfile', () => {
  const basic = fixture('basic').profiles;

  it('resolves a multi-hop chain base-first', () => {
    assert.deepStrictEqual(resolveRoleProfile(basic, 'chained-deploy'), {
      hops: [
        { roleArn: 'arn:aws:iam::111111111111:role/s3-Full-Access', profile: 's3-Full-Access' },
        {
          roleArn: 'arn:aws:iam::222222222222:role/deploy/chained-deploy', profile: 'chained-deploy', durationSeconds: 3600,
          roleSessionName: 'alice@example.com', externalId: 'deploy-ext-1234', mfaSerial: 'arn:aws:iam::111111111111:mfa/test-user',
        },
      ],
      base: { kind: 'profileKeys', profile: 'default' },
      notes: [],
    });
  });

  it('a source profile with SSO settings and keys: the keys are the base (fromIni checks keys first)', () => {
    assert.deepStrictEqual(resolveRoleProfile(basic, 'via-sso').base, { kind: 'profileKeys', profile: 'sso-dev' });
  });

  it('credential_source Environment is the environment; EC2/ECS fall back to the default chain with a note', () => {
    assert.deepStrictEqual(resolveRoleProfile(basic, 'env-role'), { hops: [{ roleArn: 'arn:aws:iam::333333333333:role/EnvRole', profile: 'env-role' }], base: { kind: 'environment' }, notes: [] });
    const ec2 = resolveRoleProfile(basic, 'ec2-role');
    assert.deepStrictEqual([ec2.base, ec2.notes.length], [{ kind: 'default' }, 1]);
    assert.match(ec2.notes[0], /Ec2InstanceMetadata/);
  });

  it('a source profile with credential_source and no role_arn names the provider (SDK chains)', () => {
    const { profiles } = load('[profile top]\nrole_arn = arn:aws:iam::123456789012:role/Top\nsource_profile = env\n[profile env]\ncredential_source = Environment\n');
    assert.deepStrictEqual(resolveRoleProfile(profiles, 'top').base, { kind: 'environment' });
  });

  it('names the whole source_profile cycle, with the file and line of the source_profile that closes it', () => {
    const { profiles } = fixture('cycle');
    const e = resolveError(profiles, 'a');
    assert.deepStrictEqual([e.message, e.file, e.line, e.profile], [`${PATHS.config} line 7: source_profile "a" forms a cycle: a → b → a`, PATHS.config, 7, 'b']);
    assert.strictEqual(resolveError(profiles, 'c').detail, 'source_profile "a" forms a cycle: a → b → a');
    assert.deepStrictEqual([resolveError(profiles, 'self').detail, resolveError(profiles, 'self').line], ['source_profile "self" forms a cycle: self → self', 15]);
  });

  it('a profile that is its own source_profile and has keys uses its keys as the base (CLI/SDK classic)', () => {
    const r = resolveRoleProfile(fixture('cycle').profiles, 'self-keys');
    assert.deepStrictEqual([r.hops.map((h) => h.profile), r.base, r.notes.length], [['self-keys'], { kind: 'profileKeys', profile: 'self-keys' }, 1]);
  });

  it('a source profile with both role_arn and static keys: its keys win, as in the AWS CLI and fromIni', () => {
    const { profiles } = load(
      '[profile top]\nrole_arn = arn:aws:iam::123456789012:role/Top\nsource_profile = mid\n[profile mid]\nrole_arn = arn:aws:iam::123456789012:role/Mid\nsource_profile = base\n[profile base]\nregion = us-east-1\n',
      '[mid]\naws_access_key_id = A\naws_secret_access_key = B\n[base]\naws_access_key_id = C\naws_secret_access_key = D\n',
    );
    const r = resolveRoleProfile(profiles, 'top');
    assert.deepStrictEqual([r.hops.map((h) => h.profile), r.base], [['top'], { kind: 'profileKeys', profile: 'mid' }]);
    assert.match(r.notes.join('\n'), /profile "mid" has access keys and role_arn, source_profile|profile "mid" has access keys and role_arn/);
    // Started from mid itself, its role is the hop and base's keys sign it.
    const m = resolveRoleProfile(profiles, 'mid');
    assert.deepStrictEqual([m.hops.map((h) => h.profile), m.base], [['mid'], { kind: 'profileKeys', profile: 'base' }]);
  });

  // The base of every plan, for source profiles that carry keys next to something else. The SDK is
  // handed a profile by name only when it has neither keys nor a role: then it cannot take a route of
  // its own (assume the profile's role, or run its credential_process instead of using its keys).
  const KEYS = 'aws_access_key_id = AKIAKEYS\naws_secret_access_key = secret-of-src\n';
  const TOP = '[profile top]\nrole_arn = arn:aws:iam::123456789012:role/Top\nsource_profile = src\n';
  const baseCases: Array<[string, string, object]> = [
    ['keys only', `[profile src]\n${KEYS}`, { kind: 'profileKeys', profile: 'src' }],
    ['keys + role_arn + source_profile', `[profile src]\n${KEYS}role_arn = arn:aws:iam::123456789012:role/Src\nsource_profile = other\n[profile other]\n${KEYS}`, { kind: 'profileKeys', profile: 'src' }],
    ['keys + role_arn + credential_source', `[profile src]\n${KEYS}role_arn = arn:aws:iam::123456789012:role/Src\ncredential_source = Environment\n`, { kind: 'profileKeys', profile: 'src' }],
    ['keys + credential_source', `[profile src]\n${KEYS}credential_source = Environment\n`, { kind: 'profileKeys', profile: 'src' }],
    ['keys + credential_process', `[profile src]\n${KEYS}credential_process = /bin/false\n`, { kind: 'profileKeys', profile: 'src' }],
    ['credential_process only', '[profile src]\ncredential_process = /usr/bin/creds\n', { kind: 'profile', profile: 'src' }],
    ['credential_source only', '[profile src]\ncredential_source = Environment\n', { kind: 'environment' }],
    ['sso only', '[profile src]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n', { kind: 'sso', sso: { portalId: 'session:corp', accountId: '123456789012', roleName: 'Dev' } }],
  ];
  for (const [what, src, base] of baseCases) {
    it(`source profile with ${what}: the plan's base is ${JSON.stringify(base)}, the same through RoleResolver`, () => {
      const { profiles } = load(TOP + src);
      const r = resolveRoleProfile(profiles, 'top');
      assert.deepStrictEqual([r.hops.map((h) => h.roleArn), r.base], [['arn:aws:iam::123456789012:role/Top'], base]);
      const viaResolver = new RoleResolver(profiles).resolve('top');
      assert.deepStrictEqual([viaResolver.hops, viaResolver.base], [r.hops, r.base]);
    });
  }

  it('a self-sourced profile with keys: one hop, signed with its own keys (never its role first)', () => {
    const { profiles } = load('[profile self]\nrole_arn = arn:aws:iam::123456789012:role/Self\nsource_profile = self\n', `[self]\n${KEYS}`);
    const r = resolveRoleProfile(profiles, 'self');
    assert.deepStrictEqual([r.hops.map((h) => h.roleArn), r.base], [['arn:aws:iam::123456789012:role/Self'], { kind: 'profileKeys', profile: 'self' }]);
    assert.deepStrictEqual(new RoleResolver(profiles).resolve('self').base, r.base);
  });

  it('a chain of 3 ends at the first source profile with keys, whatever else it names', () => {
    const { profiles } = load(
      '[profile c3]\nrole_arn = arn:aws:iam::123456789012:role/C3\nsource_profile = c2\n' +
        '[profile c2]\nrole_arn = arn:aws:iam::123456789012:role/C2\nsource_profile = c1\n' +
        '[profile c1]\nrole_arn = arn:aws:iam::123456789012:role/C1\nsource_profile = keyed\n' +
        '[profile keyed]\nrole_arn = arn:aws:iam::123456789012:role/NeverAssumed\nsource_profile = keyed\n',
      `[keyed]\n${KEYS}`,
    );
    const r = resolveRoleProfile(profiles, 'c3');
    assert.deepStrictEqual([r.hops.map((h) => h.profile), r.base], [['c1', 'c2', 'c3'], { kind: 'profileKeys', profile: 'keyed' }]);
    assert.deepStrictEqual(new RoleResolver(profiles).resolve('c3').base, r.base);
  });

  it('a source profile the SDK cannot read by name, without keys, says why instead of being handed over', () => {
    const { profiles } = load('[profile top]\nrole_arn = arn:aws:iam::123456789012:role/Top\nsource_profile = prod-éü-日本\n[profile prod-éü-日本]\ncredential_process = /usr/bin/creds\n');
    const e = resolveError(profiles, 'top');
    assert.match(e.message, /profile "prod-éü-日本" has no access keys, and its credential_process can only be used through the AWS SDK, which cannot take this profile by name: the AWS SDK does not read the header/);
    assert.match(e.message, /Rename the profile, or give it aws_access_key_id and aws_secret_access_key/);
    assert.deepStrictEqual([e.file, e.line], [PATHS.config, 4]);
    // With keys, the same name is no problem: the extension signs with them itself.
    const keyed = load('[profile top]\nrole_arn = arn:aws:iam::123456789012:role/Top\nsource_profile = prod-éü-日本\n[profile prod-éü-日本]\naws_access_key_id = AKIAX\naws_secret_access_key = y\n').profiles;
    assert.deepStrictEqual(resolveRoleProfile(keyed, 'top').base, { kind: 'profileKeys', profile: 'prod-éü-日本' });
  });

  const cases: Array<[string, RegExp, number]> = [
    ['bad-arn', /role_arn of profile "bad-arn": Account ID must be 12 digits/, 11],
    ['bad-duration', /duration_seconds of profile "bad-duration" must be a whole number of seconds from 900 to 43200/, 16],
    ['bad-session', /role_session_name of profile "bad-session": Session name must be 2 to 64 characters/, 20],
    ['both', /sets both source_profile and credential_source/, 24],
    ['neither', /has role_arn but neither source_profile nor credential_source/, 26],
    ['missing-source', /source_profile "nowhere" of profile "missing-source" does not exist/, 29],
  ];
  for (const [name, message, line] of cases) {
    it(`rejects profile ${name} with file and line`, () => {
      const e = resolveError(fixture('malformed').profiles, name);
      assert.match(e.message, message);
      assert.deepStrictEqual([e.file, e.line, e.profile], [PATHS.config, line, name]);
    });
  }

  it('checks duration_seconds bounds', () => {
    const mk = (d: string) => load(`[profile r]\nrole_arn = arn:aws:iam::123456789012:role/R\nsource_profile = k\nduration_seconds = ${d}\n[profile k]\naws_access_key_id = A\naws_secret_access_key = B\n`).profiles;
    assert.deepStrictEqual(resolveRoleProfile(mk('900'), 'r').hops[0].durationSeconds, 900);
    assert.deepStrictEqual(resolveRoleProfile(mk('43200'), 'r').hops[0].durationSeconds, 43200);
    for (const bad of ['899', '43201', '-1', '1e3', 'abc', '3600.0']) assert.strictEqual(resolveError(mk(bad), 'r').line, 4, bad);
  });

  it('accepts a chain of 10 roles and refuses 11', () => {
    const { profiles } = fixture('deep');
    assert.strictEqual(resolveRoleProfile(profiles, 'hop10').hops.length, 10);
    assert.deepStrictEqual(resolveRoleProfile(profiles, 'hop10').hops.map((h) => h.profile), ['hop1', 'hop2', 'hop3', 'hop4', 'hop5', 'hop6', 'hop7', 'hop8', 'hop9', 'hop10']);
    assert.match(resolveError(profiles, 'hop11').message, /longer than 10 roles/);
  });

  it('refuses unknown credential_source values, non-role and missing profiles', () => {
    const { profiles } = load('[profile r]\nrole_arn = arn:aws:iam::123456789012:role/R\ncredential_source = Laptop\n[profile plain]\nregion = us-east-1\n');
    assert.match(resolveError(profiles, 'r').message, /line 3: credential_source of profile "r" must be Environment, Ec2InstanceMetadata or EcsContainer/);
    assert.match(resolveError(profiles, 'plain').message, /line 4: profile "plain" has no role_arn/);
    const missing = resolveError(profiles, 'nope');
    assert.deepStrictEqual([missing.file, missing.line], ['~/.aws/config', undefined]);
  });

  it('validates external_id and mfa_serial', () => {
    const { profiles } = load('[profile r]\nrole_arn = arn:aws:iam::123456789012:role/R\ncredential_source = Environment\nexternal_id = x\n[profile m]\nrole_arn = arn:aws:iam::123456789012:role/M\ncredential_source = Environment\nmfa_serial = short\n');
    assert.deepStrictEqual([resolveError(profiles, 'r').line, resolveError(profiles, 'm').line], [4, 8]);
  });
});
