// The reference: @smithy/shared-ini-file-loader's loadSharedConfigFiles, fed the same text as our
// reader, and our reader's output in the same shape.
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

/** Plain copies (the SDK's objects may have odd prototypes) for deepStrictEqual. */
export function plain(shape: Shape): Shape {
  return JSON.parse(JSON.stringify(shape)) as Shape;
}
