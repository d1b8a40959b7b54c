// Config-file fuzzer. `npx tsx test/fuzz/run.ts [--seconds N] [--seed S] [--only I]`
//
// Starts from the fixture configs in test/fixtures/config and mutates them (random bytes, cuts,
// duplicated sections, source_profile cycles, garbage duration_seconds, invalid ARNs, multi-MB
// files, odd Unicode). For each input, loadProfiles + resolveRoleProfile (every profile) +
// rolesFromProfiles + groupByAccount may only return results or throw ConfigError (with the file,
// and a line inside it where there is one). Our ini reader must also agree with the SDK's
// (@smithy/shared-ini-file-loader) on every input both accept, up to the two deliberate differences
// oracle.ts encodes (malformed headers, CLI-only profile names); see oracle.ts for the exceptions.
//
// Input i of seed S is generated from (S, i) alone, so `--seed S --only i` replays it.

import { mkdirSync, readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseRoleArn } from '../../src/core/arn';
import { ConfigError } from '../../src/core/errors';
import { loadProfiles, MAX_HOPS, resolveRoleProfile, type AwsFilePaths } from '../../src/core/profiles';
import { groupByAccount, rolesFromProfiles } from '../../src/core/roles';
import { asRead, comparable, expectedShapes, ourShapes, plain } from './oracle';
import { prng } from '../helpers/prng';

export const DEFAULT_SEED = 0x5eed_c0de;

export interface FuzzOptions {
  /** Wall-clock budget. Default 30. */
  readonly seconds?: number;
  readonly seed?: number;
  /** Stop after this many inputs (whichever comes first). */
  readonly maxInputs?: number;
  /** Run only input `only` of the seed (replay). */
  readonly only?: number;
  /** Compare with the SDK's reader. Default true. */
  readonly differential?: boolean;
  /** Where failure-<n>.txt files go. Default test-output/fuzz. */
  readonly outDir?: string;
  readonly log?: (line: string) => void;
}

export interface FuzzResult {
  readonly seed: number;
  readonly inputs: number;
  readonly failures: number;
  /** Inputs with no ConfigError at all. */
  readonly accepted: number;
  /** Inputs with at least one ConfigError (from loading or resolving). */
  readonly rejected: number;
  /** Inputs compared with the SDK's reader. */
  readonly compared: number;
  /** Inputs over 1 MB. */
  readonly huge: number;
  readonly rolesResolved: number;
  readonly failureFiles: string[];
}

const PATHS: AwsFilePaths = { config: '/fuzz/home/.aws/config', credentials: '/fuzz/home/.aws/credentials' };

// ---------------------------------------------------------------- PRNG

export { prng };

