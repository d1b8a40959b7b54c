// "Copy Credentials": a session rendered for every shell and tool that takes AWS credentials (issue 13).
// Pure: no vscode, no I/O. The host puts the text on the clipboard and nowhere else.
//
// Quoting, per format (each one round-trips through the real shell or a parser in
// test/unit/exportFormats.test.ts):
// - posix (bash, zsh, sh): `export NAME='value'`; inside single quotes nothing is special, a `'` is
//   written `'\''` (close, escaped quote, reopen). History expansion (`!`) never happens inside single quotes.
// - fish: `set -gx NAME 'value'`; inside fish's single quotes only `\\` and `\'` are escapes.
// - powershell: `$Env:NAME = 'value'`; a verbatim string, in which a quote is doubled. PowerShell also
//   takes the typographic quotes U+2018..U+201B as single quotes, so those are doubled too.
// - cmd: `set "NAME=value"`; inside the quotes `& | < > ^ ( )` and spaces are literal, but cmd still
//   expands `%NAME%` (and `!NAME!` with delayed expansion), and a `"` would end the quoted part. cmd has no
//   escape for those inside quotes, so such a value is refused (ExportFormatError), never mangled.
// - dotenv: `NAME="value"`, as the `dotenv` package parses it: a double-quoted value is literal except
//   that `\n` and `\r` become a newline and a carriage return. A value that double quotes cannot carry
//   literally (one with `"` or `\`) is single-quoted instead (dotenv takes single-quoted values verbatim),
//   and failing that back-quoted; a value none of them can carry is refused.
// - credentialProcess: the JSON a `credential_process` program prints (Version 1, with Expiration).
// Control characters (newlines, ESC, …) are refused in every shell and .env format: pasted into a terminal
// they would run a line early or, with ESC, end bracketed paste. Real AWS keys and tokens are base64
// (A-Z a-z 0-9 + / =), which every format carries as-is.

import type { Session } from './types';

export const EXPORT_FORMAT_IDS = ['posix', 'fish', 'powershell', 'cmd', 'dotenv', 'credentialProcess'] as const;
export type ExportFormatId = (typeof EXPORT_FORMAT_IDS)[number];

export interface ExportFormatInfo {
  readonly id: ExportFormatId;
  /** QuickPick label. */
  readonly label: string;
  /** QuickPick description: the syntax, short. */
  readonly syntax: string;
  /** QuickPick detail line: where the text goes. */
  readonly detail: string;
}

export const EXPORT_FORMATS: readonly ExportFormatInfo[] = [
  { id: 'posix', label: 'bash / zsh', syntax: "export NAME='value'", detail: 'export lines to paste into bash, zsh or sh' },
  { id: 'fish', label: 'fish', syntax: "set -gx NAME 'value'", detail: 'set -gx lines to paste into fish' },
  { id: 'powershell', label: 'PowerShell', syntax: "$Env:NAME = 'value'", detail: '$Env: assignments to paste into PowerShell or pwsh' },
  { id: 'cmd', label: 'Command Prompt (cmd)', syntax: 'set "NAME=value"', detail: 'set lines to paste into cmd.exe' },
  { id: 'dotenv', label: '.env block', syntax: 'NAME="value"', detail: 'lines for a .env file, as the dotenv package reads them' },
  { id: 'credentialProcess', label: 'credential_process JSON', syntax: '{"Version": 1, …, "Expiration"}', detail: 'the JSON a credential_process program prints (Version 1, with Expiration)' },
];

export function isExportFormatId(v: unknown): v is ExportFormatId {
  return typeof v === 'string' && (EXPORT_FORMAT_IDS as readonly string[]).includes(v);
}

/** A value this format cannot carry literally. Names the variable and the character, never the value. */
export class ExportFormatError extends Error {
  constructor(readonly format: ExportFormatId, readonly variable: string, readonly reason: string) {
    super(`${labelOf(format)} cannot hold ${variable} literally: ${reason}`);
    this.name = 'ExportFormatError';
  }
}

function labelOf(id: ExportFormatId): string {
  return EXPORT_FORMATS.find((f) => f.id === id)?.label ?? id;
}

