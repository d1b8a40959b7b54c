// Errors of the pure core. Messages are written for the user: they name the file, the line and the
// rule that was broken, never a stack or an internal name.

export interface ConfigErrorInit {
  /** The file as given (the caller may shorten it with displayPath before display). */
  readonly file: string;
  /** 1-based line, when the problem sits on a line. */
  readonly line?: number;
  /** The profile the problem belongs to, when there is one. */
  readonly profile?: string;
}

/**
 * A problem in ~/.aws/config or ~/.aws/credentials.
 * `message` reads `<file> line <n>: <detail>` (or `<file>: <detail>` without a line).
 */
export class ConfigError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly profile?: string;
  /** The message without the file/line prefix. */
  readonly detail: string;

  constructor(detail: string, init: ConfigErrorInit) {
    const where = init.file ? `${init.file}${init.line !== undefined ? ` line ${init.line}` : ''}: ` : init.line !== undefined ? `line ${init.line}: ` : '';
    super(`${where}${detail}`);
    this.name = 'ConfigError';
    this.file = init.file;
    if (init.line !== undefined) this.line = init.line;
    if (init.profile !== undefined) this.profile = init.profile;
    this.detail = detail;
  }
}

/** A role definition (setting, form input, ARN) that breaks an AWS rule. The message names the rule. */
export class RoleValidationError extends Error {
  /** Short stable id of the rule, e.g. 'account-id', 'role-name', 'session-name'. */
  readonly rule: string;
  /** The input field the rule applies to, e.g. 'roleArn', 'accountId', 'durationSeconds'. */
  readonly field: string;
  /** Index of the item in the roleSwitcher.roles setting, when it comes from there. */
  readonly index?: number;

  constructor(rule: string, field: string, message: string, index?: number) {
    super(message);
    this.name = 'RoleValidationError';
    this.rule = rule;
    this.field = field;
    if (index !== undefined) this.index = index;
  }
}

/** Sentinel: the user (or a newer request) cancelled. Never shown to the user. */
export class CancelledError extends Error {
  constructor(message = 'Cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

export function isCancelled(e: unknown): boolean {
  if (e instanceof CancelledError) return true;
  // An AbortSignal's default reason, or a CancelledError from another copy of this module.
  const name = (e as { name?: unknown } | null | undefined)?.name;
  return name === 'CancelledError' || name === 'AbortError';
}

/**
 * Shortens `path` for display: the home directory becomes `~`.
 * `displayPath('/home/me/.aws/config', '/home/me')` → `~/.aws/config`.
 */
export function displayPath(path: string, home: string): string {
  if (!home) return path;
  const h = home.replace(/[\\/]+$/, '');
  if (!h) return path;
  const caseless = /^[a-zA-Z]:[\\/]|^\\\\/.test(h); // Windows paths compare without case
  const head = path.slice(0, h.length);
  const same = caseless ? head.toLowerCase() === h.toLowerCase() : head === h;
  if (!same) return path;
  const rest = path.slice(h.length);
  if (rest === '') return '~';
  if (rest[0] === '/' || rest[0] === '\\') return `~${rest}`;
  return path;
}

/**
 * Quotes a name from a config file for a message: control characters, bidi overrides and lone
 * surrogates become escapes (a name can never disguise the text around it), long names are cut.
 */
export function showName(name: string, max = 64): string {
  let out = '';
  let n = 0;
  for (const ch of name) {
    if (n++ >= max) {
      out += '…';
      break;
    }
    const cp = ch.codePointAt(0) ?? 0;
    const unsafe =
      cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
      (cp >= 0x2066 && cp <= 0x2069) || cp === 0xfeff || (cp >= 0xd800 && cp <= 0xdfff);
    out += unsafe ? `\\u{${cp.toString(16)}}` : ch;
  }
  return out;
}
