import * as assert from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, existsSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { ConfigError } from '../../src/core/errors';
import { cliProfileName, configFileSections, configFileWarnings, parseIni, sdkAcceptsProfileName, toSdkShape } from '../../src/core/ini';
import { cliOnlyProfileName, comparable, expectedShapes, ourShapes, plain, renameBack, rewriteForSdk, sdkShapes } from '../fuzz/oracle';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'config');

function entries(text: string, key: string): Record<string, string> {
  const s = parseIni(text, 'cfg').sections.get(key);
  assert.ok(s, `section ${key} exists`);
  return Object.fromEntries([...s.entries].map(([k, e]) => [k, e.value]));
}

function errorLines(text: string): Array<[number | undefined, string]> {
  return parseIni(text, '/x/config').errors.map((e) => [e.line, e.file]);
}

describe('ini reader', () => {
  it('reads [default], [profile x], [sso-session x], [services x] with line numbers', () => {
    const doc = parseIni('[default]\nregion = us-east-1\n\n[profile dev]\nrole_arn = r\n[sso-session s]\nsso_region = eu-west-1\n[services svc]\nsts =\n  endpoint_url = http://localhost\n', 'cfg');
    assert.deepStrictEqual([...doc.sections.keys()], ['default', 'profile.dev', 'sso-session.s', 'services.svc']);
    const dev = doc.sections.get('profile.dev');
    assert.deepStrictEqual({ type: dev?.type, name: dev?.name, line: dev?.line, role: dev?.entries.get('role_arn') }, {
      type: 'profile', name: 'dev', line: 4, role: { key: 'role_arn', value: 'r', line: 5 },
    });
    assert.deepStrictEqual(entries('[services svc]\nsts =\n  endpoint_url = http://localhost\n', 'services.svc'), { 'sts.endpoint_url': 'http://localhost' });
    assert.deepStrictEqual(doc.errors, []);
  });

  it('strips full-line and inline comments only after whitespace, as the SDK does', () => {
    const text = '# top\n; top\n[default]\n  # indented comment\nregion = us-east-1 # inline\noutput = json;not-a-comment\nname = a#b\nx = y\t;tab comment\n';
    assert.deepStrictEqual(entries(text, 'default'), { region: 'us-east-1', output: 'json;not-a-comment', name: 'a#b', x: 'y' });
    assert.deepStrictEqual(parseIni(text, 'cfg').errors, []);
  });

  it('keeps nested sub-sections as parent.key and resets them at an unindented key', () => {
    const text = '[profile dev]\ns3 =\n  max_concurrent_requests = 20\n  addressing_style = path\nregion = us-east-1\n  indented = yes\n';
    assert.deepStrictEqual(entries(text, 'profile.dev'), {
      's3.max_concurrent_requests': '20',
      's3.addressing_style': 'path',
      region: 'us-east-1',
      indented: 'yes',
    });
  });

  it('merges duplicate sections, the later key winning with its line', () => {
    const doc = parseIni('[profile a]\nregion = us-east-1\noutput = json\n[default]\nx = 1\n[profile a]\nregion = eu-west-1\n', 'cfg');
    const a = doc.sections.get('profile.a');
    assert.deepStrictEqual(a?.entries.get('region'), { key: 'region', value: 'eu-west-1', line: 7 });
    assert.deepStrictEqual(a?.entries.get('output'), { key: 'output', value: 'json', line: 3 });
    assert.strictEqual(a?.line, 1);
  });

  it('reports malformed lines with file and line and still loads the good parts', () => {
    const text = '[default]\nregion = us-east-1\nno equals here\n= value only\n[profile broken\n[profile ok]\nrole_arn = r\n';
    const doc = parseIni(text, '/home/me/.aws/config');
    assert.deepStrictEqual(doc.errors.map((e) => [e.file, e.line]), [
      ['/home/me/.aws/config', 3],
      ['/home/me/.aws/config', 4],
      ['/home/me/.aws/config', 5],
    ]);
    assert.ok(doc.errors.every((e) => e instanceof ConfigError));
    assert.match(doc.errors[0].message, /^\/home\/me\/\.aws\/config line 3: malformed line/);
    assert.deepStrictEqual(entries(text, 'default'), { region: 'us-east-1' });
    assert.deepStrictEqual(entries(text, 'profile.ok'), { role_arn: 'r' });
  });

  it('does not echo the content of a malformed line (it may be a secret)', () => {
    const doc = parseCfg('[default]\naws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
    assert.strictEqual(doc.errors.length, 1);
    assert.ok(!doc.errors[0].message.includes('wJalr'), doc.errors[0].message);
  });

  it('reports keys before any section, unknown section types and [] without keeping their keys', () => {
    assert.deepStrictEqual(errorLines('region = x\n[foo bar]\na = b\n[]\nc = d\n[default]\ne = f\n'), [
      [1, '/x/config'],
      [2, '/x/config'],
      [4, '/x/config'],
    ]);
    const doc = parseIni('region = x\n[foo bar]\na = b\n[]\nc = d\n[default]\ne = f\n', 'cfg');
    assert.deepStrictEqual(toSdkShape(doc.sections), { default: { e: 'f' } });
  });

  it('treats indented lines without "=" as continuations, not errors', () => {
    const doc = parseIni('[default]\nregion = us-east-1\n  continued text\n', 'cfg');
    assert.deepStrictEqual(doc.errors, []);
    assert.deepStrictEqual(entries('[default]\nregion = us-east-1\n  continued text\n', 'default'), { region: 'us-east-1' });
  });

  it('a header with a glued comment is a malformed header: reported, and its keys go nowhere (the SDK adds them to [default])', () => {
    const text = '[default]\na = 1\n[profile x]#c\nb = 2\n';
    const doc = parseIni(text, 'cfg');
    assert.deepStrictEqual(doc.errors.map((e) => e.line), [3]);
    assert.deepStrictEqual(entries(text, 'default'), { a: '1' });
    assert.strictEqual(doc.sections.has('profile.x'), false);
  });

  it('reads a BOM and CRLF line ends; counts a lone CR as a line break', () => {
    assert.deepStrictEqual(entries('\ufeff[default]\r\nregion = us-east-1\r\n', 'default'), { region: 'us-east-1' });
    // The SDK splits on \n only; an editor also breaks at the lone \r, so "bad" is on line 4.
    const doc = parseIni('[default]\nx = 1\r# c\r\nbad\n', 'cfg');
    assert.deepStrictEqual(doc.errors.map((e) => e.line), [4]);
    assert.deepStrictEqual(entries('[default]\nx = 1\r# c\r\nbad\n', 'default'), { x: '1' });
  });

  it('refuses [__proto__] with an error and never touches Object.prototype', () => {
    const doc = parseIni('[__proto__]\npolluted = yes\n[constructor]\nkeys = broken\n[profile a]\n__proto__ = x\n', 'cfg');
    assert.deepStrictEqual(doc.errors.map((e) => e.line), [1]);
    assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
    assert.strictEqual(typeof Object.keys, 'function');
    assert.deepStrictEqual(toSdkShape(doc.sections)['profile.a'], Object.defineProperty({}, '__proto__', { value: 'x', enumerable: true, writable: true, configurable: true }));
  });

  it('never throws on odd input', () => {
    const odd = ['\u0000\u0000[', '\ud800[default]\udc00\n=\n', '[profile \u202e🙂]\nrole_arn = \u0301\n', '\r\r\r\n\n\u2028\u2029', ']['.repeat(1000), `[default]\n${'x'.repeat(3 * 1024 * 1024)}\n`];
    for (const t of odd) {
      const doc = parseIni(t, 'cfg');
      assert.ok(doc.errors.every((e) => e instanceof ConfigError && e.file === 'cfg'));
    }
    assert.deepStrictEqual(parseIni(undefined as unknown as string, 'cfg').sections.size, 0);
  });

  it('config file: [profile default] replaces [default]; plain [x] is not a profile', () => {
    const doc = parseIni('[default]\na = 1\n[profile default]\nb = 2\n[x]\nc = 3\n[profile y]\nd = 4\n[profile.z]\ne = 5\n', 'cfg');
    assert.deepStrictEqual(toSdkShape(configFileSections(doc)), { default: { b: '2' }, y: { d: '4' }, z: { e: '5' } });
  });
});

function parseCfg(text: string) {
  return parseIni(text, 'cfg');
}

describe('ini reader vs @smithy/shared-ini-file-loader (differential)', () => {
  const dirs = readdirSync(FIXTURES).sort();
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'rs-ini-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('has fixtures to compare', () => {
    assert.ok(dirs.length >= 8, `fixtures: ${dirs.join(', ')}`);
  });

  for (const dir of dirs) {
    it(`fixture ${dir}: same sections, keys and values as loadSharedConfigFiles (real files), up to the two deliberate differences`, async () => {
      const read = (f: string) => (existsSync(path.join(FIXTURES, dir, f)) ? readFileSync(path.join(FIXTURES, dir, f), 'utf8') : '');
      const config = read('config');
      const credentials = read('credentials');
      assert.ok(comparable(config, credentials));
      // The SDK reads the files as oracle.ts rewrites them (malformed headers, CLI-only profile names).
      const forConfig = rewriteForSdk(config, 'config');
      const forCredentials = rewriteForSdk(credentials, 'credentials');
      const configFilepath = path.join(tmp, `${dir}-config`);
      const filepath = path.join(tmp, `${dir}-credentials`);
      writeFileSync(configFilepath, forConfig.text);
      writeFileSync(filepath, forCredentials.text);
      const sdk = await loadSharedConfigFiles({ configFilepath, filepath, ignoreCache: true });
      const ours = ourShapes(config, credentials);
      assert.deepStrictEqual(plain(ours.config), plain(renameBack(sdk.configFile as Record<string, Record<string, string>>, forConfig.names)));
      assert.deepStrictEqual(plain(ours.credentials), plain(sdk.credentialsFile as Record<string, Record<string, string>>));
      // The comparison sees real content, not two empty objects.
      if (config.trim()) assert.ok(Object.keys(ours.config).length > 0 || dir === 'quirks');
    });
  }

  it('agrees on the quirky corners (glued comments, quotes, tabs, sub-sections, empty values)', async () => {
    const config = [
      '[profile a]#glued', 'k1 = v1', "[profile 'q']", 'k2 = v2', '[profile\tt]', 'k3 = v3', '[profile "m\']', 'k4 = v4',
      '[profile e]', 'empty =', '  nested = n', 'plain = p', '  indented = i', '[ profile s ]', 'k5 = v5', '[sso-session z]', 'k6 = v6',
      '[default]', 'k7 = a = b', 'k8 = "x # y"', 'k9 = x#y',
    ].join('\n');
    const credentials = '[default]\naws_access_key_id = A\n[profile p]\nk = v\n[ spaced ]\nk = v\n';
    const ours = ourShapes(config, credentials);
    const sdk = await expectedShapes(config, credentials);
    assert.deepStrictEqual({ config: plain(ours.config), credentials: plain(ours.credentials) }, { config: plain(sdk.config), credentials: plain(sdk.credentials) });
  });
});

