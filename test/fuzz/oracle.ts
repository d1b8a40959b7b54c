// The reference: @smithy/shared-ini-file-loader's loadSharedConfigFiles, fed the same text as our
// reader, and our reader's output in the same shape.
//
// Two deliberate differences are encoded in the expected value itself (expectedShapes), each by a
// rewrite of the SDK's *input*, written here from the rules and not from the reader's code, so that
// the SDK still parses every key and every other divergence still fails:
//   1. Malformed header (a line that, with the SDK's own comment cut and trim, starts with `[` but does
//      not end with `]`): the SDK adds the keys after it to the section before it; we put them in no
//      section. The line is replaced by `[rs-oracle-malformed x]`, a header the SDK reads and whose
//      keys it drops (unknown type), exactly "no section until the next valid header".
//   2. Config-file `[profile NAME]` whose NAME only the AWS CLI accepts (botocore's shlex rule, narrowed
//      as src/core/ini.ts cliProfileName documents): we read it as profile NAME, the SDK ignores it.
//      The header is replaced by `[profile __rs_oracle_<n>__]` and the SDK's result renamed back to
//      NAME, unless the SDK already has a profile NAME (only `[profile.NAME]` can give one).
//
// Known, deliberate differences (inputs where the two are not compared):
//   - `[__proto__]` / `[profile __proto__]`: the SDK throws and drops the whole file; we report the
//     line and keep the rest.
//   - Section names or keys that are Object.prototype members (`constructor`, `toString`,
//     `__proto__`, ...): the SDK's plain-object map loses them (and `[constructor]` even writes the
//     keys onto the global `Object` function: `[constructor]` + `keys = x` replaces Object.keys).
//     We keep them. Such inputs are never handed to the SDK at all.

import { externalDataInterceptor, loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { configFileSections, parseIni, toSdkShape } from '../../src/core/ini';

export type Shape = Record<string, Record<string, string>>;

export interface BothShapes {
  readonly config: Shape;
  readonly credentials: Shape;
}

const PROTO_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Text as the SDK sees it after reading the file as UTF-8 (lone surrogates become U+FFFD). */
export function asRead(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** Our reader, in the SDK's shape. `text` should already be `asRead`. */
export function ourShapes(configText: string, credentialsText: string): BothShapes {
  const config = parseIni(configText, 'config');
  const credentials = parseIni(credentialsText, 'credentials');
  return { config: toSdkShape(configFileSections(config)), credentials: toSdkShape(credentials.sections) };
}

/**
 * Whether the SDK can be compared with us on this pair of files: no blocked section names (the SDK
 * drops the file) and no names the SDK's plain objects cannot hold (it corrupts globals).
 */
export function comparable(configText: string, credentialsText: string): boolean {
  for (const text of [configText, credentialsText]) {
    if (text.includes(PLACEHOLDER)) return false;
    const doc = parseIni(text, 'x');
    if (doc.errors.some((e) => e.message.includes('is not allowed'))) return false;
    for (const name of configFileSections(doc).keys()) if (PROTO_NAMES.has(name)) return false;
    for (const s of doc.sections.values()) {
      if (PROTO_NAMES.has(s.key) || PROTO_NAMES.has(s.name)) return false;
      for (const k of s.entries.keys()) if (PROTO_NAMES.has(k)) return false;
    }
  }
  return true;
}

let counter = 0;

/** The SDK's view of the two texts, read through its file interceptor (no disk). */
export async function sdkShapes(configText: string, credentialsText: string): Promise<BothShapes> {
  const id = `${process.pid}-${counter++}`;
  const configFilepath = `/__role-switcher-oracle__/${id}/config`;
  const filepath = `/__role-switcher-oracle__/${id}/credentials`;
  externalDataInterceptor.interceptFile(configFilepath, configText);
  externalDataInterceptor.interceptFile(filepath, credentialsText);
  try {
    const out = await loadSharedConfigFiles({ configFilepath, filepath, ignoreCache: true });
    return { config: out.configFile as Shape, credentials: out.credentialsFile as Shape };
  } finally {
    const record = externalDataInterceptor.getFileRecord() as Record<string, unknown>;
    delete record[configFilepath];
    delete record[filepath];
  }
}

const PLACEHOLDER = '__rs_oracle_';
const MALFORMED_STANDIN = '[rs-oracle-malformed x]';

/** The SDK's line handling (parseIni): split, comment cut, trim. */
function sdkTrim(line: string): string {
  return line.split(/(^|\s)[;#]/)[0].trim();
}

/**
 * The name botocore reads from config-file section `section` where the SDK's pattern does not, under
 * the narrowing the extension documents: `profile`, spaces/tabs, one shlex word (bare, or in matching
 * quotes with plain spaces allowed inside), no quote or backslash inside, no control, bidi, zero-width
 * or separator character, and not a name the SDK's pattern itself accepts.
 */
export function cliOnlyProfileName(section: string): string | undefined {
  const m = /^profile[ \t]+(?:"([^"]*)"|'([^']*)'|([^\s"']+))$/.exec(section);
  if (!m) return undefined;
  const name = m[1] ?? m[2] ?? m[3];
  if (name === '' || /["'\\]/.test(name)) return undefined;
  if (/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]/u.test(name)) return undefined;
  if (/[^\S ]/.test(name)) return undefined;
  if (/^[A-Za-z0-9_\-@+.%:/]+$/.test(name)) return undefined;
  return name;
}

interface Rewritten {
  readonly text: string;
  /** placeholder profile name -> the name we read */
  readonly names: Map<string, string>;
}

/** The input the SDK gets so that its output is our expected output (see the top of this file). */
export function rewriteForSdk(text: string, kind: 'config' | 'credentials'): Rewritten {
  const names = new Map<string, string>();
  const byName = new Map<string, string>();
  const lines = text.split(/\r?\n/).map((line) => {
    const t = sdkTrim(line);
    if (t[0] !== '[') return line;
    if (t[t.length - 1] !== ']') return MALFORMED_STANDIN;
    if (kind !== 'config') return line;
    const name = cliOnlyProfileName(t.slice(1, -1));
    if (name === undefined) return line;
    let ph = byName.get(name);
    if (ph === undefined) {
      ph = `${PLACEHOLDER}${byName.size}__`;
      byName.set(name, ph);
      names.set(ph, name);
    }
    return `[profile ${ph}]`;
  });
  return { text: lines.join('\n'), names };
}

/** The SDK's config shape with the placeholders of rewriteForSdk turned back into names. */
export function renameBack(shape: Shape, names: ReadonlyMap<string, string>): Shape {
  const out: Shape = {};
  for (const [k, v] of Object.entries(shape)) if (!names.has(k)) out[k] = v;
  for (const [ph, name] of names) {
    if (shape[ph] !== undefined && !Object.prototype.hasOwnProperty.call(out, name)) out[name] = shape[ph];
  }
  return out;
}

/**
 * What our reader must yield: the SDK's result on the rewritten input. The raw SDK result differs
 * from it only by the two rules at the top of this file.
 */
export async function expectedShapes(configText: string, credentialsText: string): Promise<BothShapes> {
  const config = rewriteForSdk(configText, 'config');
  const credentials = rewriteForSdk(credentialsText, 'credentials');
  const sdk = await sdkShapes(config.text, credentials.text);
  return { config: renameBack(sdk.config, config.names), credentials: sdk.credentials };
}

/** Plain copies (the SDK's objects may have odd prototypes) for deepStrictEqual. */
export function plain(shape: Shape): Shape {
  return JSON.parse(JSON.stringify(shape)) as Shape;
}
