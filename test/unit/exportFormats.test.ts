// Every "Copy Credentials" format, round-tripped: through the real shell where one is installed (bash
// always; dash as plain sh; fish and pwsh when `which` finds them), and through a parser where there is
// none (cmd's `set "A=B"`, dotenv's documented parse rules). Plus the QuickPick and what it remembers.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  EXPORT_FORMAT_IDS,
  ExportFormatError,
  exportVariables,
  orderedFormats,
  renderExport,
  validityText,
  type ExportFormatId,
} from '../../src/core/exportFormats';
import type { Session } from '../../src/core/types';
import { copySessionAs, EXPORT_FORMAT_STATE_KEY, exportFormatItems } from '../../src/host/exportPick';
import { session } from '../helpers/builders';
import { fake } from '../helpers/vscode';

/** Values a real secret has (base64: + / =) and deliberately nasty ones. */
const HOSTILE = [
  'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY==',
  'FwoGZXIvYXdzEJr//////////wEaDM+abc/def==',
  "it's",
  "'",
  "''",
  "\\'",
  'a"b',
  '"',
  'a b  c',
  ' lead and trail ',
  '$HOME',
  '${PATH}',
  '$(id)',
  '`id`',
  'back\\slash',
  'trail\\',
  '\\n literal backslash-n',
  '!event',
  'x!!y',
  '50%PATH%',
  '%',
  '^caret^',
  'a&b|c<d>e',
  '(paren)',
  '#hash',
  'x #not a comment',
  ';rm -rf /tmp/nope;',
  '*glob?[a]',
  '~tilde',
  '=leading=equals',
  '\u2018curly\u2019 \u201a\u201b',
  '日本語 ünïcödé',
  '--flag',
  '',
];

/** One session per hostile value: each variable carries a variant of it. */
function hostileSession(v: string): Session {
  return session({ accessKeyId: v, secretAccessKey: `${v}S`, sessionToken: `T${v}`, region: `r-${v}` });
}

function expected(s: Session): Record<string, string> {
  return Object.fromEntries(exportVariables(s));
}

const which = (cmd: string): string | undefined => {
  const r = spawnSync('which', [cmd], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
};

describe('Export formats: the real shells', function () {
  this.timeout(60_000);
  let dir: string;
  let printer: string;
  const NAMES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_REGION', 'AWS_DEFAULT_REGION'];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-export-'));
    // A child process prints the variables it inherited: what an AWS CLI started from that shell sees.
    printer = path.join(dir, 'print-env.cjs');
    fs.writeFileSync(printer, `const o={};for(const n of ${JSON.stringify(NAMES)}){if(n in process.env)o[n]=process.env[n];}process.stdout.write('@@'+JSON.stringify(o)+'@@');\n`);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /**
   * One shell process for every hostile session: each session's text, then the printer, in turn. Returns
   * what the printer saw after each (what a program started from that shell, like the AWS CLI, gets).
   */
  function roundTrip(shell: string, args: string[], format: ExportFormatId, run: string): Array<Record<string, string>> {
    const script = HOSTILE.map((v) => `${renderExport(format, hostileSession(v))}\n${run}\n`).join('');
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TERM: 'dumb' };
    const out = execFileSync(shell, args, { input: script, env, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 16 << 20 });
    const seen = [...out.matchAll(/@@(.*?)@@/gs)].map((m) => JSON.parse(m[1]) as Record<string, string>);
    assert.equal(seen.length, HOSTILE.length, `the shell ran the printer ${seen.length} times, not ${HOSTILE.length}; output: ${out}`);
    return seen;
  }

  function check(seen: Array<Record<string, string>>): void {
    HOSTILE.forEach((v, i) => assert.deepStrictEqual(seen[i], expected(hostileSession(v)), `value ${JSON.stringify(v)}`));
  }

  const posixRun = () => `${quoteForPosixTest(process.execPath)} ${quoteForPosixTest(printer)}`;

  it('bash (interactive, so history expansion of ! is on, as in a terminal): every hostile value survives', () => {
    check(roundTrip('bash', ['--norc', '--noprofile', '-i'], 'posix', posixRun()));
  });

  it('sh (dash, when installed): every hostile value survives', function () {
    if (!which('dash')) this.skip();
    check(roundTrip('dash', ['-s'], 'posix', posixRun()));
  });

  it('fish: every hostile value survives', function () {
    const fish = which('fish');
    if (!fish) {
      console.log('      (skipped: fish is not installed on this machine; the fish quoting model below still runs)');
      this.skip();
    }
    check(roundTrip(fish, ['--no-config'], 'fish', `${fishQuote(process.execPath)} ${fishQuote(printer)}`));
  });

  it('PowerShell (pwsh): every hostile value survives', function () {
    const pwsh = which('pwsh');
    if (!pwsh) {
      console.log('      (skipped: pwsh is not installed on this machine; the PowerShell quoting model below still runs)');
      this.skip();
    }
    check(roundTrip(pwsh, ['-NoProfile', '-NonInteractive', '-Command', '-'], 'powershell', `& ${psQuote(process.execPath)} ${psQuote(printer)}`));
  });

  it('bash: a value with a control character is refused, never pasted half-way', () => {
    for (const bad of ['two\nlines', 'cr\r', 'esc\u001b[201~', 'nul\u0000']) {
      assert.throws(() => renderExport('posix', hostileSession(bad)), (e: unknown) => e instanceof ExportFormatError && e.variable === 'AWS_ACCESS_KEY_ID' && !e.message.includes(bad));
    }
  });
});