// ------------------------------------------------------------------ issue 10, point 1

function configView(text: string) {
  const doc = parseIni(text, '/x/config');
  return { doc, sections: configFileSections(doc), warnings: configFileWarnings(doc), shape: plain(toSdkShape(configFileSections(doc))) };
}

describe('malformed section headers end the section before them', () => {
  // [title, config text, the config file's profiles, lines of the malformed-header errors]
  const table: Array<[string, string, Record<string, Record<string, string>>, number[]]> = [
    ['no closing bracket', '[profile a]\nrole_arn = A\n[profile broken\nduration_seconds = x\n[profile b]\nk = v\n', { a: { role_arn: 'A' }, b: { k: 'v' } }, [3]],
    ['text after the bracket', '[profile a]\nx = 1\n[profile a] trailing\ny = 2\n', { a: { x: '1' } }, [3]],
    ['a comment glued to the bracket', '[default]\nr = 1\n[profile c]#c\ns = 2\n', { default: { r: '1' } }, [3]],
    ['a header with "=" in it', '[default]\nr = 1\n[profile x = y\nz = 2\n', { default: { r: '1' } }, [3]],
    ['an indented malformed header', '[profile a]\nx = 1\n  [profile c\ny = 2\n', { a: { x: '1' } }, [3]],
    ['a lone "["', '[profile a]\nx = 1\n[\ny = 2\n', { a: { x: '1' } }, [3]],
    ['two in a row, each reported once', '[profile a]\nx = 1\n[b\ny = 2\n[c\nz = 3\n[profile d]\nw = 4\n', { a: { x: '1' }, d: { w: '4' } }, [3, 5]],
    ['before any section: one report, not one per key', '[broken\nx = 1\ny = 2\n[profile a]\nz = 3\n', { a: { z: '3' } }, [1]],
    ['inside a sub-section', '[profile a]\ns3 =\n  x = 1\n[profile b\n  y = 2\nz = 3\n', { a: { 's3.x': '1' } }, [4]],
    ['the next valid header starts over', '[profile a]\nx = 1\n[oops\ny = 2\n[profile a]\nz = 3\n', { a: { x: '1', z: '3' } }, [3]],
  ];
  for (const [title, text, profiles, lines] of table) {
    it(`${title}: the keys after it are in no profile, and the header is reported once`, async () => {
      const { doc, shape } = configView(text);
      assert.deepStrictEqual(shape, profiles);
      const malformed = doc.errors.filter((e) => /malformed section header/.test(e.message));
      assert.deepStrictEqual(malformed.map((e) => [e.file, e.line]), lines.map((l) => ['/x/config', l]));
      assert.strictEqual(doc.errors.filter((e) => /before the first/.test(e.message)).length, 0);
      // and the differential agrees: the SDK on the rewritten input
      const expected = await expectedShapes(text, '');
      assert.deepStrictEqual(shape, plain(expected.config));
    });
  }

  it('the report counts the keys it drops, names their lines and the section the SDK would add them to, never a value', () => {
    const doc = parseIni('[profile a]\nrole_arn = A\n[profile broken\naws_secret_access_key = wJalrSECRET\nregion = x\n[profile b]\n', '/x/config');
    assert.deepStrictEqual(doc.errors.map((e) => e.line), [3]);
    const m = doc.errors[0].message;
    assert.match(m, /^\/x\/config line 3: malformed section header/);
    assert.match(m, /The 2 keys after it \(lines 4-5\) belong to no section until the next valid header/);
    assert.match(m, /the AWS SDK would add them to \[profile a\] above \(line 1\)/);
    assert.ok(!m.includes('wJalr'), m);
  });

  it('marks the section the SDK reads the dropped keys into, and only that one', () => {
    const doc = parseIni('[profile a]\nx = 1\n[profile broken\ny = 2\n[profile b]\nz = 3\n[profile c\n\n[unknown type]\n[d\nw = 1\n', 'cfg');
    assert.strictEqual(doc.sections.get('profile.a')?.sdkExtraKeysAfter, 3);
    // no key after [profile c: nothing for b; [unknown type] is skipped by the SDK too
    assert.strictEqual(doc.sections.get('profile.b')?.sdkExtraKeysAfter, undefined);
    assert.deepStrictEqual([...doc.sections.values()].filter((s) => s.sdkExtraKeysAfter !== undefined).map((s) => s.key), ['profile.a']);
  });

  it('applies to the credentials file too', async () => {
    const text = '[default]\naws_access_key_id = A\n[dev\naws_secret_access_key = S\n[other]\nk = v\n';
    const doc = parseIni(text, 'cred');
    assert.deepStrictEqual(plain(toSdkShape(doc.sections)), { default: { aws_access_key_id: 'A' }, other: { k: 'v' } });
    assert.deepStrictEqual(plain(toSdkShape(doc.sections)), plain((await expectedShapes('', text)).credentials));
  });
});

