// A small reader for the AWS shared config and credentials files that keeps line numbers.
//
// It follows `parseIni` of @smithy/shared-ini-file-loader (the SDK's reader) rule by rule, so the
// sections, keys and values it yields are the ones the SDK will use; test/unit/ini.test.ts and the
// fuzzer check that on every input. Where the SDK silently ignores a line, this reader still ignores
// it the same way but also reports it as a ConfigError with file and line:
//   - a line that is not a section header, `key = value`, comment, blank or indented continuation
//     (the SDK drops it without a word);
//   - `key = value` lines before the first section, or under a section the SDK skips;
//   - `[]`, and `[type name]` headers with a type other than profile / sso-session / services;
//   - `[__proto__]` / `[profile __proto__]`: the SDK throws on them and then drops the whole file;
//   - a section repeated in one file (the SDK merges it; the AWS CLI refuses the file): one warning per
//     repeated header, naming both lines and, per key set in both, the line whose value wins.
//
// Two rules deliberately differ from the SDK (the differential test and the fuzzer's oracle encode
// exactly these two, see test/fuzz/oracle.ts):
//   1. A malformed header, i.e. a line that starts with `[` but, comment cut and trimmed, does not end
//      with `]` (`[profile broken`, `[profile a] trailing`, `[profile a]#glued`, `[x = y`), ends the
//      section before it. The SDK does not see it as a header and adds the keys after it to the previous
//      section (so a bad value there breaks a profile it does not belong to); the AWS CLI refuses the
//      whole file. Here those keys belong to no section until the next valid header, and the header is
//      reported once, at its line. The SDK's section is still marked (`sdkExtraKeysAfter`), because
//      fromIni, given that profile's name, would read the extra keys.
//   2. In the config file, a `[profile NAME]` header whose NAME the SDK's pattern rejects but the AWS
//      CLI accepts (non-ASCII letters, other punctuation, a quoted name with spaces) is a profile here
//      too (configFileSections, with `sdkVisible: false`); see cliProfileName for the exact rule.
// It never throws.

import { ConfigError, showName } from './errors';

/** Section types the SDK recognizes in `[type name]` headers (IniSectionType). */
export const SECTION_TYPES = ['profile', 'sso-session', 'services'] as const;
export type SectionType = (typeof SECTION_TYPES)[number];

export interface IniEntry {
  readonly key: string;
  readonly value: string;
  /** 1-based line of the entry (the last assignment wins, so its line). */
  readonly line: number;
}

export interface IniSection {
  /** The SDK's key of the section: 'default', 'profile.x', 'sso-session.y', 'services.z', or the raw name. */
  readonly key: string;
  /** The type of a `[type name]` header, or undefined for a plain `[name]`. */
  readonly type?: SectionType;
  /** The name without the type prefix (for a plain `[name]`, the name). */
  readonly name: string;
  /** 1-based line of the first header of this section (duplicates merge into it). */
  readonly line: number;
  /** Lines of every header of this section in the file, first to last (more than one: a repeated section). */
  readonly headerLines: readonly number[];
  /** Keys in file order; nested sub-section keys appear as `parent.key`, as in the SDK. */
  readonly entries: Map<string, IniEntry>;
  /**
   * Line of the first malformed header after which the SDK, which does not see that header, adds keys to
   * this section that this reader leaves out. Unset when the SDK's view of the section is this one.
   */
  readonly sdkExtraKeysAfter?: number;
  /**
   * The SDK reads this section under the name it is listed by. Always true in a parsed document (under
   * `key`); false for a configFileSections entry for a `[profile NAME]` whose NAME only the AWS CLI and
   * this reader accept (rule 2 above): fromIni cannot find that profile by name.
   */
  readonly sdkVisible: boolean;
}

/** A section of the config file as configFileSections lists it (by profile name). */
export type ConfigFileSection = IniSection;

export interface IniDocument {
  readonly file: string;
  /** By section key. Sections with no keys are kept (the SDK leaves them out). */
  readonly sections: Map<string, IniSection>;
  readonly errors: ConfigError[];
}

