import * as assert from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConfigError, RoleValidationError } from '../../src/core/errors';
import { loadProfiles } from '../../src/core/profiles';
import { groupByAccount, rolesFromProfiles, rolesFromSettings, validateAddRoleInput } from '../../src/core/roles';
import type { RoleDefinition, RoleOrigin } from '../../src/core/types';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'config');
const PATHS = { config: '/home/me/.aws/config', credentials: '/home/me/.aws/credentials' };

function fixture(dir: string) {
  const read = (f: string) => (existsSync(path.join(FIXTURES, dir, f)) ? readFileSync(path.join(FIXTURES, dir, f), 'utf8') : undefined);
  return loadProfiles({ configText: read('config'), credentialsText: read('credentials'), paths: PATHS }).profiles;
}

describe('roles: rolesFromProfiles', () => {
  it('lists every profile with a role_arn, resolved', () => {
    const { roles, errors } = rolesFromProfiles(fixture('basic'));
    assert.deepStrictEqual(errors, []);
    assert.deepStrictEqual(roles.map((r) => r.id), ['profile:s3-Full-Access', 'profile:chained-deploy', 'profile:env-role', 'profile:ec2-role', 'profile:via-sso']);
    const cd = roles.find((r) => r.id === 'profile:chained-deploy');
    assert.deepStrictEqual(
      { ...cd, hops: cd?.hops.map((h) => h.roleArn) },
      {
        id: 'profile:chained-deploy',
        origin: 'profile',
        label: 'chained-deploy',
        roleArn: 'arn:aws:iam::222222222222:role/deploy/chained-deploy',
        accountId: '222222222222',
        partition: 'aws',
        roleName: 'chained-deploy',
        hops: ['arn:aws:iam::111111111111:role/s3-Full-Access', 'arn:aws:iam::222222222222:role/deploy/chained-deploy'],
        base: { kind: 'profileKeys', profile: 'default' },
        profile: 'chained-deploy',
      },
    );
    assert.strictEqual(roles.find((r) => r.id === 'profile:s3-Full-Access')?.region, 'eu-west-1');
  });

  it('a bad profile becomes an error with file and line; the others still list', () => {
    const { roles, errors } = rolesFromProfiles(fixture('malformed'));
    assert.deepStrictEqual(roles.map((r) => r.id), ['profile:ok']);
    assert.deepStrictEqual(errors.map((e) => [e instanceof ConfigError, e.file, e.line, e.profile]), [
      [true, PATHS.config, 11, 'bad-arn'],
      [true, PATHS.config, 16, 'bad-duration'],
      [true, PATHS.config, 20, 'bad-session'],
      [true, PATHS.config, 24, 'both'],
      [true, PATHS.config, 26, 'neither'],
      [true, PATHS.config, 29, 'missing-source'],
    ]);
  });

  it('reports a broken link once, not once per role above it', () => {
    const { roles, errors } = rolesFromProfiles(fixture('cycle'));
    assert.deepStrictEqual(roles.map((r) => r.id), ['profile:self-keys']);
    // c leads into the a/b cycle: its error is a's, listed once.
    assert.deepStrictEqual(errors.map((e) => e.detail), [
      'source_profile "a" forms a cycle: a → b → a',
      'source_profile "b" forms a cycle: b → a → b',
      'source_profile "self" forms a cycle: self → self',
    ]);
  });

  it('roles across partitions; an invalid partition is an error', () => {
    const { roles, errors } = rolesFromProfiles(fixture('partitions'));
    assert.deepStrictEqual(roles.map((r) => [r.partition, r.roleName, r.region]), [
      ['aws-cn', 'CnAdmin', 'cn-north-1'],
      ['aws-us-gov', 'GovOps', 'us-gov-west-1'],
      ['aws-iso', 'IsoRole', undefined],
      ['aws-iso-b', 'IsoBRole', undefined],
    ]);
    assert.deepStrictEqual(errors.map((e) => e.profile), ['bad-partition', 'wrong-service']);
  });
});