describe('profile names the AWS CLI accepts', () => {
  // [header, the profile it is (undefined: none), whether the SDK reads it under that name]
  const read: Array<[string, string, boolean]> = [
    ['[profile prod-éü-日本]', 'prod-éü-日本', false],
    ['[profile a.b]', 'a.b', true],
    ['[profile me@corp]', 'me@corp', true],
    ['[profile a+b]', 'a+b', true],
    ['[profile a%b:c/d_e-f]', 'a%b:c/d_e-f', true],
    ['[profile "two words"]', 'two words', false],
    ["[profile '日本']", '日本', false],
    ['[profile a#b]', 'a#b', false],
    ['[profile emoji🙂]', 'emoji🙂', false],
    ['[profile\tdéjà]', 'déjà', false],
    ['[profile  ünï]', 'ünï', false],
    ['[profile a]b]', 'a]b', false],
  ];
  for (const [header, name, sdkVisible] of read) {
    it(`${header} is profile "${name}"${sdkVisible ? '' : ' (the SDK does not read it by that name)'}`, async () => {
      const text = `${header}\nregion = eu-west-1\nrole_arn = r\n`;
      const { sections, warnings, shape } = configView(text);
      assert.deepStrictEqual(shape, { [name]: { region: 'eu-west-1', role_arn: 'r' } });
      assert.deepStrictEqual({ sdkVisible: sections.get(name)?.sdkVisible, line: sections.get(name)?.entries.get('role_arn')?.line, warnings }, { sdkVisible, line: 3, warnings: [] });
      assert.deepStrictEqual(shape, plain((await expectedShapes(text, '')).config));
    });
  }

  // [header, why it is not a profile]
  const refused: Array<[string, RegExp]> = [
    ['[profile a b]', /contains white space; the AWS CLI reads a name with spaces only in quotes: \[profile "a b"\]/],
    ['[profile  a]', /the AWS SDK reads this name only in a header written \[profile a\], with one space/],
    ['[profile a ]', /white space after the profile name; write \[profile a\]/],
    ['[profile a\u202eb]', /invisible or control character \(U\+202E\)/],
    ['[profile x\u200by]', /invisible or control character \(U\+200B\)/],
    ['[profile "a"b"]', /has a quote in it/],
    ['[profile a\\b]', /has a backslash in it/],
    ['[profile ""]', /the profile name is empty/],
    ['[profile "a\tb"]', /invisible or control character \(U\+0009\)/],
    ['[profile "a\u00a0b"]', /white space other than a plain space/],
  ];
  for (const [header, why] of refused) {
    it(`${JSON.stringify(header)} is not a profile, and a warning says exactly why`, async () => {
      const text = `${header}\nregion = eu-west-1\n`;
      const { shape, warnings } = configView(text);
      assert.deepStrictEqual(shape, {});
      assert.deepStrictEqual(warnings.map((w) => [w.file, w.line]), [['/x/config', 1]]);
      assert.match(warnings[0].message, why);
      assert.deepStrictEqual(shape, plain((await expectedShapes(text, '')).config));
    });
  }

  it('the credentials file keeps every name as the SDK does, [profile …] there stays ignored', async () => {
    const text = '[prod-éü-日本]\nk = 1\n[profile 日本]\nk = 2\n';
    const doc = parseIni(text, 'cred');
    assert.deepStrictEqual(plain(toSdkShape(doc.sections)), { 'prod-éü-日本': { k: '1' }, 'profile 日本': { k: '2' } });
    assert.deepStrictEqual(plain(toSdkShape(doc.sections)), plain((await expectedShapes('', text)).credentials));
  });

  it('the SDK\'s own [profile.NAME] wins over a CLI-only [profile NAME], with a warning', async () => {
    const text = '[profile.日本]\nk = sdk\n[profile 日本]\nk = cli\n';
    const { shape, warnings, sections } = configView(text);
    assert.deepStrictEqual(shape, { 日本: { k: 'sdk' } });
    assert.strictEqual(sections.get('日本')?.sdkVisible, true);
    assert.deepStrictEqual(warnings.map((w) => w.line), [3]);
    assert.match(warnings[0].message, /the AWS SDK reads \[profile\.日本\] at line 1 as profile "日本"/);
    assert.deepStrictEqual(shape, plain((await expectedShapes(text, '')).config));
  });

  it('cliProfileName (the reader) and the oracle\'s cliOnlyProfileName agree, name by name', () => {
    const names = [
      'profile 日本', 'profile "日本"', "profile '日本'", 'profile "a b"', 'profile a b', 'profile  a', 'profile\ta', 'profile a ', 'profile ',
      'profile ""', 'profile "', 'profile "a', 'profile a"', 'profile "a\'b"', 'profile a\\b', 'profile é\u202e', 'profile é\u0000', 'profile 🙂',
      'profile \ud800x', 'profile é\u00a0x', 'profile "é\u00a0x"', 'profile "é x"', 'profile é\u3000', 'profile a#b', 'profile a;b', 'profile x]y',
      'profile \u00e9.\u00e9', 'profilex é', 'Profile é', 'profile\u00a0é', 'profile é\r', 'profile "é\r"', 'profile ab', 'profile a.b', 'sso-session é',
    ];
    for (const n of names) {
      const r = cliProfileName(n);
      assert.strictEqual(r && 'name' in r ? r.name : undefined, cliOnlyProfileName(n), JSON.stringify(n));
    }
  });
});