// The SDK's own patterns (parseIni in @smithy/core/config), kept identical on purpose.
const PREFIX_KEY = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/;
const COMMENT = /(^|\s)[;#]/;
const BLOCKED_SECTION_NAMES = new Set(['__proto__', 'profile __proto__']);
/** Plain sections the AWS CLI itself uses in the config file; they are not profiles and not a mistake. */
const CLI_SECTIONS = new Set(['plugins', 'preview']);

const MAX_ERRORS = 200;

/** Parses one file. `file` names it in the errors. Never throws. */
export function parseIni(text: string, file: string): IniDocument {
  const sections = new Map<string, IniSection>();
  const errors: ConfigError[] = [];
  /** Adds an error; returns its index, or -1 past MAX_ERRORS. */
  const report = (line: number, detail: string): number => {
    if (errors.length < MAX_ERRORS) {
      errors.push(new ConfigError(detail, { file, line }));
      return errors.length - 1;
    }
    if (errors.length === MAX_ERRORS) errors.push(new ConfigError('more problems follow; only the first 200 are listed', { file, line }));
    return -1;
  };
  if (typeof text !== 'string') return { file, sections, errors };

  let current: MutableSection | undefined;
  /** The header was read but its keys are ignored (the SDK skips the section, or the header is malformed). */
  let skipping = false;
  let subSection: string | undefined;
  /** Line of the header that opened the current occurrence of `current` (a repeated section has several). */
  let occurrence = 0;
  /** The section the SDK adds keys to: it does not see a malformed header, so that one does not reset it. */
  let sdkCurrent: MutableSection | undefined;
  /** The malformed header the keys now being read follow, if any. */
  let malformed: Malformed | undefined;
  /** Keys a repeated section sets again, per section; only filled for repeated sections. */
  let repeats: Map<MutableSection, Repeat[]> | undefined;
  let lineNo = 1;

  const endMalformed = () => {
    if (malformed) finishMalformed(malformed, errors, file);
    malformed = undefined;
  };

  // Lines as `text.split(/\r?\n/)` yields them, without the regex split.
  const len = text.length;
  for (let start = 0; start <= len; ) {
    let nl = text.indexOf('\n', start);
    let end: number;
    if (nl === -1) {
      nl = len;
      end = len;
    } else {
      end = nl > start && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
    }
    const rawLine = text.slice(start, end);
    start = nl + 1;
    const line = lineNo;
    // Editors also break lines at a lone CR; count them so line numbers match what the user sees.
    lineNo += 1 + countLoneCr(rawLine);

    const cut = commentStart(rawLine);
    const trimmed = (cut === -1 ? rawLine : rawLine.slice(0, cut)).trim();
    if (trimmed === '') continue;

    if (trimmed.charCodeAt(0) === OPEN) {
      endMalformed();
      current = undefined;
      skipping = true;
      subSection = undefined;
      if (trimmed.charCodeAt(trimmed.length - 1) !== CLOSE) {
        // Rule 1: a malformed header ends the section before it; the SDK keeps adding to that one.
        const at = report(line, 'malformed section header: it must be one [name] on its own line (a comment needs a space before # or ;)');
        malformed = { line, error: at, keys: 0, first: 0, last: 0, sdkSection: sdkCurrent };
        continue;
      }
      sdkCurrent = undefined;
      const sectionName = trimmed.substring(1, trimmed.length - 1);
      const match = PREFIX_KEY.exec(sectionName);
      let key: string | undefined;
      let type: SectionType | undefined;
      let name = sectionName;
      if (match) {
        const prefix = match[1];
        if ((SECTION_TYPES as readonly string[]).includes(prefix)) {
          type = prefix as SectionType;
          name = match[3];
          key = `${prefix}.${name}`;
        } else {
          report(line, `section [${showName(sectionName)}] has an unknown type "${showName(prefix)}" (expected profile, sso-session or services); its keys are ignored`);
        }
      } else {
        key = sectionName;
      }
      if (BLOCKED_SECTION_NAMES.has(sectionName)) {
        report(line, `section name [${showName(sectionName)}] is not allowed (the AWS SDK refuses the whole file because of it)`);
        continue;
      }
      if (key === '') {
        report(line, 'empty section name []; its keys are ignored');
        continue;
      }
      if (key === undefined) continue;
      skipping = false;
      occurrence = line;
      current = sections.get(key) as MutableSection | undefined;
      if (!current) {
        current = { key, type, name, line, headerLines: [line], entries: new Map(), sdkVisible: true };
        sections.set(key, current);
      } else {
        current.headerLines.push(line);
        if (!repeats) repeats = new Map();
        if (!repeats.has(current)) repeats.set(current, []);
      }
      sdkCurrent = current;
      continue;
    }

    const eq = trimmed.indexOf('=');
    if (eq === -1 || eq === 0) {
      // Not an assignment. An indented line continues the previous value (the SDK ignores it);
      // anything else is malformed.
      if (eq === -1 && (current || skipping) && isIndented(rawLine)) continue;
      if (eq === 0) {
        report(line, 'malformed line: "=" without a key before it');
      } else {
        report(line, 'malformed line: expected "key = value", a [section] header or a comment');
      }
      continue;
    }
    if (!current) {
      if (malformed) {
        // The SDK adds this key to the section before the malformed header; here it belongs to none.
        if (trimmed.substring(eq + 1).trim() !== '') {
          if (malformed.keys++ === 0) malformed.first = line;
          malformed.last = line;
          const s = malformed.sdkSection;
          if (s && s.sdkExtraKeysAfter === undefined) s.sdkExtraKeysAfter = malformed.line;
        }
      } else if (!skipping) {
        report(line, '"key = value" before the first [section] header; it is ignored');
      }
      continue;
    }
    const name = trimmed.substring(0, eq).trim();
    const value = trimmed.substring(eq + 1).trim();
    if (value === '') {
      // `s3 =` opens a nested sub-section; its indented `key = value` lines become `s3.key`.
      subSection = name;
      continue;
    }
    if (subSection !== undefined && !isIndented(rawLine)) subSection = undefined;
    const key = subSection !== undefined ? `${subSection}.${name}` : name;
    // Re-insert so the map keeps "last assignment wins" with the last line.
    const entries = current.entries;
    const prev = entries.get(key);
    if (prev !== undefined) {
      // A key an earlier header of this repeated section set: the warning says which line wins.
      if (prev.line < occurrence && repeats) repeats.get(current)?.push({ key, lost: prev.line, header: occurrence });
      entries.delete(key);
    }
    entries.set(key, { key, value, line });
  }
  endMalformed();
  if (repeats) for (const [section, keys] of repeats) repeatWarnings(section, keys, file, errors);
  return { file, sections, errors };
}

type MutableSection = { -readonly [K in keyof IniSection]: IniSection[K] } & { headerLines: number[] };

interface Malformed {
  readonly line: number;
  /** Index of its error in the document's errors (-1: past MAX_ERRORS). */
  readonly error: number;
  keys: number;
  first: number;
  last: number;
  /** The section the SDK adds the following keys to, if the SDK reads one there. */
  readonly sdkSection?: MutableSection;
}

interface Repeat {
  readonly key: string;
  /** Line of the value the later header's assignment replaces. */
  readonly lost: number;
  /** The header under which the key was set again. */
  readonly header: number;
}

/** Completes the error of a malformed header once the keys after it are known. */
function finishMalformed(m: Malformed, errors: ConfigError[], file: string): void {
  if (m.keys === 0 || m.error < 0) return;
  const one = m.keys === 1;
  const keys = one ? `The key after it (line ${m.first}) belongs` : `The ${m.keys} keys after it (lines ${m.first}-${m.last}) belong`;
  const sdk = m.sdkSection ? `; the AWS SDK would add ${one ? 'it' : 'them'} to ${headerText(m.sdkSection)} above (line ${m.sdkSection.headerLines[m.sdkSection.headerLines.length - 1]})` : '';
  errors[m.error] = new ConfigError(
    `malformed section header: it must be one [name] on its own line (a comment needs a space before # or ;). ${keys} to no section until the next valid header and ${one ? 'is' : 'are'} ignored${sdk}`,
    { file, line: m.line },
  );
}

/** One warning per repeated header of `section`: both lines, and for each key set in both, the line that wins. */
function repeatWarnings(section: MutableSection, repeats: readonly Repeat[], file: string, errors: ConfigError[]): void {
  const first = section.headerLines[0];
  for (const header of section.headerLines.slice(1)) {
    if (errors.length >= MAX_ERRORS) return;
    const keys = repeats.filter((r) => r.header === header).map((r) => ({ key: r.key, lost: `line ${r.lost}`, won: `line ${section.entries.get(r.key)?.line ?? header}` }));
    const profile = section.type === 'profile' || section.key === 'default' ? { profile: section.name } : {};
    errors.push(new ConfigError(`${repeatedText(headerText(section), `${file} line ${first}`, `${file} line ${header}`, keys)}; the AWS CLI refuses a file with a repeated section`, { file, line: header, ...profile }));
  }
}

/** `region: line 7 wins over line 2, output: …` for at most 5 keys. */
export function overrideList(keys: ReadonlyArray<{ readonly key: string; readonly won: string; readonly lost: string }>): string {
  const shown = keys.slice(0, 5).map((k) => `${showName(k.key)}: ${k.won} wins over ${k.lost}`);
  if (keys.length > 5) shown.push(`and ${keys.length - 5} more`);
  return shown.join(', ');
}

/** How a section's header reads in a message: `[profile a]`, `[default]`, `[sso-session s]`. */
export function headerText(section: Pick<IniSection, 'type' | 'name' | 'key'>): string {
  return section.type ? `[${section.type} ${showName(section.name)}]` : `[${showName(section.key)}]`;
}

const CR = 13;
const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]

