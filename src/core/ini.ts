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
//   - `[__proto__]` / `[profile __proto__]`: the SDK throws on them and then drops the whole file.
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
  /** Keys in file order; nested sub-section keys appear as `parent.key`, as in the SDK. */
  readonly entries: Map<string, IniEntry>;
}

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
  const report = (line: number, detail: string) => {
    if (errors.length < MAX_ERRORS) errors.push(new ConfigError(detail, { file, line }));
    else if (errors.length === MAX_ERRORS) errors.push(new ConfigError('more problems follow; only the first 200 are listed', { file, line }));
  };
  if (typeof text !== 'string') return { file, sections, errors };

  let current: IniSection | undefined;
  /** The header was read but the SDK skips the section: its keys are ignored. */
  let skipping = false;
  let subSection: string | undefined;
  let lineNo = 1;

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

    if (trimmed.charCodeAt(0) === OPEN && trimmed.charCodeAt(trimmed.length - 1) === CLOSE) {
      current = undefined;
      skipping = true;
      subSection = undefined;
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
      current = sections.get(key);
      if (!current) {
        current = { key, type, name, line, entries: new Map() };
        sections.set(key, current);
      }
      continue;
    }

    const eq = trimmed.indexOf('=');
    if (eq === -1 || eq === 0) {
      // Not an assignment. An indented line continues the previous value (the SDK ignores it);
      // anything else is malformed.
      if (eq === -1 && (current || skipping) && isIndented(rawLine)) continue;
      if (trimmed.charCodeAt(0) === OPEN) {
        report(line, 'malformed section header: it must be one [name] on its own line (a comment needs a space before # or ;)');
      } else if (eq === 0) {
        report(line, 'malformed line: "=" without a key before it');
      } else {
        report(line, 'malformed line: expected "key = value", a [section] header or a comment');
      }
      continue;
    }
    if (!current) {
      if (!skipping) report(line, '"key = value" before the first [section] header; it is ignored');
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
    if (name.charCodeAt(0) === OPEN) report(line, `"${showName(name)}" looks like a section header but is read as a key (a header must be alone on its line)`);
    // Re-insert so the map keeps "last assignment wins" with the last line.
    const entries = current.entries;
    if (entries.has(key)) entries.delete(key);
    entries.set(key, { key, value, line });
  }
  return { file, sections, errors };
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
 * `configFileWarnings`.
 */
export function configFileSections(doc: IniDocument): Map<string, IniSection> {
  const out = new Map<string, IniSection>();
  const plainDefault = doc.sections.get('default');
  if (plainDefault && plainDefault.entries.size > 0) out.set('default', plainDefault);
  for (const [key, section] of doc.sections) {
    const dot = key.indexOf('.');
    if (dot === -1) continue;
    const prefix = key.substring(0, dot);
    if (!(SECTION_TYPES as readonly string[]).includes(prefix)) continue;
    // Like the SDK, an empty section does not exist (and so cannot shadow [default]).
    if (section.entries.size === 0 && key === 'profile.default') continue;
    out.set(prefix === 'profile' ? key.substring(dot + 1) : key, section);
  }
  return out;
}

/** Sections of a config file the SDK ignores although the user probably meant a profile. */
export function configFileWarnings(doc: IniDocument): ConfigError[] {
  const out: ConfigError[] = [];
  for (const [key, section] of doc.sections) {
    if (key === 'default' || section.type || key.includes('.') || CLI_SECTIONS.has(key)) continue;
    const typed = /^(profile|sso-session|services)\s+(.*)$/.exec(key);
    if (typed) {
      out.push(new ConfigError(`${typed[1]} name "${showName(typed[2])}" has characters the AWS SDK does not accept (letters, digits and _-@+.%:/ only); the section is ignored`, { file: doc.file, line: section.line }));
      continue;
    }
    out.push(new ConfigError(`section [${showName(key)}] is ignored in the config file; a profile there is written [profile ${showName(key)}]`, { file: doc.file, line: section.line }));
  }
  return out;
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