describe('roles: rolesFromSettings', () => {
  it('accepts { roleArn } and { accountId, roleName, partition? } with all options', () => {
    const { roles, errors } = rolesFromSettings(
      [
        { roleArn: 'arn:aws:iam::123456789012:role/ops/Admin', label: 'Prod admin', color: 'charts.red', region: 'eu-west-1', durationSeconds: 7200 },
        { accountId: '210987654321', roleName: 'ReadOnly', sourceProfile: 'work', externalId: 'ext-123', mfaSerial: 'arn:aws:iam::123456789012:mfa/alice', sessionName: 'alice' },
        { accountId: '123456789012', roleName: 'GovRole', partition: 'aws-us-gov' },
      ],
      { sourceProfile: 'base' },
    );
    assert.deepStrictEqual(errors, []);
    assert.deepStrictEqual(roles, [
      {
        id: 'settings:arn:aws:iam::123456789012:role/ops/Admin', origin: 'settings', label: 'Prod admin', roleArn: 'arn:aws:iam::123456789012:role/ops/Admin',
        accountId: '123456789012', partition: 'aws', roleName: 'Admin', region: 'eu-west-1', color: 'charts.red',
        hops: [{ roleArn: 'arn:aws:iam::123456789012:role/ops/Admin', durationSeconds: 7200 }], base: { kind: 'profile', profile: 'base' },
      },
      {
        id: 'settings:arn:aws:iam::210987654321:role/ReadOnly', origin: 'settings', label: 'ReadOnly', roleArn: 'arn:aws:iam::210987654321:role/ReadOnly',
        accountId: '210987654321', partition: 'aws', roleName: 'ReadOnly',
        hops: [{ roleArn: 'arn:aws:iam::210987654321:role/ReadOnly', externalId: 'ext-123', mfaSerial: 'arn:aws:iam::123456789012:mfa/alice', roleSessionName: 'alice' }],
        base: { kind: 'profile', profile: 'work' },
      },
      {
        id: 'settings:arn:aws-us-gov:iam::123456789012:role/GovRole', origin: 'settings', label: 'GovRole', roleArn: 'arn:aws-us-gov:iam::123456789012:role/GovRole',
        accountId: '123456789012', partition: 'aws-us-gov', roleName: 'GovRole',
        hops: [{ roleArn: 'arn:aws-us-gov:iam::123456789012:role/GovRole' }], base: { kind: 'profile', profile: 'base' },
      },
    ]);
  });

  it('the base is the default credential chain without any source profile', () => {
    assert.deepStrictEqual(rolesFromSettings([{ roleArn: 'arn:aws:iam::123456789012:role/R' }]).roles[0].base, { kind: 'default' });
  });

  it('rejects invalid items with the rule they break; the valid ones still list', () => {
    const items = [
      { roleArn: 'arn:aws:iam::1234:role/R' },
      { accountId: '12345', roleName: 'R' },
      { accountId: '123456789012', roleName: 'bad name' },
      { accountId: '123456789012', roleName: 'R', partition: 'aws-mars' },
      { roleArn: 'arn:aws:iam::123456789012:role/R', accountId: '123456789012' },
      { label: 'nothing' },
      'arn:aws:iam::123456789012:role/R',
      { roleArn: 'arn:aws:iam::123456789012:role/D', durationSeconds: 60 },
      { roleArn: 'arn:aws:iam::123456789012:role/E', externalId: 'x' },
      { roleArn: 'arn:aws:iam::123456789012:role/S', sessionName: 'a b' },
      { roleArn: 'arn:aws:iam::123456789012:role/C', color: 'red; background: url(x)' },
      { roleArn: 'arn:aws:iam::123456789012:role/G', region: 'Europe' },
      { roleArn: 42 },
      { roleArn: 'arn:aws:iam::123456789012:role/Ok' },
      { roleArn: 'arn:aws:iam::123456789012:role/Ok', label: 'again' },
    ];
    const { roles, errors } = rolesFromSettings(items, {});
    assert.deepStrictEqual(roles.map((r) => r.roleName), ['Ok']);
    assert.ok(errors.every((e) => e instanceof RoleValidationError));
    assert.deepStrictEqual(errors.map((e) => [e.index, e.rule, e.field]), [
      [0, 'account-id', 'roleArn'],
      [1, 'account-id', 'accountId'],
      [2, 'role-name', 'roleName'],
      [3, 'arn-partition', 'partition'],
      [4, 'role-ref', 'roleArn'],
      [5, 'role-ref', 'roleArn'],
      [6, 'settings-shape', 'role'],
      [7, 'duration', 'durationSeconds'],
      [8, 'external-id', 'externalId'],
      [9, 'session-name', 'sessionName'],
      [10, 'color', 'color'],
      [11, 'region', 'region'],
      [12, 'type', 'roleArn'],
      [14, 'duplicate', 'roleArn'],
    ]);
    assert.strictEqual(errors[0].message, 'item 1: Account ID must be 12 digits');
    assert.strictEqual(errors[5].message.startsWith('item 6 ("nothing"): '), true);
  });

  it('a non-list setting is one error; a missing one is none', () => {
    assert.deepStrictEqual(rolesFromSettings({ roleArn: 'x' }, {}).errors.map((e) => e.rule), ['settings-shape']);
    assert.deepStrictEqual(rolesFromSettings(undefined, {}), { roles: [], errors: [] });
  });

  it('without the profiles, a sourceProfile is left to the SDK by name', () => {
    const { roles } = rolesFromSettings([{ roleArn: 'arn:aws:iam::123456789012:role/R', sourceProfile: 'chained-deploy' }], {});
    assert.deepStrictEqual([roles[0].base, roles[0].hops.length], [{ kind: 'profile', profile: 'chained-deploy' }, 1]);
  });

  it('with the profiles, a sourceProfile is planned like a source_profile: role hops first, keys as the base', () => {
    const { profiles } = loadProfiles({
      configText: '[profile hub]\nrole_arn = arn:aws:iam::111111111111:role/Hub\nsource_profile = keys\n[profile both]\nrole_arn = arn:aws:iam::111111111111:role/Never\nsource_profile = keys\n[profile sso]\nsso_session = corp\nsso_account_id = 333333333333\nsso_role_name = Dev\n',
      credentialsText: '[keys]\naws_access_key_id = AKIAKEYS\naws_secret_access_key = s\n[both]\naws_access_key_id = AKIABOTH\naws_secret_access_key = t\n',
      paths: { config: '/c', credentials: '/k' },
    });
    const plan = (sourceProfile: string) => {
      const { roles, errors } = rolesFromSettings([{ roleArn: 'arn:aws:iam::222222222222:role/R', sourceProfile }], { profiles });
      assert.deepStrictEqual(errors, []);
      return [roles[0].hops.map((h) => h.roleArn), roles[0].base];
    };
    assert.deepStrictEqual(plan('hub'), [['arn:aws:iam::111111111111:role/Hub', 'arn:aws:iam::222222222222:role/R'], { kind: 'profileKeys', profile: 'keys' }]);
    assert.deepStrictEqual(plan('both'), [['arn:aws:iam::222222222222:role/R'], { kind: 'profileKeys', profile: 'both' }]);
    assert.deepStrictEqual(plan('keys'), [['arn:aws:iam::222222222222:role/R'], { kind: 'profileKeys', profile: 'keys' }]);
    assert.deepStrictEqual(plan('sso'), [['arn:aws:iam::222222222222:role/R'], { kind: 'sso', sso: { portalId: 'session:corp', accountId: '333333333333', roleName: 'Dev' } }]);
    assert.deepStrictEqual(plan('not-in-files'), [['arn:aws:iam::222222222222:role/R'], { kind: 'profile', profile: 'not-in-files' }]);
  });

  it('a sourceProfile whose chain is broken is an error of that item, naming the file and line', () => {
    const { profiles } = loadProfiles({ configText: '[profile loop]\nrole_arn = arn:aws:iam::111111111111:role/L\nsource_profile = loop\n', paths: { config: '/c', credentials: '/k' } });
    const { roles, errors } = rolesFromSettings([{ roleArn: 'arn:aws:iam::222222222222:role/R', sourceProfile: 'loop' }], { profiles });
    assert.deepStrictEqual([roles.length, errors.map((e) => [e.index, e.rule, e.field])], [0, [[0, 'source-profile', 'sourceProfile']]]);
    assert.match(errors[0].message, /^item 1: sourceProfile "loop" cannot be used: \/c line 3: source_profile "loop" forms a cycle/);
  });
});