/** Where COMMENT first matches in `s` (the index of the match, as `split(COMMENT)[0]` cuts), or -1. */
function commentStart(s: string): number {
  // Most lines have neither # nor ;, and then the pattern cannot match.
  if (s.indexOf('#') === -1 && s.indexOf(';') === -1) return -1;
  const m = COMMENT.exec(s);
  return m ? m.index : -1;
}

/** `s.trimStart() !== s`, without building the trimmed string for the common cases. */
function isIndented(s: string): boolean {
  if (s.length === 0) return false;
  const c = s.charCodeAt(0);
  if (c === 0x20 || c === 0x09) return true;
  if (c > 0x20 && c < 0x7f) return false;
  return s.trimStart().length !== s.length;
}

function countLoneCr(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\r'); i !== -1; i = s.indexOf('\r', i + 1)) n++;
  return n;
}

/**
 * The sections of a config file as the SDK exposes them (`getConfigData`): profiles by plain name
 * ('default', 'x'), plus 'sso-session.y' and 'services.z'. `[profile default]` replaces `[default]`.
 * Plain `[name]` sections other than `[default]` are not profiles in the config file; see
 * `configFileWarnings`. Beyond the SDK (rule 2 in the header comment), a `[profile NAME]` whose NAME
 * only the AWS CLI accepts is a profile too, with `sdkVisible: false`; two such headers with the same
 * NAME (`[profile 日本]`, `[profile "日本"]`) are one profile, merged like a repeated section.
 */