describe('sdkAcceptsProfileName matches what the SDK itself reads', () => {
  const names = [
    'default', 'dev', 'a.b', 'me@corp', 'a+b', 'a%b', 'a:b', 'a/b', 'a_b', 'A-1', 'prod-éü-日本', '日本', 'two words', 'a#b', 'a #b', 'a ;b', 'a;b',
    '__proto__', "'q'", '"q"', 'x"y', '', ' a', 'a b', 'profile x', 'sso-session s', 'a]b', '🙂', 'a\tb', 'ab=c', 'a,b', 'a!b', 'constructor',
  ];
  for (const file of ['config', 'credentials'] as const) {
    it(`${file} file: true exactly for the names the SDK reads under that name`, async () => {
      const disagree: string[] = [];
      for (const name of names) {
        const header = file === 'config' && name !== 'default' ? `[profile ${name}]` : `[${name}]`;
        const text = `${header}\nk = v\n`;
        const sdk = await sdkShapes(file === 'config' ? text : '', file === 'config' ? '' : text);
        const shape = file === 'config' ? sdk.config : sdk.credentials;
        const reads = Object.prototype.hasOwnProperty.call(shape, name) && shape[name].k === 'v';
        if (reads !== sdkAcceptsProfileName(name, file)) disagree.push(`${JSON.stringify(name)}: sdk ${reads}`);
      }
      assert.deepStrictEqual(disagree, []);
      // the table has both answers
      assert.ok(names.some((n) => sdkAcceptsProfileName(n, file)) && names.some((n) => !sdkAcceptsProfileName(n, file)));
    });
  }
});

