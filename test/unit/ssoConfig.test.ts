import { strict as assert } from 'node:assert';
import { loadProfiles, planFromSourceProfile, resolveRoleProfile, RoleResolver } from '../../src/core/profiles';
import { rolesFromProfiles, rolesFromSettings } from '../../src/core/roles';
import { dropUnconfiguredSso, readSsoConfig, ssoProfileRoles } from '../../src/core/ssoConfigFile';

const PATHS = { config: '/home/u/.aws/config', credentials: '/home/u/.aws/credentials' };

function read(configText: string, credentialsText?: string) {
  const { profiles } = loadProfiles({ configText, credentialsText, paths: PATHS });
  return { profiles, ...readSsoConfig(configText, PATHS.config, profiles) };
}

const SESSION = '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access, codewhisperer:completions\n';

describe('ssoConfig: [sso-session] sections and SSO profiles', () => {
  it('reads an sso-session section as a portal, with scopes, and a profile naming it as a permission set', () => {
    const { portals, refs, errors } = read(`${SESSION}[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Developer\nregion = us-east-2\n`);
    assert.deepStrictEqual(errors, []);
    assert.deepStrictEqual(portals, [
      { id: 'session:corp', startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', scopes: ['sso:account:access', 'codewhisperer:completions'], source: 'sso-session', sessionName: 'corp', file: PATHS.config, line: 1 },
    ]);
    assert.deepStrictEqual([...refs], [['dev', { portalId: 'session:corp', accountId: '111111111111', roleName: 'Developer' }]]);
  });

  it('reads the legacy per-profile form as a portal per start URL (no scopes), first region wins', () => {
    const legacy = (name: string, acct: string) => `[profile ${name}]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = ${acct}\nsso_role_name = ReadOnly\n`;
    const { portals, refs, errors } = read(legacy('a', '111111111111') + legacy('b', '222222222222'));
    assert.deepStrictEqual(errors, []);
    assert.deepStrictEqual(portals, [{ id: 'url:https://old.awsapps.com/start', startUrl: 'https://old.awsapps.com/start', region: 'us-east-1', source: 'legacy-profile', file: PATHS.config, line: 2 }]);
    assert.deepStrictEqual([...refs.values()].map((r) => [r.portalId, r.accountId]), [['url:https://old.awsapps.com/start', '111111111111'], ['url:https://old.awsapps.com/start', '222222222222']]);
  });

  it('an sso-session section without sso_region is an error at its header line, and its profiles are errors too', () => {
    const { portals, refs, errors } = read('[default]\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Dev\n');
    assert.deepStrictEqual(portals, []);
    assert.equal(refs.size, 0);
    assert.deepStrictEqual(errors.map((e) => [e.file, e.line]), [[PATHS.config, 4], [PATHS.config, 7]]);
    assert.match(errors[0].message, /^\/home\/u\/\.aws\/config line 4: \[sso-session corp\] has no sso_region; add sso_region = /);
    assert.match(errors[1].message, /profile "dev" uses \[sso-session corp\] \(line 4\), which is incomplete/);
  });

  it('a legacy profile without sso_region is an error at its sso_start_url line', () => {
    const { refs, errors } = read('[profile old]\nsso_account_id = 111111111111\nsso_start_url = https://old.awsapps.com/start\nsso_role_name = Dev\n');
    assert.equal(refs.size, 0);
    assert.deepStrictEqual(errors.map((e) => [e.line, e.profile]), [[3, 'old']]);
    assert.match(errors[0].message, /profile "old" has sso_start_url but no sso_region/);
  });

  it('sso_session naming a missing section is an error at the sso_session line', () => {
    const { errors } = read(`${SESSION}[profile dev]\nsso_account_id = 111111111111\nsso_session = crop\nsso_role_name = Dev\n`);
    assert.deepStrictEqual(errors.map((e) => e.line), [7]);
    assert.match(errors[0].message, /sso_session "crop" of profile "dev" names no \[sso-session crop\] section/);
  });

  it('a profile with sso_session and a conflicting legacy sso_start_url (or sso_region) is an error at that line; a matching one is fine', () => {
    const { refs, errors } = read(
      `${SESSION}[profile bad]\nsso_session = corp\nsso_start_url = https://other.awsapps.com/start\nsso_account_id = 111111111111\nsso_role_name = Dev\n` +
        `[profile badregion]\nsso_session = corp\nsso_region = us-east-1\nsso_account_id = 111111111111\nsso_role_name = Dev\n` +
        `[profile same]\nsso_session = corp\nsso_start_url = https://corp.awsapps.com/start\nsso_account_id = 111111111111\nsso_role_name = Dev\n`,
    );
    assert.deepStrictEqual(errors.map((e) => [e.line, e.profile]), [[7, 'bad'], [12, 'badregion']]);
    assert.match(errors[0].message, /sso_start_url of profile "bad" \(https:\/\/other\.awsapps\.com\/start\) conflicts with sso_start_url of \[sso-session corp\]/);
    assert.deepStrictEqual([...refs.keys()], ['same']);
  });

  it('missing sso_account_id or sso_role_name is an error at the profile header; a bad account id at its line', () => {
    const { errors } = read(`${SESSION}[profile noacct]\nsso_session = corp\nsso_role_name = Dev\n[profile norole]\nsso_session = corp\nsso_account_id = 111111111111\n[profile badacct]\nsso_session = corp\nsso_role_name = Dev\nsso_account_id = 1234\n`);
    assert.deepStrictEqual(errors.map((e) => [e.line, e.profile]), [[5, 'noacct'], [8, 'norole'], [14, 'badacct']]);
    assert.match(errors[0].message, /profile "noacct" has no sso_account_id;/);
    assert.match(errors[1].message, /profile "norole" has no sso_role_name;/);
  });

  it('access keys and credential_process win over sso_* keys (the SDK order): such a profile is not an SSO profile', () => {
    const { refs, errors } = read(`${SESSION}[profile keyed]\nsso_session = corp\n[profile proc]\ncredential_process = /bin/creds\nsso_session = corp\n`, '[keyed]\naws_access_key_id = AKIAKEYS\naws_secret_access_key = s\n');
    assert.deepStrictEqual([refs.size, errors], [0, []]);
  });

  it('SSO profiles become roles of origin "sso": a permission set, no hops, base { kind: "sso" }', () => {
    const r = read(`${SESSION}[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Developer\nregion = us-east-2\n`);
    const roles = ssoProfileRoles(r.profiles, r);
    const sso = { portalId: 'session:corp', accountId: '111111111111', roleName: 'Developer' };
    assert.deepStrictEqual(roles, [
      { id: 'profile:dev', origin: 'sso', label: 'dev', roleArn: 'arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Developer', accountId: '111111111111', partition: 'aws', roleName: 'Developer', hops: [], base: { kind: 'sso', sso }, profile: 'dev', sso, region: 'us-east-2' },
    ]);
    // Not a role profile: rolesFromProfiles leaves it alone.
    assert.deepStrictEqual(rolesFromProfiles(r.profiles).roles, []);
  });
});

describe('ssoConfig: hop plans from an SSO profile', () => {
  const CONFIG =
    `${SESSION}[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Developer\n` +
    '[profile deploy]\nrole_arn = arn:aws:iam::222222222222:role/Deploy\nsource_profile = dev\n' +
    '[profile prod]\nrole_arn = arn:aws:iam::333333333333:role/Prod\nsource_profile = deploy\n' +
    '[profile legacy]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 444444444444\nsso_role_name = Admin\n' +
    '[profile fromlegacy]\nrole_arn = arn:aws:iam::222222222222:role/Deploy\nsource_profile = legacy\n' +
    '[profile broken]\nsso_session = missing\nsso_account_id = 111111111111\nsso_role_name = Dev\n' +
    '[profile frombroken]\nrole_arn = arn:aws:iam::222222222222:role/Deploy\nsource_profile = broken\n' +
    '[profile norole]\nsso_session = corp\nsso_account_id = 111111111111\n' +
    '[profile fromnorole]\nrole_arn = arn:aws:iam::222222222222:role/Deploy\nsource_profile = norole\n';
  const DEV = { kind: 'sso', sso: { portalId: 'session:corp', accountId: '111111111111', roleName: 'Developer' } };

  it('a role chained from an SSO profile gets base { kind: "sso" } with its hops (resolveRoleProfile and RoleResolver agree)', () => {
    const { profiles } = read(CONFIG);
    for (const [name, hops, base] of [
      ['deploy', ['arn:aws:iam::222222222222:role/Deploy'], DEV],
      ['prod', ['arn:aws:iam::222222222222:role/Deploy', 'arn:aws:iam::333333333333:role/Prod'], DEV],
      ['fromlegacy', ['arn:aws:iam::222222222222:role/Deploy'], { kind: 'sso', sso: { portalId: 'url:https://old.awsapps.com/start', accountId: '444444444444', roleName: 'Admin' } }],
    ] as const) {
      const r = resolveRoleProfile(profiles, name);
      assert.deepStrictEqual([r.hops.map((h) => h.roleArn), r.base], [hops, base], name);
      const v = new RoleResolver(profiles).resolve(name);
      assert.deepStrictEqual([v.hops, v.base], [r.hops, r.base], name);
    }
  });

  it('a chain ending in an SSO profile without sso_role_name is a line-numbered error of the role', () => {
    const { profiles } = read(CONFIG);
    const { roles, errors } = rolesFromProfiles(profiles);
    assert.ok(!roles.some((r) => r.profile === 'fromnorole'));
    const e = errors.find((x) => x.profile === 'norole');
    assert.ok(e, errors.map((x) => x.message).join('\n'));
    assert.match(e.message, /line 30: profile "norole" has no sso_role_name/);
  });

  it('a chained role whose SSO profile names a missing sso-session is dropped with an error', () => {
    const r = read(CONFIG);
    const { roles } = rolesFromProfiles(r.profiles);
    const kept = dropUnconfiguredSso(roles, r.portals);
    assert.deepStrictEqual(kept.roles.map((x) => x.profile).sort(), ['deploy', 'fromlegacy', 'prod']);
    assert.deepStrictEqual(kept.errors.map((x) => x.profile), ['frombroken']);
    assert.match(kept.errors[0].message, /portal \(session:missing\) is not configured/);
  });

  it('roleSwitcher.sourceProfile naming an SSO profile plans base { kind: "sso" }, naming a role chained from one adds its hops', () => {
    const { profiles } = read(CONFIG);
    assert.deepStrictEqual(planFromSourceProfile(profiles, 'dev'), { hops: [], base: DEV, notes: [] });
    const { roles, errors } = rolesFromSettings([{ roleArn: 'arn:aws:iam::555555555555:role/X', sourceProfile: 'deploy' }], { profiles });
    assert.deepStrictEqual(errors, []);
    assert.deepStrictEqual([roles[0].hops.map((h) => h.roleArn), roles[0].base], [['arn:aws:iam::222222222222:role/Deploy', 'arn:aws:iam::555555555555:role/X'], DEV]);
  });
});
