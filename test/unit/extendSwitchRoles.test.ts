// The AWS Extend Switch Roles configuration import (issue 13): parsing with line numbers, the nearest
// theme color, and the command that merges the result into roleSwitcher.accounts / roleSwitcher.roles.
import { strict as assert } from 'node:assert';
import type { AwsModule } from '../../src/aws/lazy';
import { FakeClock } from '../../src/core/clock';
import type { AwsGateway } from '../../src/core/gateway';
import { Redactor } from '../../src/core/redact';
import { SessionStore } from '../../src/core/session';
import type { Switcher } from '../../src/core/switcher';
import { accountsFromProfiles, nearestThemeColor, parseExtendSwitchRoles, rolesFromProfiles } from '../../src/core/extendSwitchRoles';
import { RoleCatalog } from '../../src/host/catalog';
import { Commands } from '../../src/host/commands';
import { Logger } from '../../src/host/logger';
import { Settings } from '../../src/host/settings';
import { StatusBar } from '../../src/host/statusBar';
import { RoleTreeProvider } from '../../src/host/tree';
import { fake, window as fakeWindow } from '../helpers/vscode';

const SAMPLE = `; exported from AWS Extend Switch Roles
[profile marketingadmin]
role_arn = arn:aws:iam::123456789012:role/marketingadmin
color = ffaaee

[anotheraccount]
aws_account_id = 987654321987
role_name = anotherrole
color=bbeeff
region = eu-west-1

# a sign-in account and a role switched to from it
[organization1]
aws_account_id = 000011112222
target_role_name = Developer

[Org1-Production]
aws_account_id = 222222222222
source_profile = organization1
color = cc0000

[broken]
aws_account_id = 12345
role_name = x
this line has no equals
[profile gray]
aws_account_id = 333333333333
role_name = viewer
color = 808080
[bad-color]
aws_account_id = 444444444444
role_name = ops
color = not-a-color
`;

describe('AWS Extend Switch Roles import (core)', () => {
  it('parses the blocks, resolves source_profile roles, and reports problems with their line', () => {
    const r = parseExtendSwitchRoles(SAMPLE);
    assert.deepEqual(
      r.profiles.map((p) => [p.name, p.line, p.accountId, p.roleName, p.color, p.region, p.sourceProfile]),
      [
        ['marketingadmin', 2, '123456789012', 'marketingadmin', 'purple', undefined, undefined],
        ['anotheraccount', 6, '987654321987', 'anotherrole', 'blue', 'eu-west-1', undefined],
        ['Org1-Production', 17, '222222222222', 'Developer', 'red', undefined, 'organization1'],
        ['gray', 26, '333333333333', 'viewer', undefined, undefined, undefined],
        ['bad-color', 30, '444444444444', 'ops', undefined, undefined, undefined],
      ],
    );
    assert.deepEqual(r.errors.map((e) => e.line), [23, 25, 33]);
    assert.match(r.errors[0].message, /^line 23: \[broken\] aws_account_id must be 12 digits, found "12345"/);
    assert.match(r.errors[1].message, /^line 25: expected key = value/);
    assert.match(r.errors[2].message, /^line 33: \[bad-color\] color "not-a-color" is not an RGB hex value/);
    assert.equal(r.notes.length, 2);
    assert.match(r.notes[0], /\[organization1\] \(line 13\) is the account you sign in to/);
    assert.match(r.notes[1], /808080 is gray/);
    assert.equal(r.profiles[0].roleArn, 'arn:aws:iam::123456789012:role/marketingadmin');
  });

  it('reports a malformed header and keys outside any block, and never throws on garbage', () => {
    const r = parseExtendSwitchRoles('role_name = x\n[profile ]\n[ok\n\u0000\u0001 = 2\n');
    assert.deepEqual(r.profiles, []);
    assert.deepEqual(r.errors.map((e) => e.line), [1, 2, 3, 4]);
    for (const junk of ['', '[', '=', '[a]\n=\n', '[a]\nrole_arn = arn:aws:iam::1:role/x']) assert.doesNotThrow(() => parseExtendSwitchRoles(junk));
  });

  it('maps hex colors to the nearest theme-safe color by hue, and grays to none', () => {
    const cases: Array<[string, string | undefined]> = [
      ['ff0000', 'red'], ['cc3333', 'red'], ['ffaaaa', 'red'], ['ff8800', 'orange'], ['ffaa22', 'orange'], ['ffdd00', 'yellow'], ['ffff66', 'yellow'],
      ['00aa00', 'green'], ['99ff99', 'green'], ['00cccc', 'blue'], ['bbeeff', 'blue'], ['0000ff', 'blue'], ['8800ff', 'purple'], ['ffaaee', 'purple'],
      ['f0f', 'purple'], ['#ff0000', 'red'], ['808080', undefined], ['000000', undefined], ['ffffff', undefined], ['zzzzzz', undefined],
    ];
    assert.deepEqual(cases.map(([hex]) => [hex, nearestThemeColor(hex)]), cases);
  });

  it('one account entry per account (first label, first color), and roles without those already listed', () => {
    const r = parseExtendSwitchRoles(`[prod-admin]\naws_account_id = 222222222222\nrole_name = Admin\n\n[prod-read]\naws_account_id = 222222222222\nrole_name = ReadOnly\ncolor = ff0000\n`);
    assert.deepEqual([...accountsFromProfiles(r.profiles)], [['222222222222', { label: 'prod-admin', color: 'red' }]]);
    assert.deepEqual(rolesFromProfiles(r.profiles, [{ roleArn: 'arn:aws:iam::222222222222:role/Admin' }]), [
      { roleArn: 'arn:aws:iam::222222222222:role/ReadOnly', label: 'prod-read', color: 'red' },
    ]);
  });
});