function role(origin: RoleOrigin, accountId: string, roleName: string, label: string, extra: Partial<RoleDefinition> = {}): RoleDefinition {
  const roleArn = `arn:aws:iam::${accountId}:role/${roleName}`;
  const id = origin === 'profile' ? `profile:${extra.profile ?? label}` : `${origin === 'organization' ? 'org' : origin}:${roleArn}`;
  return { id, origin, label, roleArn, accountId, partition: 'aws', roleName, hops: [{ roleArn }], base: { kind: 'default' }, ...extra };
}

describe('roles: groupByAccount', () => {
  it('groups by account, sorted by label, roles sorted by label', () => {
    const groups = groupByAccount(
      [role('settings', '222222222222', 'Zeta', 'zeta'), role('settings', '111111111111', 'B', 'beta'), role('settings', '111111111111', 'A', 'Alpha'), role('discovered', '333333333333', 'X', 'X')],
      new Map([['222222222222', 'acme-prod']]),
    );
    assert.deepStrictEqual(groups.map((g) => [g.accountId, g.alias, g.label, g.roles.map((r) => r.label)]), [
      ['111111111111', undefined, '111111111111', ['Alpha', 'beta']],
      ['333333333333', undefined, '333333333333', ['X']],
      ['222222222222', 'acme-prod', 'acme-prod (222222222222)', ['zeta']],
    ]);
  });

  it('keeps the same role once, from the best origin; distinct profiles with the same ARN all stay', () => {
    const groups = groupByAccount(
      [
        role('discovered', '111111111111', 'Admin', 'Admin'),
        role('settings', '111111111111', 'Admin', 'Admin (settings)'),
        role('profile', '111111111111', 'Admin', 'admin-a'),
        role('profile', '111111111111', 'Admin', 'admin-b'),
        role('discovered', '111111111111', 'ReadOnly', 'ReadOnly'),
        role('settings', '111111111111', 'ReadOnly', 'ro (settings)'),
        role('discovered', '111111111111', 'Audit', 'Audit'),
        role('organization', '111111111111', 'Audit', 'Audit (org)'),
        role('discovered', '111111111111', 'Audit', 'Audit again'),
      ],
      new Map(),
    );
    assert.deepStrictEqual(groups.map((g) => g.roles.map((r) => r.id)), [
      ['profile:admin-a', 'profile:admin-b', 'discovered:arn:aws:iam::111111111111:role/Audit', 'settings:arn:aws:iam::111111111111:role/ReadOnly'],
    ]);
  });

  it('treats a role with a path and the same name as the same role (IAM names are unique per account)', () => {
    const withPath = { ...role('discovered', '111111111111', 'Admin', 'Admin'), roleArn: 'arn:aws:iam::111111111111:role/ops/Admin', id: 'discovered:arn:aws:iam::111111111111:role/ops/Admin' };
    const groups = groupByAccount([withPath, role('settings', '111111111111', 'Admin', 'Admin')], new Map());
    assert.deepStrictEqual(groups[0].roles.map((r) => r.origin), ['settings']);
  });
});