export function configFileSections(doc: IniDocument): Map<string, ConfigFileSection> {
  return configView(doc).sections;
}

/** Sections of a config file the SDK ignores although the user probably meant a profile, and repeated profiles. */
export function configFileWarnings(doc: IniDocument): ConfigError[] {
  return [...configView(doc).warnings];
}

interface ConfigView {
  readonly sections: Map<string, ConfigFileSection>;
  readonly warnings: ConfigError[];
}

const views = new WeakMap<IniDocument, ConfigView>();

function configView(doc: IniDocument): ConfigView {
  const known = views.get(doc);
  if (known) return known;
  const file = doc.file;
  const out = new Map<string, ConfigFileSection>();
  const warnings: ConfigError[] = [];
  const plainDefault = doc.sections.get('default');
  if (plainDefault && plainDefault.entries.size > 0) out.set('default', plainDefault);
  /** Sections whose `[profile NAME]` only the AWS CLI reads, by NAME, in file order. */
  const cliOnly = new Map<string, IniSection[]>();
  for (const [key, section] of doc.sections) {
    const dot = key.indexOf('.');
    const prefix = dot === -1 ? '' : key.substring(0, dot);
    if (dot !== -1 && (SECTION_TYPES as readonly string[]).includes(prefix)) {
      // Like the SDK, an empty section does not exist (and so cannot shadow [default]).
      if (section.entries.size === 0 && key === 'profile.default') continue;
      const name = prefix === 'profile' ? key.substring(dot + 1) : key;
      if (name === 'default' && plainDefault && plainDefault.entries.size > 0) {
        warnings.push(new ConfigError(
          `[default] (${file} line ${plainDefault.line}) and [profile default] (${file} line ${section.line}) are the same profile: the AWS SDK reads only [profile default] and ignores every key of [default]`,
          { file, line: section.line, profile: 'default' },
        ));
      }
      out.set(name, section);
      continue;
    }
    if (key === 'default' || section.type || CLI_SECTIONS.has(key)) continue;
    const cli = cliProfileName(key);
    if (cli && 'name' in cli) {
      const list = cliOnly.get(cli.name);
      if (list) list.push(section);
      else cliOnly.set(cli.name, [section]);
      continue;
    }
    if (cli) {
      warnings.push(new ConfigError(`section [${showName(key)}] is ignored: ${cli.problem}`, { file, line: section.line }));
      continue;
    }
    const typed = /^(sso-session|services)\s+(.*)$/.exec(key);
    if (typed) {
      warnings.push(new ConfigError(`${typed[1]} name "${showName(typed[2])}" has characters the AWS SDK does not accept (letters, digits and _-@+.%:/ only); the section is ignored`, { file, line: section.line }));
      continue;
    }
    const inner = key.trim();
    const fix = inner !== key ? `there is white space inside the brackets; ` : '';
    const written = inner.startsWith('profile ') ? `[${showName(inner)}]` : `[profile ${showName(inner)}]`;
    warnings.push(new ConfigError(`section [${showName(key)}] is ignored in the config file; ${fix}a profile there is written ${written}`, { file, line: section.line }));
  }
  for (const [name, list] of cliOnly) {
    const taken = out.get(name);
    if (taken && taken.entries.size > 0) {
      // Only `[profile.NAME]` gets here: the SDK reads that header as profile NAME.
      for (const s of list) {
        warnings.push(new ConfigError(`section [${showName(s.key)}] is ignored: the AWS SDK reads ${headerText(taken)} at line ${taken.line} as profile "${showName(name)}"; keep one of the two`, { file, line: s.line, profile: name }));
      }
      continue;
    }
    const merged = list.length === 1 ? list[0] : mergeSections(list, file, warnings, name);
    out.set(name, { ...merged, type: 'profile', name, sdkVisible: false });
  }
  const view = { sections: out, warnings };
  views.set(doc, view);
  return view;
}