// Independent quoting helpers for the test's own command lines (not the code under test).
function quoteForPosixTest(s: string): string {
  return `'${s.split("'").join(`'"'"'`)}'`;
}
function fishQuote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
function psQuote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

// ---- Parsers for the formats whose shell is not here -------------------------------------------

/**
 * cmd.exe, interactive prompt (delayed expansion off, its default), for lines `set "NAME=value"`:
 * 1. percent expansion first: `%NAME%` becomes the variable's value when it is defined; otherwise the
 *    text stays (at the prompt; a batch file would drop it), and quotes do not stop this;
 * 2. then `"` toggles quoting; outside quotes `^` escapes the next character and `& | < >` end the
 *    command; inside quotes every character is literal;
 * 3. SET with an argument that starts with `"` drops that quote, and the last `"` with everything after it;
 *    the rest is NAME=value, split at the first `=`.
 * With delayed expansion on (cmd /V:ON), `!NAME!` is expanded like step 1; `delayed` models that.
 */
function parseCmd(text: string, env: Record<string, string> = {}, delayed = false): Record<string, string> {
  const out: Record<string, string> = {};
  const lookup = (name: string) => out[name] ?? env[name];
  for (const raw of text.split(/\r?\n/)) {
    if (!raw) continue;
    let line = raw.replace(/%([^%]+)%/g, (m, n: string) => lookup(n) ?? m);
    let arg = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (c === '"') {
        quoted = !quoted;
        arg += c;
      } else if (!quoted && c === '^') {
        arg += line[++i] ?? '';
      } else if (!quoted && '&|<>'.includes(c)) {
        break;
      } else {
        arg += c;
      }
    }
    if (delayed) arg = arg.replace(/!([^!]+)!/g, (m, n: string) => lookup(n) ?? '').replace(/!/g, '');
    line = arg;
    const m = /^set "(.*)$/s.exec(line);
    assert.ok(m, `not a set "…" line: ${raw}`);
    const body = m[1].slice(0, m[1].lastIndexOf('"'));
    const eq = body.indexOf('=');
    out[body.slice(0, eq)] = body.slice(eq + 1);
  }
  return out;
}

/**
 * The `dotenv` package's parse (lib/main.js, v16/v17, README "Parsing" and "Multiline values"): each
 * line is `[export ]KEY=value` or `KEY: value`; a value in single, double or back quotes is taken between
 * its quotes (a quote preceded by a backslash does not end it, but the backslash stays); only in double
 * quotes `\n` and `\r` become newline and carriage return; an unquoted value ends at `#` and is trimmed.
 * This is that rule set written out (dotenv is not in node_modules here).
 */