describe('repeated sections: the SDK\'s result, plus a warning that names both lines and the value that wins', () => {
  // [title, config text, warning lines, what each warning must say]
  const table: Array<[string, string, number[], RegExp[]]> = [
    ['a profile twice, a key in both', '[profile a]\nregion = us-east-1\noutput = json\n[default]\nx = 1\n[profile a]\nregion = eu-west-1\n', [6],
      [/^\/x\/config line 6: \[profile a\] is repeated: \/x\/config line 1 and \/x\/config line 6\. The AWS SDK merges the two and a key set in both takes its last value \(region: line 7 wins over line 2\); the AWS CLI refuses/]],
    ['a profile twice, no key in both', '[profile a]\nregion = us-east-1\n[profile a]\noutput = json\n', [3], [/no key is set in both/]],
    ['three times', '[profile a]\nk = 1\n[profile a]\nk = 2\n[profile a]\nk = 3\n', [3, 5], [/line 1 and \/x\/config line 3.*k: line 6 wins over line 2/, /line 1 and \/x\/config line 5.*k: line 6 wins over line 4/]],
    ['quoted and bare, one SDK section', '[profile a]\nk = 1\n[profile "a"]\nk = 2\n', [3], [/\[profile a\] is repeated.*k: line 4 wins over line 2/]],
    ['[default] and [profile default]', '[default]\nregion = a\n[profile default]\noutput = b\n', [3], [/\[default\] \(\/x\/config line 1\) and \[profile default\] \(\/x\/config line 3\) are the same profile: the AWS SDK reads only \[profile default\] and ignores every key of \[default\]/]],
    ['a CLI-only name, bare and quoted', '[profile 日本]\nk = 1\nj = 1\n[profile "日本"]\nk = 2\n', [4], [/profile "日本" is repeated: \/x\/config line 1 and \/x\/config line 4\. .*k: line 5 wins over line 2/]],
    ['a section that is not a profile', '[plugins]\na = 1\n[plugins]\na = 2\n', [3], [/\[plugins\] is repeated/]],
  ];
  for (const [title, text, lines, says] of table) {
    it(title, async () => {
      const { doc, warnings, shape } = configView(text);
      const repeated = [...doc.errors, ...warnings].filter((e) => /repeated|same profile/.test(e.message));
      assert.deepStrictEqual(repeated.map((e) => e.line), lines);
      says.forEach((re, i) => assert.match(repeated[i].message, re));
      assert.deepStrictEqual(shape, plain((await expectedShapes(text, '')).config));
    });
  }

  it('names the keys, never their values', () => {
    const doc = parseIni('[dev]\naws_secret_access_key = FIRSTSECRET\n[dev]\naws_secret_access_key = SECONDSECRET\n', '/x/credentials');
    assert.deepStrictEqual(doc.errors.map((e) => e.line), [3]);
    assert.match(doc.errors[0].message, /aws_secret_access_key: line 4 wins over line 2/);
    assert.ok(!/SECRET/.test(doc.errors[0].message.replace('aws_secret_access_key', '')), doc.errors[0].message);
  });
});