/** Merges sections of one file that are one profile, later lines winning, with a warning per later section. */
function mergeSections(list: readonly IniSection[], file: string, warnings: ConfigError[], profile: string): IniSection {
  const all: IniEntry[] = [];
  for (const s of list) for (const e of s.entries.values()) all.push(e);
  all.sort((a, b) => a.line - b.line);
  const entries = new Map<string, IniEntry>();
  for (const e of all) {
    entries.delete(e.key);
    entries.set(e.key, e);
  }
  const first = list[0];
  for (const s of list.slice(1)) {
    const keys: Array<{ key: string; won: string; lost: string }> = [];
    for (const e of s.entries.values()) {
      const earlier = list.slice(0, list.indexOf(s)).map((p) => p.entries.get(e.key)).filter((x): x is IniEntry => x !== undefined);
      if (earlier.length) keys.push({ key: e.key, won: `line ${entries.get(e.key)?.line ?? e.line}`, lost: `line ${Math.min(...earlier.map((x) => x.line))}` });
    }
    warnings.push(new ConfigError(repeatedText(`profile "${showName(profile)}"`, `${file} line ${first.line}`, `${file} line ${s.line}`, keys), { file, line: s.line, profile }));
  }
  return { ...first, headerLines: list.flatMap((s) => s.headerLines).sort((a, b) => a - b), entries };
}

/**
 * The profile name the AWS CLI reads from the config-file section name `sectionName` (what is between
 * `[` and `]`) where the SDK's pattern does not: `{ name }`. `{ problem }` when it is a `profile …`
 * header that neither reads, saying why; undefined when it is not a `profile …` header at all.
 *
 * The CLI takes `shlex.split(sectionName)` and accepts exactly two words, `profile` and the name. This
 * accepts the part of that the extension can show and resolve safely: `profile`, spaces or tabs, then
 * the name, bare or in matching quotes, where the name has no quote or backslash inside, no invisible
 * or control character (bidi marks, zero-width spaces, U+2028...), and no white space except a plain
 * space inside quotes. A name the SDK's own pattern accepts (ASCII letters, digits, _-@+.%:/) is
 * never taken this way: when the SDK did not read it, the header itself is off (two spaces after
 * `profile`), and the CLI and the SDK would disagree about it.
 */