function parseDotenv(src: string): Record<string, string> {
  const LINE = /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;
  const out: Record<string, string> = {};
  const text = src.replace(/\r\n?/g, '\n');
  for (let m = LINE.exec(text); m; m = LINE.exec(text)) {
    let value = (m[2] ?? '').trim();
    const quote = value[0];
    value = value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
    if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
    out[m[1]] = value;
  }
  return out;
}

/** fish single quotes: `\\` is a backslash, `\'` a quote, any other backslash is itself. */
function parseFish(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^set -gx (\w+) '(.*)$/s.exec(line);
    assert.ok(m, `not a set -gx line: ${line}`);
    let v = '';
    let i = 0;
    const s = m[2];
    for (; i < s.length; i++) {
      if (s[i] === '\\' && (s[i + 1] === '\\' || s[i + 1] === "'")) v += s[++i];
      else if (s[i] === "'") break;
      else v += s[i];
    }
    assert.equal(s.slice(i), "'", `text after the closing quote: ${line}`);
    out[m[1]] = v;
  }
  return out;
}

/** PowerShell verbatim strings: any of ' ‘ ’ ‚ ‛ opens and closes; two in a row are one literal quote. */
function parsePowerShell(text: string): Record<string, string> {
  const Q = "'\u2018\u2019\u201a\u201b";
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\$Env:(\w+) = (.*)$/s.exec(line);
    assert.ok(m, `not an $Env: line: ${line}`);
    const s = m[2];
    assert.ok(Q.includes(s[0]));
    let v = '';
    let i = 1;
    for (; i < s.length; i++) {
      if (Q.includes(s[i])) {
        if (i + 1 < s.length && Q.includes(s[i + 1])) v += s[i++];
        else break;
      } else v += s[i];
    }
    assert.equal(i, s.length - 1, `text after the closing quote: ${line}`);
    out[m[1]] = v;
  }
  return out;
}