describe('the oracle encodes the two deliberate differences, and only those', () => {
  it('a malformed header: the raw SDK adds the keys to the section before, the expected value does not', async () => {
    const text = '[profile a]\nx = 1\n[profile broken\ny = 2\n';
    assert.deepStrictEqual(plain((await sdkShapes(text, '')).config), { a: { x: '1', y: '2' } });
    assert.deepStrictEqual(plain((await expectedShapes(text, '')).config), { a: { x: '1' } });
  });

  it('a CLI-only name: the raw SDK drops the profile, the expected value has it', async () => {
    const text = '[profile 日本]\nx = 1\n[profile b]\ny = 2\n';
    assert.deepStrictEqual(plain((await sdkShapes(text, '')).config), { b: { y: '2' } });
    assert.deepStrictEqual(plain((await expectedShapes(text, '')).config), { 日本: { x: '1' }, b: { y: '2' } });
  });

  it('on input without either, the expected value is the raw SDK result', async () => {
    const config = '[default]\nregion = a\n[profile a b]\nk = v\n[profile x]#glued\n'.replace('[profile x]#glued\n', '') + '[profile q]\ns3 =\n  x = 1\n[sso-session s]\nk = v\n';
    const credentials = '[a b]\nk = v\n[日本]\nk = v\n';
    assert.deepStrictEqual(plain((await expectedShapes(config, credentials)).config), plain((await sdkShapes(config, credentials)).config));
    assert.deepStrictEqual(plain((await expectedShapes(config, credentials)).credentials), plain((await sdkShapes(config, credentials)).credentials));
  });
});