describe('roles: validateAddRoleInput', () => {
  it('accepts an account id or alias, a role name, an optional label and color', () => {
    assert.deepStrictEqual(validateAddRoleInput({ account: '123456789012', roleName: 'Admin' }), { ok: true });
    assert.deepStrictEqual(validateAddRoleInput({ account: ' acme-prod ', roleName: 'Admin', label: 'Prod', color: '#ff0000' }), { ok: true, accountIsAlias: true });
    assert.deepStrictEqual(validateAddRoleInput({ account: 'abc', roleName: 'R', color: 'charts.green' }), { ok: true, accountIsAlias: true });
  });

  it('gives one message per invalid field', () => {
    assert.deepStrictEqual(validateAddRoleInput({ account: '12345', roleName: 'bad name', label: 'x'.repeat(101), color: 'not a color' }), {
      ok: false,
      account: 'Account ID must be 12 digits',
      roleName: 'Role name must be 1 to 64 characters of letters, digits and +=,.@_-',
      label: 'Label must be at most 100 characters',
      color: 'Color must be #rrggbb or a theme color id such as charts.red',
    });
    assert.deepStrictEqual(validateAddRoleInput({}), { ok: false, account: 'Enter the 12-digit account ID or the account alias', roleName: 'Enter the role name' });
  });

  it('checks alias rules: 3–63 of [a-z0-9-], not starting or ending with -', () => {
    const bad = ['ab', '-acme', 'acme-', 'Acme', 'ac_me', 'a'.repeat(64), 'acme prod'];
    for (const account of bad) assert.match(validateAddRoleInput({ account, roleName: 'R' }).account ?? '', /alias must be 3 to 63/, account);
    for (const account of ['abc', 'a-b', 'a'.repeat(63), '1st-account']) assert.strictEqual(validateAddRoleInput({ account, roleName: 'R' }).account, undefined, account);
    assert.strictEqual(validateAddRoleInput({ account: '1234-5678-9012', roleName: 'R' }).account, 'Account ID must be 12 digits');
    assert.strictEqual(validateAddRoleInput({ account: 'ok-alias', roleName: 'R', label: 'a\u0007b' }).label, 'Label must not contain control characters');
  });
});
