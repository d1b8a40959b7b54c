import * as assert from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, existsSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { ConfigError } from '../../src/core/errors';
import { configFileSections, parseIni, toSdkShape } from '../../src/core/ini';
import { comparable, ourShapes, plain, sdkShapes } from '../fuzz/oracle';

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

  it('like the SDK, a header with a glued comment is not a header (and is reported)', () => {
    const text = '[default]\na = 1\n[profile x]#c\nb = 2\n';
    const doc = parseIni(text, 'cfg');
    assert.deepStrictEqual(doc.errors.map((e) => e.line), [3]);
    assert.deepStrictEqual(entries(text, 'default'), { a: '1', b: '2' });
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
    it(`fixture ${dir}: same sections, keys and values as loadSharedConfigFiles (real files)`, async () => {
      const read = (f: string) => (existsSync(path.join(FIXTURES, dir, f)) ? readFileSync(path.join(FIXTURES, dir, f), 'utf8') : '');
      const config = read('config');
      const credentials = read('credentials');
      assert.ok(comparable(config, credentials));
      const configFilepath = path.join(tmp, `${dir}-config`);
      const filepath = path.join(tmp, `${dir}-credentials`);
      writeFileSync(configFilepath, config);
      writeFileSync(filepath, credentials);
      const sdk = await loadSharedConfigFiles({ configFilepath, filepath, ignoreCache: true });
      const ours = ourShapes(config, credentials);
      assert.deepStrictEqual(plain(ours.config), plain(sdk.configFile as Record<string, Record<string, string>>));
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
    const sdk = await sdkShapes(config, credentials);
    assert.deepStrictEqual({ config: plain(ours.config), credentials: plain(ours.credentials) }, { config: plain(sdk.config), credentials: plain(sdk.credentials) });
  });
});