describe('Import Account Colors from AWS Extend Switch Roles (command)', () => {
  const disposables: Array<{ dispose(): void }> = [];
  let modal: Array<{ text: string; options: { modal?: boolean; detail?: string } }>;
  const original = fakeWindow.showInformationMessage;
  const run = (...args: unknown[]) => fake.commands.get('roleSwitcher.importExtendSwitchRoles')!(...args);

  beforeEach(() => {
    fake.reset();
    modal = [];
    fakeWindow.showInformationMessage = (async (text: string, ...rest: unknown[]) => {
      if (rest[0] && typeof rest[0] === 'object') modal.push({ text, options: rest[0] as { modal?: boolean; detail?: string } });
      return original(text, ...(rest.filter((x) => typeof x === 'string') as string[]));
    }) as typeof original;
    const logger = new Logger(new Redactor());
    const settings = new Settings();
    const store = new SessionStore(new FakeClock(Date.now()));
    const catalog = new RoleCatalog(settings, logger.scoped('catalog'));
    const tree = new RoleTreeProvider(catalog, store, { baseIdentity: () => ({ text: 'Base' }), assumableOnly: () => false });
    const statusBar = new StatusBar(store, settings, new FakeClock(Date.now()), () => undefined);
    const commands = new Commands({
      catalog, store, settings, statusBar, tree, redactor: new Redactor(),
      switcher: () => ({}) as Switcher,
      resetAwsCaches: () => undefined,
      log: logger.scoped('commands'),
      gateway: () => ({}) as AwsGateway,
      aws: () => ({}) as AwsModule,
      showLog: () => undefined,
    });
    disposables.push(commands, statusBar, tree, catalog, logger, { dispose: () => store.dispose() });
  });
  afterEach(() => {
    fakeWindow.showInformationMessage = original;
    while (disposables.length) disposables.pop()!.dispose();
  });

  it('shows what will change, and on Import merges into the user setting, keeping what is there', async () => {
    fake.config.set('accounts', { '222222222222': { label: 'Prod', confirm: true }, confirmByTyping: true });
    fake.nextMessageChoice = 'Import';
    await run(SAMPLE);
    assert.equal(modal.length, 1);
    assert.equal(modal[0].options.modal, true);
    assert.match(modal[0].text, /^Import 5 roles in 5 account\(s\) from the given text\?$/);
    const detail = modal[0].options.detail!;
    assert.match(detail, /update 222222222222: label "Prod" → "Org1-Production", color "red"/);
    assert.match(detail, /add 123456789012: label "marketingadmin", color "purple"/);
    assert.match(detail, /Skipped 3 problems:\nthe given text, line 23: \[broken\]/);
    assert.match(detail, /"Import and Add Roles" also adds 5 roles/);
    assert.deepEqual(fake.config.get('accounts'), {
      '222222222222': { label: 'Org1-Production', confirm: true, color: 'red' },
      '123456789012': { label: 'marketingadmin', color: 'purple' },
      '987654321987': { label: 'anotheraccount', color: 'blue' },
      '333333333333': { label: 'gray' },
      '444444444444': { label: 'bad-color' },
    });
    assert.equal(fake.config.get('roles'), undefined, 'roles only with "Import and Add Roles"');
  });

  it('"Import and Add Roles" also appends the roles; cancel writes nothing', async () => {
    fake.config.set('roles', [{ roleArn: 'arn:aws:iam::123456789012:role/marketingadmin', label: 'mine' }]);
    fake.nextMessageChoice = undefined;
    await run(SAMPLE);
    assert.equal(fake.config.get('accounts'), undefined);
    assert.ok(fake.logLines.some((l) => /import from AWS Extend Switch Roles cancelled/.test(l)));
    fake.nextMessageChoice = 'Import and Add Roles';
    await run(SAMPLE);
    const roles = fake.config.get('roles') as Array<{ roleArn: string; label: string }>;
    assert.deepEqual(roles.map((r) => r.label), ['mine', 'anotheraccount', 'Org1-Production', 'gray', 'bad-color']);
    assert.equal(Object.keys(fake.config.get('accounts') as object).length, 5);
  });

  it('text without any role: an error naming the first problem, nothing written', async () => {
    await run('[x]\naws_account_id = 1\n');
    assert.equal(modal.length, 0);
    const err = fake.messages.find((m) => m.level === 'error');
    assert.match(err!.text, /^No role found in the given text: expected \[profile NAME\] blocks.*line 2: \[x\] aws_account_id must be 12 digits/);
    assert.equal(fake.config.get('accounts'), undefined);
  });
});
