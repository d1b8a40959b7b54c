import * as assert from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadProfiles } from '../../src/core/profiles';
import { rolesFromProfiles } from '../../src/core/roles';

// Issue 10, point 1, at the level the tree sees: loadProfiles + rolesFromProfiles. The reader's own
// rules (and the differential against the SDK) are in ini.test.ts.

const PATHS = { config: '/home/me/.aws/config', credentials: '/home/me/.aws/credentials' };
const ROLE = 'arn:aws:iam::111111111111:role';

function load(configText: string, credentialsText?: string) {
  return loadProfiles({ configText, credentialsText, paths: PATHS });
}

describe('loadProfiles never puts a key in the wrong profile', () => {
  it('a bad value after a malformed header no longer breaks the role above it', () => {
    const config = `[profile ok]\nrole_arn = ${ROLE}/Ok\nsource_profile = default\n[profile broken\nduration_seconds = 1\nrole_session_name = has space\n`;
    const credentials = '[default]\naws_access_key_id = A\naws_secret_access_key = S\n';
    const loaded = load(config, credentials);
    const ok = loaded.profiles.get('ok');
    assert.deepStrictEqual(Object.keys(ok?.raw ?? {}), ['role_arn', 'source_profile']);
    const roles = rolesFromProfiles(loaded.profiles);
    assert.deepStrictEqual([roles.roles.map((r) => r.id), roles.errors], [['profile:ok'], []]);
    // reported once, with the file and the header's line; it reaches the tree through loadProfiles' errors
    assert.deepStrictEqual(loaded.errors.map((e) => [e.file, e.line]), [[PATHS.config, 4]]);
    assert.match(loaded.errors[0].message, /malformed section header.*The 2 keys after it \(lines 5-6\) belong to no section/);
    // fromIni, handed "ok", would read duration_seconds and role_session_name into it
    assert.deepStrictEqual([ok?.sdkResolvable, ok?.sdkProblem], [false, `the AWS SDK reads the keys after the malformed header at ${PATHS.config} line 4 into profile "ok", which the extension leaves out`]);
  });

  it('a profile with a name only the AWS CLI accepts is a profile, with its keys and lines, and says why the SDK cannot take it by name', () => {
    const config = `[profile prod-éü-日本]\nrole_arn = ${ROLE}/U\nsource_profile = base-é\n[profile dev]\nregion = eu-west-1\n`;
    const credentials = '[base-é]\naws_access_key_id = A\naws_secret_access_key = S\n';
    const loaded = load(config, credentials);
    assert.deepStrictEqual(loaded.errors, []);
    const p = loaded.profiles.get('prod-éü-日本');
    assert.deepStrictEqual([p?.file, p?.line, p?.where.get('role_arn')?.line, p?.sdkResolvable], [PATHS.config, 1, 2, false]);
    assert.strictEqual(p?.sdkProblem, `the AWS SDK does not read the header of profile "prod-éü-日本" (${PATHS.config} line 1): it allows only ASCII letters, digits and _-@+.%:/ in a [profile NAME] header`);
    // the credentials file's [base-é] is one the SDK reads by name
    assert.deepStrictEqual([loaded.profiles.get('base-é')?.sdkResolvable, loaded.profiles.get('base-é')?.sdkProblem], [true, undefined]);
    assert.deepStrictEqual([loaded.profiles.get('dev')?.sdkResolvable, loaded.profiles.get('dev')?.sdkProblem], [true, undefined]);
    const roles = rolesFromProfiles(loaded.profiles);
    assert.deepStrictEqual(roles.errors, []);
    const role = roles.roles.find((r) => r.id === 'profile:prod-éü-日本');
    assert.deepStrictEqual([role?.hops.map((h) => h.roleArn), role?.base.kind === 'profile' || role?.base.kind === 'profileKeys' ? role?.base.profile : undefined], [[`${ROLE}/U`], 'base-é']);
  });

  it('a profile both in a config-file header the SDK ignores and in the credentials file is not SDK-resolvable: the SDK would see half of it', () => {
    const loaded = load('[profile 日本]\nregion = eu-west-1\n', '[日本]\naws_access_key_id = A\naws_secret_access_key = S\n');
    const p = loaded.profiles.get('日本');
    assert.deepStrictEqual([p?.hasStaticKeys, p?.raw.region, p?.sdkResolvable], [true, 'eu-west-1', false]);
  });

  it('every profile of the fixtures is either SDK-resolvable or says why', () => {
    const dir = path.join(__dirname, '..', 'fixtures', 'config', 'names-and-headers');
    const loaded = loadProfiles({ configText: readFileSync(path.join(dir, 'config'), 'utf8'), credentialsText: readFileSync(path.join(dir, 'credentials'), 'utf8'), paths: PATHS });
    const view = [...loaded.profiles.values()].map((p) => [p.name, p.sdkResolvable, p.sdkProblem === undefined]);
    assert.deepStrictEqual(view, [
      ['default', true, true],
      ['ok', false, false],
      ['a.b@c+d', true, true],
      ['prod-éü-日本', false, false],
      ['two words', false, false],
      ['base-é', false, false],
    ]);
    assert.ok(view.every(([, ok, noProblem]) => ok === noProblem));
    // the roles survive the malformed headers around them
    const roles = rolesFromProfiles(loaded.profiles);
    assert.deepStrictEqual(roles.roles.map((r) => r.id).sort(), ['profile:ok', 'profile:prod-éü-日本']);
  });
});

describe('loadProfiles: the same profile in both files', () => {
  it('warns when both files set a key: both lines, and that the credentials file wins; never a value', () => {
    const loaded = load('[profile dev]\nregion = eu-west-1\naws_secret_access_key = CONFIGSECRET\n', '[other]\nk = v\n[dev]\nregion = us-east-1\naws_secret_access_key = CREDSECRET\n');
    assert.deepStrictEqual(loaded.errors.map((e) => [e.file, e.line, e.profile]), [[PATHS.credentials, 3, 'dev']]);
    assert.strictEqual(
      loaded.errors[0].detail,
      `profile "dev" is defined in both ${PATHS.config} line 1 and ${PATHS.credentials} line 3, and both set keys: the AWS SDK takes the credentials file's value (region: line 4 wins over line 2 of the config file, aws_secret_access_key: line 5 wins over line 3 of the config file)`,
    );
    assert.deepStrictEqual([loaded.profiles.get('dev')?.raw.region, loaded.profiles.get('dev')?.where.get('region')?.file], ['us-east-1', PATHS.credentials]);
    assert.ok(!/SECRET/.test(loaded.errors[0].message.replace(/aws_secret_access_key/g, '')));
  });

  it('the usual split (settings in config, keys in credentials) gives no warning', () => {
    const loaded = load('[profile dev]\nregion = eu-west-1\n[default]\noutput = json\n', '[dev]\naws_access_key_id = A\naws_secret_access_key = S\n[default]\naws_access_key_id = B\naws_secret_access_key = T\n');
    assert.deepStrictEqual(loaded.errors, []);
  });

  it('a profile repeated in one file warns through loadProfiles too (the tree shows it with its line)', () => {
    const loaded = load('[profile a]\nregion = x\n[profile a]\nregion = y\n');
    assert.deepStrictEqual(loaded.errors.map((e) => [e.file, e.line, e.profile]), [[PATHS.config, 3, 'a']]);
    assert.match(loaded.errors[0].message, /region: line 4 wins over line 2/);
    assert.strictEqual(loaded.profiles.get('a')?.raw.region, 'y');
  });
});