export function cliProfileName(sectionName: string): { readonly name: string } | { readonly problem: string } | undefined {
  const m = /^profile[ \t]+([\s\S]*)$/.exec(sectionName);
  if (!m) return undefined;
  let name = m[1];
  const q = name.charAt(0);
  const quoted = (q === '"' || q === "'") && name.length >= 2 && name.charAt(name.length - 1) === q;
  if (quoted) name = name.slice(1, -1);
  if (name === '') return { problem: 'the profile name is empty' };
  if (!quoted && name.trimEnd() !== name) return { problem: `there is white space after the profile name; write [profile ${showName(name.trimEnd())}]` };
  for (const ch of name) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === "'" || ch === '\\') return { problem: `the profile name has a ${ch === '\\' ? 'backslash' : 'quote'} in it (quotes may only surround the whole name)` };
    if (isInvisible(cp)) return { problem: `the profile name contains an invisible or control character (U+${cp.toString(16).toUpperCase().padStart(4, '0')})` };
    if (/\s/.test(ch) && !(quoted && ch === ' ')) {
      return { problem: quoted ? 'the profile name contains white space other than a plain space' : `the profile name contains white space; the AWS CLI reads a name with spaces only in quotes: [profile "${showName(name)}"]` };
    }
  }
  if (SDK_PROFILE_NAME.test(name)) return { problem: `the AWS SDK reads this name only in a header written [profile ${name}], with one space after "profile"` };
  return { name };
}

/** Code points showName escapes: controls, bidi and zero-width marks, line separators, BOM, lone surrogates. */
function isInvisible(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) || cp === 0xfeff || (cp >= 0xd800 && cp <= 0xdfff);
}

/** The name part of the SDK's PREFIX_KEY: what it accepts after `[profile `. */
const SDK_PROFILE_NAME = /^[\w\-@+.%:/]+$/;

/**
 * Whether the SDK reads a section written for profile `name` under that name, so that fromIni can be
 * handed `name`. In the config file the header is `[profile NAME]` (or `[default]`): the SDK's
 * PREFIX_KEY rule, which allows ASCII letters, digits and _-@+.%:/ only, and not `__proto__`. In the
 * credentials file the header is `[NAME]`: the SDK keeps any name there except one it reads as
 * `[type name]` (a word, white space, then a name of those characters), an empty one, `__proto__`, a
 * name that a comment would cut (white space then # or ;) and one with a line break.
 * (The SDK also reads a config-file `[profile.NAME]` as profile NAME, whatever NAME is; that odd form
 * is not a way to write a name here, though the reader keeps it: see `ConfigFileSection.sdkVisible`.)
 */
export function sdkAcceptsProfileName(name: string, file: 'config' | 'credentials' = 'config'): boolean {
  if (BLOCKED_SECTION_NAMES.has(name)) return false;
  if (file === 'config') return SDK_PROFILE_NAME.test(name);
  return name !== '' && !/[\n]/.test(name) && !/\s[;#]/.test(name) && !PREFIX_KEY.test(name);
}

/** The text of a repeated-section warning: both places, and for each key set in both, the line that wins. */
export function repeatedText(what: string, first: string, again: string, keys: ReadonlyArray<{ readonly key: string; readonly won: string; readonly lost: string }>): string {
  const merged = keys.length ? `a key set in both takes its last value (${overrideList(keys)})` : 'no key is set in both';
  return `${what} is repeated: ${first} and ${again}. The AWS SDK merges the two and ${merged}`;
}

/** Sections of a credentials file the SDK keeps under a name no profile lookup will ever use. */
export function credentialsFileWarnings(doc: IniDocument): ConfigError[] {
  const out: ConfigError[] = [];
  for (const section of doc.sections.values()) {
    if (!section.type) continue;
    out.push(new ConfigError(`section [${section.type} ${showName(section.name)}] is ignored in the credentials file; sections there are named without a prefix, e.g. [${showName(section.name)}]`, { file: doc.file, line: section.line }));
  }
  return out;
}

/**
 * Plain-object view in the SDK's shape (what `loadSharedConfigFiles` returns for one file), for
 * comparison with the SDK. Sections without keys are left out, as the SDK does.
 */
export function toSdkShape(sections: ReadonlyMap<string, IniSection>): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [name, section] of sections) {
    if (section.entries.size === 0) continue;
    const values: Record<string, string> = {};
    for (const [k, e] of section.entries) define(values, k, e.value);
    define(out, name, values);
  }
  return out;
}

/** Assigns an own enumerable property, safe for names like `__proto__`. */
export function define<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