export interface ExportOptions {
  /** Region used when the session has none (settings, profile). */
  readonly defaultRegion?: string;
}

/** The variables every shell format sets, in order. Region only when known. */
export function exportVariables(session: Session, opts: ExportOptions = {}): Array<readonly [string, string]> {
  const vars: Array<readonly [string, string]> = [
    ['AWS_ACCESS_KEY_ID', session.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', session.secretAccessKey],
    ['AWS_SESSION_TOKEN', session.sessionToken],
    ['AWS_CREDENTIAL_EXPIRATION', session.expiration.toISOString()],
  ];
  const region = session.region ?? opts.defaultRegion;
  if (region) vars.push(['AWS_REGION', region], ['AWS_DEFAULT_REGION', region]);
  return vars;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function describeChar(c: string): string {
  const code = c.codePointAt(0)!;
  if (c === '\n') return 'a newline';
  if (c === '\r') return 'a carriage return';
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `the character ${c}`;
}

function refuseControl(format: ExportFormatId, name: string, value: string): void {
  const m = CONTROL.exec(value);
  if (m) throw new ExportFormatError(format, name, `it contains ${describeChar(m[0])}`);
}

export function quotePosix(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function quoteFish(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

export function quotePowerShell(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (c) => c + c)}'`;
}

/** dotenv: double quotes unless the value has `"` or `\`; then single, then back quotes. */
export function quoteDotenv(name: string, value: string): string {
  if (!/["\\]/.test(value)) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('`')) return `\`${value}\``;
  throw new ExportFormatError('dotenv', name, 'it contains a double quote or backslash, a single quote and a back quote, which no dotenv quoting carries together');
}

function cmdLine(name: string, value: string): string {
  const bad = /[%!"]/.exec(value);
  if (bad) {
    const why = bad[0] === '"' ? 'a " would end the quoted value' : `cmd expands ${bad[0]} even inside quotes`;
    throw new ExportFormatError('cmd', name, `it contains ${bad[0]} (${why}); choose PowerShell instead`);
  }
  return `set "${name}=${value}"`;
}

/** The text for one format. Throws ExportFormatError for a value the format cannot carry literally. */
export function renderExport(format: ExportFormatId, session: Session, opts: ExportOptions = {}): string {
  if (format === 'credentialProcess') {
    return JSON.stringify({
      Version: 1,
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: session.expiration.toISOString(),
    });
  }
  const lines = exportVariables(session, opts).map(([name, value]) => {
    refuseControl(format, name, value);
    switch (format) {
      case 'posix':
        return `export ${name}=${quotePosix(value)}`;
      case 'fish':
        return `set -gx ${name} ${quoteFish(value)}`;
      case 'powershell':
        return `$Env:${name} = ${quotePowerShell(value)}`;
      case 'cmd':
        return cmdLine(name, value);
      case 'dotenv':
        return `${name}=${quoteDotenv(name, value)}`;
    }
  });
  return lines.join('\n') + (format === 'dotenv' ? '\n' : '');
}

/**
 * The formats in QuickPick order: the remembered one first; without one, the platform's usual shell
 * (PowerShell on Windows, bash/zsh elsewhere); then the rest in their usual order.
 */
export function orderedFormats(remembered: unknown, platform: string): ExportFormatId[] {
  const first: ExportFormatId = isExportFormatId(remembered) ? remembered : platform === 'win32' ? 'powershell' : 'posix';
  return [first, ...EXPORT_FORMAT_IDS.filter((id) => id !== first)];
}

/** "valid for 47 minutes, until 14:05" (local time). */
export function validityText(expiration: Date, now: number): string {
  const until = `${String(expiration.getHours()).padStart(2, '0')}:${String(expiration.getMinutes()).padStart(2, '0')}`;
  const ms = expiration.getTime() - now;
  if (ms <= 0) return `already expired at ${until}`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `valid for less than a minute, until ${until}`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const mins = `${m} minute${m === 1 ? '' : 's'}`;
  const span = h === 0 ? mins : `${h} hour${h === 1 ? '' : 's'}${m ? ` ${mins}` : ''}`;
  return `valid for ${span}, until ${until}`;
}