describe('Export formats: parsers where the shell is not here', () => {
  it('cmd: every value without % ! " round-trips through set "A=B", with & | < > ^ ( ) and spaces literal', () => {
    let carried = 0;
    for (const v of HOSTILE) {
      const s = hostileSession(v);
      if (/[%!"]/.test(v)) {
        assert.throws(() => renderExport('cmd', s), (e: unknown) => e instanceof ExportFormatError && e.format === 'cmd' && /PowerShell/.test(e.message) && !e.message.includes(`${v}S`));
        continue;
      }
      carried++;
      const text = renderExport('cmd', s);
      assert.deepStrictEqual(parseCmd(text, { PATH: 'C:\\Windows', HOME: 'C:\\Users\\x' }), expected(s), `value ${JSON.stringify(v)}`);
      assert.deepStrictEqual(parseCmd(text, { PATH: 'C:\\Windows' }, true), expected(s), `with delayed expansion: ${JSON.stringify(v)}`);
    }
    assert.ok(carried > 20);
  });

  it('cmd: the values it refuses really would be changed by cmd (the refusal is needed)', () => {
    const naive = (v: string) => `set "A=${v}"`;
    assert.notEqual(parseCmd(naive('50%PATH%'), { PATH: 'C:\\Windows' }).A, '50%PATH%');
    assert.notEqual(parseCmd(naive('x!PATH!y'), { PATH: 'C:\\Windows' }, true).A, 'x!PATH!y');
    assert.notEqual(parseCmd(naive('a"&echo pwned&"b')).A, 'a"&echo pwned&"b');
  });

  it('.env: every hostile value round-trips through dotenv\'s parse rules; real secrets stay double-quoted', () => {
    for (const v of HOSTILE) {
      const s = hostileSession(v);
      const text = renderExport('dotenv', s);
      assert.deepStrictEqual(parseDotenv(text), expected(s), `value ${JSON.stringify(v)}:\n${text}`);
    }
    const real = renderExport('dotenv', hostileSession(HOSTILE[0]));
    assert.match(real, /^AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI\/K7MDENG\+bPxRfiCYEXAMPLEKEY==S"$/m);
  });

  it('.env: a value no dotenv quoting can carry is refused', () => {
    assert.throws(() => renderExport('dotenv', hostileSession('a"b\'c`d')), ExportFormatError);
  });

  it('fish and PowerShell quoting models: every hostile value round-trips (the real shells run above when installed)', () => {
    for (const v of HOSTILE) {
      const s = hostileSession(v);
      assert.deepStrictEqual(parseFish(renderExport('fish', s)), expected(s), `fish ${JSON.stringify(v)}`);
      assert.deepStrictEqual(parsePowerShell(renderExport('powershell', s)), expected(s), `pwsh ${JSON.stringify(v)}`);
    }
  });

  it('credential_process JSON: Version 1, the keys, the ISO expiration; nothing else, any value', () => {
    for (const v of [...HOSTILE, 'two\nlines\u001b']) {
      const s = hostileSession(v);
      assert.deepStrictEqual(JSON.parse(renderExport('credentialProcess', s)), {
        Version: 1,
        AccessKeyId: v,
        SecretAccessKey: `${v}S`,
        SessionToken: `T${v}`,
        Expiration: s.expiration.toISOString(),
      });
    }
  });

  it('every format has region variables only when the session has a region', () => {
    const s = session({ region: undefined });
    for (const id of EXPORT_FORMAT_IDS) {
      assert.ok(!renderExport(id, s).includes('AWS_REGION'), id);
      if (id !== 'credentialProcess') assert.ok(renderExport(id, s, { defaultRegion: 'eu-west-1' }).includes('AWS_REGION'), id);
    }
    assert.deepStrictEqual(exportVariables(session({ region: 'eu-west-1' })).slice(4), [['AWS_REGION', 'eu-west-1'], ['AWS_DEFAULT_REGION', 'eu-west-1']]);
  });

  it('bash/zsh keeps the shape of the old export lines', () => {
    const s = session({ region: undefined });
    assert.equal(renderExport('posix', s).split('\n')[0], `export AWS_ACCESS_KEY_ID='${s.accessKeyId}'`);
  });
});

describe('Export formats: order, validity text', () => {
  it('the remembered format comes first, else the platform shell; each id once', () => {
    assert.deepStrictEqual(orderedFormats(undefined, 'linux'), ['posix', 'fish', 'powershell', 'cmd', 'dotenv', 'credentialProcess']);
    assert.deepStrictEqual(orderedFormats(undefined, 'win32'), ['powershell', 'posix', 'fish', 'cmd', 'dotenv', 'credentialProcess']);
    assert.deepStrictEqual(orderedFormats('dotenv', 'darwin'), ['dotenv', 'posix', 'fish', 'powershell', 'cmd', 'credentialProcess']);
    assert.deepStrictEqual(orderedFormats('AKIA-not-a-format', 'linux')[0], 'posix');
  });

  it('says how long and until when, in local time', () => {
    const exp = new Date(2026, 10, 23, 14, 5, 0);
    const at = (minsBefore: number, secs = 0) => exp.getTime() - minsBefore * 60_000 - secs * 1000;
    assert.equal(validityText(exp, at(47, 30)), 'valid for 47 minutes, until 14:05');
    assert.equal(validityText(exp, at(1)), 'valid for 1 minute, until 14:05');
    assert.equal(validityText(exp, at(0, 20)), 'valid for less than a minute, until 14:05');
    assert.equal(validityText(exp, at(60)), 'valid for 1 hour, until 14:05');
    assert.equal(validityText(exp, at(125)), 'valid for 2 hours 5 minutes, until 14:05');
    assert.equal(validityText(exp, at(-3)), 'already expired at 14:05');
  });
});

/** An in-memory Memento, like the one VS Code gives (globalState). */
class MemoryMemento {
  readonly data = new Map<string, unknown>();
  keys() {
    return [...this.data.keys()];
  }
  get<T>(k: string, d?: T): T | undefined {
    return (this.data.has(k) ? this.data.get(k) : d) as T | undefined;
  }
  async update(k: string, v: unknown) {
    this.data.set(k, v);
  }
}

describe('Copy Credentials: the QuickPick and what it remembers', () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0);
  const s = session({ region: 'eu-west-1' }, now);
  let state: MemoryMemento;
  let shown: Array<{ id: ExportFormatId; label: string; description?: string; detail?: string }> = [];
  const pick = (choose: (items: typeof shown) => unknown) =>
    fake.quickPicks.push((items: typeof shown) => {
      shown = items;
      return choose(items);
    });
  const copy = () => copySessionAs(s, { state: state as never, platform: 'linux', now: () => now });

  beforeEach(() => {
    fake.reset();
    state = new MemoryMemento();
    shown = [];
  });

  it('offers every format with a label and a detail line, bash/zsh first the first time', async () => {
    pick(() => undefined);
    await copy();
    assert.deepStrictEqual(shown.map((i) => i.id), ['posix', 'fish', 'powershell', 'cmd', 'dotenv', 'credentialProcess']);
    for (const i of shown) assert.ok(i.label && i.detail && i.description, i.id);
    assert.ok(!shown[0].description!.includes('last used'));
  });

  it('copies the chosen format, remembers only its id, and offers it first next time', async () => {
    pick((items) => items.find((i) => i.id === 'fish'));
    assert.equal(await copy(), 'fish');
    assert.equal(fake.clipboard, renderExport('fish', s));
    assert.deepStrictEqual([...state.data.entries()], [[EXPORT_FORMAT_STATE_KEY, 'fish']]);
    const info = fake.messages.find((m) => m.level === 'info')!;
    assert.match(info.text, /copied as fish, valid for 60 minutes|copied as fish, valid for 1 hour, until \d\d:\d\d/);
    assert.ok(!info.text.includes(s.secretAccessKey) && !info.text.includes(s.sessionToken));

    pick(() => undefined);
    await copy();
    assert.equal(shown[0].id, 'fish');
    assert.match(shown[0].description!, /last used/);
  });

  it('Escape copies nothing and remembers nothing; the clipboard is left as it was', async () => {
    fake.clipboard = 'what the user had';
    pick(() => undefined);
    assert.equal(await copy(), undefined);
    assert.equal(fake.clipboard, 'what the user had');
    assert.equal(state.data.size, 0);
    assert.deepStrictEqual(fake.messages, []);
  });

  it('a value the format cannot hold: an error that names the variable and the next step, no value, nothing copied', async () => {
    const bad = session({ secretAccessKey: 'abc%PATH%def' }, now);
    fake.clipboard = 'before';
    pick((items) => items.find((i) => i.id === 'cmd'));
    assert.equal(await copySessionAs(bad, { state: state as never, platform: 'linux', now: () => now }), undefined);
    assert.equal(fake.clipboard, 'before');
    const err = fake.messages.find((m) => m.level === 'error')!;
    assert.match(err.text, /AWS_SECRET_ACCESS_KEY/);
    assert.match(err.text, /choose another format/);
    assert.ok(!err.text.includes('abc%PATH%def'));
    assert.equal(state.data.size, 0);
  });

  it('items are built from the remembered id only; a junk value in globalState falls back', () => {
    assert.equal(exportFormatItems('credentialProcess', 'linux')[0].id, 'credentialProcess');
    assert.equal(exportFormatItems({ evil: 1 }, 'win32')[0].id, 'powershell');
  });

  it('without globalState (tests, old hosts) it still copies', async () => {
    pick((items) => items[0]);
    assert.equal(await copySessionAs(s, { platform: 'win32', now: () => now }), 'powershell');
    assert.equal(fake.clipboard, renderExport('powershell', s));
  });
});