describe('error cap', () => {
  it('a malformed header past the first 200 problems does not overwrite the "more problems follow" note', () => {
    const text = `${'bad line\n'.repeat(200)}[profile broken\nk = v\n`;
    const doc = parseIni(text, 'cfg');
    assert.strictEqual(doc.errors.length, 201);
    assert.match(doc.errors[200].message, /more problems follow/);
  });
});

describe('no section of the config file is dropped silently', () => {
  // [config text, the warning lines]: every ignored section that could be a profile says so
  const table: Array<[string, number[]]> = [
    ['[prod.eu]\nregion = x\n', [1]],
    ['[myprofile]\nregion = x\n', [1]],
    ['[ profile spaced ]\nregion = x\n', [1]],
    ['[profile a b]\nregion = x\n', [1]],
    ['[sso-session ünï]\nsso_region = x\n', [1]],
    // read as profiles or as what the CLI uses: no warning
    ['[profile.dotted]\nregion = x\n[plugins]\ne = m\n[default]\nr = 1\n[profile 日本]\nk = v\n', []],
  ];
  for (const [text, lines] of table) {
    it(JSON.stringify(text), () => {
      const { warnings, shape } = configView(text);
      assert.deepStrictEqual(warnings.map((w) => w.line), lines);
      if (lines.length) assert.deepStrictEqual(shape, {});
    });
  }
});