function mix(seed: number, i: number): number {
  let h = (seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

class Rand {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------- corpus

interface Input {
  config: string;
  credentials: string;
}

export function loadCorpus(dir = path.join(__dirnameOf(), '..', 'fixtures', 'config')): Input[] {
  const out: Input[] = [];
  for (const d of readdirSync(dir).sort()) {
    const read = (f: string) => (existsSync(path.join(dir, d, f)) ? readFileSync(path.join(dir, d, f), 'utf8') : '');
    out.push({ config: read('config'), credentials: read('credentials') });
  }
  // A few hand-written seeds that are not fixture files.
  out.push({ config: '', credentials: '' });
  out.push({ config: '[profile r]\nrole_arn = arn:aws:iam::123456789012:role/R\nsource_profile = default\n', credentials: '[default]\naws_access_key_id = A\naws_secret_access_key = B\n' });
  // Names only the AWS CLI reads, a malformed header between a role and its would-be keys, repeats.
  out.push({
    config: '[profile prod-éü-日本]\nrole_arn = arn:aws:iam::123456789012:role/U\nsource_profile = base.é\n[profile "two words"]\nregion = eu-west-1\n' +
      '[profile ok]\nrole_arn = arn:aws:iam::123456789012:role/Ok\nsource_profile = default\n[profile broken\nduration_seconds = 1\n[profile ok]\nregion = us-east-1\n',
    credentials: '[base.é]\naws_access_key_id = A\naws_secret_access_key = B\n[default]\naws_access_key_id = A\naws_secret_access_key = B\n',
  });
  return out;
}

function __dirnameOf(): string {
  // Works under tsx in both CJS and ESM modes.
  if (typeof __dirname === 'string') return __dirname;
  return path.resolve('test', 'fuzz');
}

// ---------------------------------------------------------------- mutators

const ODD = [
  '\u202e', '\u202d', '\u200f', '\u200e', '\u2066', '\u2069', // bidi
  '🙂', '👩‍💻', '🏳️‍🌈', '\u0301', '\u0308\u0308\u0308', 'e\u0301', // emoji, combining
  '\ud800', '\udc00', '\udbff', // lone surrogates
  '\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085', // controls
  '\ufeff', '\u2028', '\u2029', '\u00a0', '\u3000', '\u200b', // BOM, separators, odd spaces
  '＝', '［', '］', '＃', '；', 'İ', 'ß', 'ﬁ', '𝔞', // lookalikes, case-folding traps
];
const SYNTAX = ['[', ']', '=', '#', ';', ' ', '\t', '\n', '\r', '\r\n', '"', "'", '.', '/', ':', '\\', '[profile ', '[default]\n', ' = ', '\n  ', '[sso-session ', '[services '];
const NAMES = ['default', 'a', 'b', 'c', 'x', 'dev', 'prod', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'profile', 'sso-dev', 's3-Full-Access', 'chained-deploy', '🙂', 'a b', 'ünï', '', ' ', 'self', 'prod-éü-日本', 'a.b@c+d', 'a#b', '"two words"', "'日本'", 'é"x'];
const BAD_DURATIONS = ['', 'abc', '-1', '0', '899', '900', '43200', '43201', '1e3', '3600.5', '0x10', '99999999999999999999', '３６００', '3600 # c', '3600s', ' 900', 'NaN', 'Infinity', '1_000'];
const BAD_ARNS = [
  '', 'arn', 'arn:', 'arn:aws', 'arn:aws:iam::123456789012', 'arn:aws:iam::123456789012:', 'arn:aws:iam::123456789012:role/',
  'arn:aws:iam::123456789012:role', 'arn:aws:iam::12345678901:role/R', 'arn:aws:iam::1234567890123:role/R', 'arn:aws:iam::12345678901a:role/R',
  'arn:aws:iam:us-east-1:123456789012:role/R', 'arn:aws:sts::123456789012:role/R', 'arn:aws-mars:iam::123456789012:role/R',
  'arn:aws:iam::123456789012:user/R', 'arn:aws:iam::123456789012:role/a b', 'arn:aws:iam::123456789012:role//R',
  `arn:aws:iam::123456789012:role/${'x'.repeat(65)}`, `arn:aws:iam::123456789012:role/${'p/'.repeat(300)}R`, 'ARN:AWS:IAM::123456789012:ROLE/R',
  'arn:aws:iam::123456789012:role/path/🙂', 'arn:aws:iam::123456789012:role/\u202eR', 'arn:aws:iam::123456789012:role/R\u0000',
  'arn:aws-cn:iam::123456789012:role/ok', 'arn:aws-us-gov:iam::123456789012:role/p/q/ok', 'arn:aws:iam::123456789012:role/a:b/ok',
];
const KEYS = ['role_arn', 'source_profile', 'credential_source', 'mfa_serial', 'external_id', 'duration_seconds', 'role_session_name', 'region', 'aws_access_key_id', 'aws_secret_access_key', 'sso_session', 'credential_process', 'web_identity_token_file', 'Role_Arn', 'role_arn ', 's3'];
const VALUES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer', 'Bogus', 'arn:aws:iam::123456789012:mfa/u', 'x', 'ab', 'a b c', 'us-east-1', 'AKIAEXAMPLE', '"quoted"', '# not a value'];

type Mutator = (s: string, r: Rand, other: Input) => string;

const at = (s: string, r: Rand) => r.int(s.length + 1);
const insert = (s: string, i: number, t: string) => s.slice(0, i) + t + s.slice(i);
const lineStarts = (s: string): number[] => {
  const out = [0];
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
};
const atLine = (s: string, r: Rand) => r.pick(lineStarts(s));
const sectionBlocks = (s: string): string[] => s.split(/(?=^\[)/m).filter((b) => b.startsWith('['));

const MUTATORS: Array<[weight: number, name: string, fn: Mutator]> = [
  [10, 'random bytes', (s, r) => {
    let t = '';
    for (let n = r.range(1, 16); n > 0; n--) t += r.chance(0.5) ? String.fromCharCode(r.int(0x80)) : r.chance(0.5) ? r.pick(SYNTAX) : String.fromCharCode(r.int(0x10000));
    return insert(s, at(s, r), t);
  }],
  [6, 'truncate', (s, r) => s.slice(0, at(s, r))],
  [4, 'delete range', (s, r) => {
    const i = at(s, r);
    return s.slice(0, i) + s.slice(i + r.range(1, 64));
  }],
  [6, 'duplicate section', (s, r) => {
    const blocks = sectionBlocks(s);
    if (!blocks.length) return s;
    return insert(s, r.chance(0.5) ? s.length : atLine(s, r), `\n${r.pick(blocks)}\n`);
  }],
  [6, 'source_profile cycle', (s, r) => {
    const n = r.range(1, 4);
    const names = Array.from({ length: n }, (_, k) => (r.chance(0.7) ? `cyc${k}` : r.pick(NAMES)));
    let t = '';
    names.forEach((nm, k) => {
      t += `\n[profile ${nm}]\nrole_arn = arn:aws:iam::123456789012:role/Cyc${k}\nsource_profile = ${names[(k + 1) % n]}\n`;
      if (r.chance(0.2)) t += 'aws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n';
    });
    if (r.chance(0.3)) t += `\n[profile into-cycle]\nrole_arn = arn:aws:iam::123456789012:role/Into\nsource_profile = ${names[0]}\n`;
    return r.chance(0.5) ? s + t : insert(s, atLine(s, r), t);
  }],
  [5, 'garbage duration_seconds', (s, r) => insert(s, atLine(s, r), `duration_seconds = ${r.pick(BAD_DURATIONS)}\n`)],
  [6, 'invalid ARN', (s, r) => {
    let arn = r.pick(BAD_ARNS);
    if (r.chance(0.4)) {
      const valid = 'arn:aws:iam::123456789012:role/path/Name';
      const i = r.int(valid.length);
      arn = r.chance(0.5) ? valid.slice(0, i) + valid.slice(i + 1) : insert(valid, i, r.pick([...SYNTAX, ...ODD]));
    }
    if (r.chance(0.5) && /role_arn\s*=/.test(s)) {
      const matches = [...s.matchAll(/role_arn\s*=[^\n]*/g)];
      const m = r.pick(matches);
      return s.slice(0, m.index) + `role_arn = ${arn}` + s.slice((m.index ?? 0) + m[0].length);
    }
    return insert(s, atLine(s, r), `role_arn = ${arn}\n`);
  }],
  [6, 'odd unicode', (s, r) => {
    let t = '';
    for (let n = r.range(1, 6); n > 0; n--) t += r.pick(ODD);
    return insert(s, at(s, r), t);
  }],
  [6, 'line ops', (s, r) => {
    const lines = s.split('\n');
    const i = r.int(lines.length);
    switch (r.int(6)) {
      case 0: lines.splice(i, 1); break;
      case 1: lines.splice(r.int(lines.length), 0, lines[i] ?? ''); break;
      case 2: lines[i] = `${r.pick(['  ', '\t', ' ', '\u00a0', '\ufeff'])}${lines[i] ?? ''}`; break;
      case 3: lines[i] = (lines[i] ?? '').trimStart(); break;
      case 4: return lines.join(r.pick(['\r\n', '\r', '\n\n', '\r\r\n']));
      default: {
        const j = r.int(lines.length);
        [lines[i], lines[j]] = [lines[j], lines[i]];
      }
    }
    return lines.join('\n');
  }],
  [5, 'key/value', (s, r) => {
    const v = r.chance(0.5) ? r.pick(VALUES) : r.chance(0.5) ? r.pick(NAMES) : r.pick(BAD_ARNS);
    return insert(s, atLine(s, r), `${r.pick(['', ' ', '  '])}${r.pick(KEYS)}${r.pick(['=', ' = ', ' =', '= ', ' '])}${v}${r.pick(['', ' # c', ';c', ' ;c'])}\n`);
  }],
  [5, 'section header', (s, r) => {
    const nm = r.pick(NAMES);
    const h = r.pick([`[profile ${nm}]`, `[${nm}]`, `[profile '${nm}']`, `[profile "${nm}']`, `[sso-session ${nm}]`, `[services ${nm}]`, `[other ${nm}]`, `[profile.${nm}]`, `[ ${nm} ]`, `[profile ${nm}`, `[profile ${nm}]x`, `[profile ${nm}] # c`, '[]', '[[x]]']);
    return insert(s, atLine(s, r), `${h}\n`);
  }],
  [4, 'source_profile retarget', (s, r) => insert(s, atLine(s, r), `source_profile = ${r.pick(NAMES)}\n`)],
  [3, 'splice other file', (s, r, other) => {
    const o = r.chance(0.5) ? other.config : other.credentials;
    const i = r.int(o.length + 1);
    return insert(s, at(s, r), o.slice(i, i + r.range(1, 400)));
  }],
  [2, 'deep chain', (s, r) => {
    const n = r.range(MAX_HOPS - 2, MAX_HOPS + 3);
    let t = '\n[profile deep0]\naws_access_key_id = A\naws_secret_access_key = B\n';
    for (let k = 1; k <= n; k++) t += `[profile deep${k}]\nrole_arn = arn:aws:iam::123456789012:role/D${k}\nsource_profile = deep${k - 1}\n`;
    return s + t;
  }],
];
const TOTAL_WEIGHT = MUTATORS.reduce((a, [w]) => a + w, 0);

function pickMutator(r: Rand): [string, Mutator] {
  let x = r.int(TOTAL_WEIGHT);
  for (const [w, name, fn] of MUTATORS) {
    if (x < w) return [name, fn];
    x -= w;
  }
  return [MUTATORS[0][1], MUTATORS[0][2]];
}

/** Blows a text up to a few MB in one of several shapes. */
function huge(s: string, r: Rand): string {
  const target = r.range(1, 3) * 1024 * 1024;
  switch (r.int(4)) {
    case 0: { // many copies of the file
      const unit = s.length > 0 ? s + '\n' : '[profile p]\nregion = us-east-1\n';
      return unit.repeat(Math.ceil(target / unit.length));
    }
    case 1: // one huge line
      return `${s}\n${r.pick(['region = ', '[profile ', '# ', 'x', ' ; '])}${r.pick(['a', '#', ' #', '=', '\u202e'.concat('x')]).repeat(Math.ceil(target / 2))}\n`;
    case 2: { // many distinct profiles
      let t = s;
      for (let k = 0; t.length < target; k++) t += `[profile p${k}]\nrole_arn = arn:aws:iam::123456789012:role/P${k}\nsource_profile = p${k + 1}\n`;
      return t;
    }
    default: // garbage lines
      return s + '\n' + 'garbage line without equals\n'.repeat(Math.ceil(target / 28));
  }
}

/** Input i of a seed. */
export function generate(seed: number, i: number, corpus: readonly Input[]): { input: Input; steps: string[] } {
  const r = new Rand(prng(mix(seed, i)));
  const base = r.pick(corpus);
  const other = r.pick(corpus);
  let { config, credentials } = base;
  const steps: string[] = [];
  for (let n = r.range(1, 5); n > 0; n--) {
    const [name, fn] = pickMutator(r);
    steps.push(name);
    if (r.chance(0.75)) config = fn(config, r, other);
    else credentials = fn(credentials, r, other);
  }
  if (r.chance(1 / 200)) {
    steps.push('huge');
    if (r.chance(0.7)) config = huge(config, r);
    else credentials = huge(credentials, r);
  }
  return { input: { config, credentials }, steps };
}

// ---------------------------------------------------------------- checks

function lineCount(text: string): number {
  // Same counting as the reader: \r\n, \n and a lone \r each end a line.
  let n = 1;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 10) n++;
    else if (c === 13 && text.charCodeAt(k + 1) !== 10) n++;
  }
  return n;
}

const lineCounts = new Map<string, number>();

function linesOf(text: string): number {
  let n = lineCounts.get(text);
  if (n === undefined) {
    if (lineCounts.size > 4) lineCounts.clear();
    n = lineCount(text);
    lineCounts.set(text, n);
  }
  return n;
}

function checkConfigError(e: unknown, input: Input, where: string): string | undefined {
  if (!(e instanceof ConfigError)) return `${where}: threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`;
  if (e.file !== PATHS.config && e.file !== PATHS.credentials) return `${where}: ConfigError without a known file: ${JSON.stringify(e.file)} (${e.message})`;
  if (e.line !== undefined) {
    const text = e.file === PATHS.config ? input.config : input.credentials;
    if (!Number.isInteger(e.line) || e.line < 1 || e.line > linesOf(text)) return `${where}: ConfigError line ${e.line} outside the file (${linesOf(text)} lines): ${e.message}`;
  }
  if (!e.message || !e.message.startsWith(e.file)) return `${where}: ConfigError message does not name the file: ${e.message}`;
  return undefined;
}

interface CheckResult {
  problem?: string;
  rejected: boolean;
  roles: number;
}

function check(input: Input): CheckResult {
  let rejected = false;
  let loaded: ReturnType<typeof loadProfiles>;
  try {
    loaded = loadProfiles({ configText: input.config, credentialsText: input.credentials, paths: PATHS });
  } catch (e) {
    return { problem: `loadProfiles threw: ${e instanceof Error ? e.stack : String(e)}`, rejected: true, roles: 0 };
  }
  for (const e of loaded.errors) {
    const p = checkConfigError(e, input, 'loadProfiles error');
    if (p) return { problem: p, rejected: true, roles: 0 };
    rejected = true;
  }
  for (const p of loaded.profiles.values()) {
    try {
      const res = resolveRoleProfile(loaded.profiles, p.name, { configFile: PATHS.config });
      if (p.role_arn === undefined) return { problem: `resolveRoleProfile accepted "${p.name}" without role_arn`, rejected, roles: 0 };
      if (res.hops.length < 1 || res.hops.length > MAX_HOPS) return { problem: `resolveRoleProfile("${p.name}") gave ${res.hops.length} hops`, rejected, roles: 0 };
      if (res.hops[res.hops.length - 1].roleArn !== p.role_arn) return { problem: `resolveRoleProfile("${p.name}") last hop is not the profile's role`, rejected, roles: 0 };
      for (const h of res.hops) parseRoleArn(h.roleArn);
      if (res.base.kind === 'profile' && !loaded.profiles.has(res.base.profile)) return { problem: `resolveRoleProfile("${p.name}") base profile does not exist`, rejected, roles: 0 };
    } catch (e) {
      const prob = checkConfigError(e, input, `resolveRoleProfile("${p.name}")`);
      if (prob) return { problem: prob, rejected: true, roles: 0 };
      if (p.role_arn !== undefined) rejected = true;
    }
  }
  let roles: ReturnType<typeof rolesFromProfiles>;
  try {
    roles = rolesFromProfiles(loaded.profiles);
    groupByAccount(roles.roles, new Map());
  } catch (e) {
    return { problem: `rolesFromProfiles/groupByAccount threw: ${e instanceof Error ? e.stack : String(e)}`, rejected: true, roles: 0 };
  }
  for (const e of roles.errors) {
    const p = checkConfigError(e, input, 'rolesFromProfiles error');
    if (p) return { problem: p, rejected: true, roles: 0 };
    rejected = true;
  }
  const ids = new Set(roles.roles.map((r) => r.id));
  if (ids.size !== roles.roles.length) return { problem: 'rolesFromProfiles returned duplicate ids', rejected, roles: 0 };
  return { rejected, roles: roles.roles.length };
}

async function differential(input: Input): Promise<string | undefined> {
  const ours = ourShapes(input.config, input.credentials);
  const sdk = await expectedShapes(input.config, input.credentials);
  const a = { config: plain(ours.config), credentials: plain(ours.credentials) };
  const b = { config: plain(sdk.config), credentials: plain(sdk.credentials) };
  if (isDeepStrictEqual(a, b)) return undefined;
  return `differs from @smithy/shared-ini-file-loader (on the input oracle.ts rewrites for the two deliberate differences):\n ours: ${clip(JSON.stringify(a), 1500)}\n sdk:  ${clip(JSON.stringify(b), 1500)}`;
}

// ---------------------------------------------------------------- runner

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s;
}

/** JSON-style escaping that shows control characters, bidi marks and lone surrogates. */
function escape(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export async function runFuzz(opts: FuzzOptions = {}): Promise<FuzzResult> {
  const seed = (opts.seed ?? DEFAULT_SEED) >>> 0;
  const seconds = opts.seconds ?? 30;
  const log = opts.log ?? ((l: string) => console.log(l));
  const outDir = opts.outDir ?? path.resolve('test-output', 'fuzz');
  const corpus = loadCorpus();
  const deadline = Date.now() + seconds * 1000;
  const failureFiles: string[] = [];
  let inputs = 0;
  let failures = 0;
  let accepted = 0;
  let rejected = 0;
  let compared = 0;
  let hugeCount = 0;
  let rolesResolved = 0;

  const first = opts.only ?? 0;
  for (let i = first; ; i++) {
    if (opts.only !== undefined ? i > opts.only : Date.now() >= deadline || (opts.maxInputs !== undefined && inputs >= opts.maxInputs)) break;
    const { input: generated, steps } = generate(seed, i, corpus);
    // The SDK reads files as UTF-8; feed both readers the text a file read would give.
    const input = { config: asRead(generated.config), credentials: asRead(generated.credentials) };
    inputs++;
    if (input.config.length + input.credentials.length > 1024 * 1024) hugeCount++;
    let problem: string | undefined;
    try {
      const res = check(input);
      problem = res.problem;
      if (res.rejected) rejected++;
      else accepted++;
      rolesResolved += res.roles;
      if (!problem && opts.differential !== false && comparable(input.config, input.credentials)) {
        compared++;
        problem = await differential(input);
      }
    } catch (e) {
      problem = `fuzzer check threw: ${e instanceof Error ? e.stack : String(e)}`;
    }
    if (problem) {
      failures++;
      const file = path.join(outDir, `failure-${failures}.txt`);
      try {
        mkdirSync(outDir, { recursive: true });
        writeFileSync(file, JSON.stringify({ seed, iteration: i, steps, problem, config: input.config, credentials: input.credentials }, null, 2));
        failureFiles.push(file);
      } catch {
        // reporting must not hide the failure itself
      }
      log(`FAILURE seed=${seed} iteration=${i} (replay: npx tsx test/fuzz/run.ts --seed ${seed} --only ${i})`);
      log(`  mutations: ${steps.join(', ')}`);
      log(`  ${problem}`);
      log(`  config:      ${clip(escape(input.config), 1000)}`);
      log(`  credentials: ${clip(escape(input.credentials), 1000)}`);
      log(`  whole input: ${file}`);
      if (failures >= 20) break;
    }
  }
  return { seed, inputs, failures, accepted, rejected, compared, huge: hugeCount, rolesResolved, failureFiles };
}

// ---------------------------------------------------------------- CLI

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

const isMain = /[\\/]fuzz[\\/]run\.[cm]?[jt]s$/.test(process.argv[1] ?? '');
if (isMain) {
  const seedArg = arg('--seed');
  const only = arg('--only');
  runFuzz({
    seconds: Number(arg('--seconds') ?? 30),
    seed: seedArg !== undefined ? Number(seedArg) : DEFAULT_SEED,
    ...(only !== undefined ? { only: Number(only) } : {}),
  }).then(
    (r) => {
      console.log(`seed ${r.seed}: ${r.accepted} accepted, ${r.rejected} rejected, ${r.compared} compared with the SDK, ${r.huge} over 1 MB, ${r.rolesResolved} roles resolved`);
      console.log(`${r.inputs} inputs, ${r.failures} failures`);
      process.exitCode = r.failures > 0 ? 1 : 0;
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 2;
    },
  );
}
