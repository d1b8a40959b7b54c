// Profiles of the AWS shared config and credentials files, with file and line for every value, and
// the resolution of a role profile's `source_profile` chain into AssumeRole hops.
//
// Resolution follows @aws-sdk/credential-provider-ini (fromIni) so a profile means here what it
// means to the SDK and the CLI, with one documented exception (see resolveRoleProfile).

import { readFile, stat } from 'node:fs/promises';
import * as nodePath from 'node:path';
import { parseRoleArn, validateSessionName, type RoleArn } from './arn';
import { ConfigError, RoleValidationError, showName } from './errors';
import { configFileSections, configFileWarnings, credentialsFileWarnings, define, overrideList, parseIni, type IniSection } from './ini';
import { isSsoProfile, ssoRefOf } from './ssoConfig';
import type { AssumeHop, BaseSource } from './types';

export interface AwsFilePaths {
  readonly config: string;
  readonly credentials: string;
}

/** Files over this size are refused (a config file is a few KB; this is a mistake or an attack). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** Longest `source_profile` chain (number of AssumeRole hops) accepted. */
export const MAX_HOPS = 10;

/** The paths the SDK reads: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/{config,credentials}. */
export function awsFilePaths(env: NodeJS.ProcessEnv, homedir: string): AwsFilePaths {
  const expand = (p: string) => {
    if (p === '~') return homedir;
    if (p.startsWith('~/') || p.startsWith('~\\')) return nodePath.join(homedir, p.slice(2));
    return p;
  };
  // An empty variable counts as unset, as in the SDK (`process.env[X] || default`).
  return {
    config: expand(env.AWS_CONFIG_FILE || nodePath.join(homedir, '.aws', 'config')),
    credentials: expand(env.AWS_SHARED_CREDENTIALS_FILE || nodePath.join(homedir, '.aws', 'credentials')),
  };
}

export interface AwsFiles {
  readonly paths: AwsFilePaths;
  /** undefined when the file does not exist (or could not be read; then `errors` says why). */
  readonly configText?: string;
  readonly credentialsText?: string;
  /** Files that exist but were refused (too large) or unreadable. loadProfiles passes them on. */
  readonly errors?: ConfigError[];
}

/** Reads both files as UTF-8 (as the SDK does). A missing file is not an error. Never rejects. */
export async function readAwsFiles(env: NodeJS.ProcessEnv, homedir: string): Promise<AwsFiles> {
  const paths = awsFilePaths(env, homedir);
  const errors: ConfigError[] = [];
  const read = async (file: string): Promise<string | undefined> => {
    try {
      const st = await stat(file);
      if (st.size > MAX_FILE_BYTES) throw tooLarge(file, st.size);
      const buf = await readFile(file);
      if (buf.length > MAX_FILE_BYTES) throw tooLarge(file, buf.length);
      return buf.toString('utf8');
    } catch (e) {
      if (e instanceof ConfigError) errors.push(e);
      else if ((e as NodeJS.ErrnoException)?.code !== 'ENOENT' && (e as NodeJS.ErrnoException)?.code !== 'ENOTDIR') {
        errors.push(new ConfigError(`cannot be read (${(e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message ?? 'unknown error'})`, { file }));
      }
      return undefined;
    }
  };
  const [configText, credentialsText] = await Promise.all([read(paths.config), read(paths.credentials)]);
  return { paths, configText, credentialsText, errors };
}

function tooLarge(file: string, bytes: number): ConfigError {
  return new ConfigError(`is ${(bytes / 1024 / 1024).toFixed(1)} MB; files over ${MAX_FILE_BYTES / 1024 / 1024} MB are not read`, { file });
}

/** One value of a profile and where it was set. */
export interface ProfileValue {
  readonly value: string;
  readonly file: string;
  readonly line: number;
}

export interface Profile {
  readonly name: string;
  /** Where the profile is first defined (config file before credentials file). */
  readonly file: string;
  readonly line: number;
  readonly role_arn?: string;
  readonly source_profile?: string;
  readonly credential_source?: string;
  readonly mfa_serial?: string;
  readonly external_id?: string;
  /** Set only when the value is a decimal integer; the raw text is in `raw`. */
  readonly duration_seconds?: number;
  readonly role_session_name?: string;
  readonly region?: string;
  readonly sso_session?: string;
  readonly sso_start_url?: string;
  readonly credential_process?: string;
  /** aws_access_key_id and aws_secret_access_key are both set. */
  readonly hasStaticKeys: boolean;
  /** Every key as the SDK sees it (credentials file over config file), unknown keys included. */
  readonly raw: Readonly<Record<string, string>>;
  /** Where each key of `raw` was set. */
  readonly where: ReadonlyMap<string, ProfileValue>;
  /**
   * fromIni, handed this name, reads exactly the keys in `where`: the SDK reads every section of this
   * profile under this name (a config-file `[profile NAME]` header whose NAME its pattern rejects, e.g.
   * `[profile prod-éü-日本]`, it ignores), and adds no key to it that the reader leaves out (the keys
   * after a malformed header, which the SDK puts in the section before it). When false, `sdkProblem`
   * says why, and only the extension, from `where`, has the profile as the files define it.
   */
  readonly sdkResolvable: boolean;
  /** Why `sdkResolvable` is false, in words for the user (names the file and line); else undefined. */
  readonly sdkProblem?: string;
}

export interface LoadProfilesInput {
  readonly configText?: string;
  readonly credentialsText?: string;
  readonly paths: AwsFilePaths;
  /** Errors from reading the files (readAwsFiles), passed through in front of the parse errors. */
  readonly errors?: readonly ConfigError[];
}

export interface LoadedProfiles {
  readonly profiles: Map<string, Profile>;
  readonly errors: ConfigError[];
}

interface Builder {
  name: string;
  file: string;
  line: number;
  where: Map<string, ProfileValue>;
  sdkProblem?: string;
}

/** Parses both files into profiles. Never throws; problems come back in `errors`. */
export function loadProfiles(input: LoadProfilesInput): LoadedProfiles {
  const errors: ConfigError[] = [...(input.errors ?? [])];
  const builders = new Map<string, Builder>();

  if (typeof input.configText === 'string') {
    const doc = parseIni(input.configText, input.paths.config);
    errors.push(...doc.errors, ...configFileWarnings(doc));
    for (const [name, section] of configFileSections(doc)) {
      if (section.type && section.type !== 'profile') continue; // sso-session / services blocks
      if (!section.type && name !== 'default' && !section.key.startsWith('profile.')) continue;
      const b = addSection(builders, name, section, input.paths.config);
      if (!section.sdkVisible && b.sdkProblem === undefined) {
        b.sdkProblem = `the AWS SDK does not read the header of profile "${showName(name)}" (${input.paths.config} line ${section.line}): it allows only ASCII letters, digits and _-@+.%:/ in a [profile NAME] header`;
      }
    }
  }
  if (typeof input.credentialsText === 'string') {
    const doc = parseIni(input.credentialsText, input.paths.credentials);
    errors.push(...doc.errors, ...credentialsFileWarnings(doc));
    for (const [name, section] of doc.sections) {
      if (section.type) continue;
      const b = builders.get(name);
      // The same profile in both files: the SDK merges them, the credentials file winning key by key.
      if (b) {
        const both = [...section.entries.values()].filter((e) => b.where.get(e.key)?.file === input.paths.config);
        if (both.length) {
          const keys = both.map((e) => ({ key: e.key, won: `line ${e.line}`, lost: `line ${b.where.get(e.key)?.line} of the config file` }));
          errors.push(new ConfigError(
            `profile "${showName(name)}" is defined in both ${input.paths.config} line ${b.line} and ${input.paths.credentials} line ${section.line}, and both set ${both.length === 1 ? 'a key' : 'keys'}: the AWS SDK takes the credentials file's value (${overrideList(keys)})`,
            { file: input.paths.credentials, line: section.line, profile: name },
          ));
        }
      }
      addSection(builders, name, section, input.paths.credentials);
    }
  }

  const profiles = new Map<string, Profile>();
  for (const b of builders.values()) profiles.set(b.name, buildProfile(b));
  return { profiles, errors };
}

function addSection(builders: Map<string, Builder>, name: string, section: IniSection, file: string): Builder {
  let b = builders.get(name);
  if (!b) {
    b = { name, file, line: section.line, where: new Map() };
    builders.set(name, b);
  }
  // Later file wins key by key, like the SDK's mergeConfigFiles (config, then credentials).
  const where = b.where;
  for (const e of section.entries.values()) where.set(e.key, { value: e.value, file, line: e.line });
  if (section.sdkExtraKeysAfter !== undefined && b.sdkProblem === undefined) {
    b.sdkProblem = `the AWS SDK reads the keys after the malformed header at ${file} line ${section.sdkExtraKeysAfter} into profile "${showName(name)}", which the extension leaves out`;
  }
  return b;
}

const TYPED_KEYS = ['role_arn', 'source_profile', 'credential_source', 'mfa_serial', 'external_id', 'role_session_name', 'region', 'sso_session', 'sso_start_url', 'credential_process'] as const;
const DURATION = /^\d{1,9}$/;

function buildProfile(b: Builder): Profile {
  const where = b.where;
  const raw: Record<string, string> = {};
  for (const v of where) {
    // A plain assignment is an own data property too, except for names Object.prototype already has
    // (`__proto__` above all): those go through define.
    if (v[0] in Object.prototype) define(raw, v[0], v[1].value);
    else raw[v[0]] = v[1].value;
  }
  const p: { -readonly [K in keyof Profile]: Profile[K] } = {
    name: b.name,
    file: b.file,
    line: b.line,
    hasStaticKeys: where.has('aws_access_key_id') && where.has('aws_secret_access_key'),
    raw,
    where,
    sdkResolvable: b.sdkProblem === undefined,
  };
  if (b.sdkProblem !== undefined) p.sdkProblem = b.sdkProblem;
  for (const k of TYPED_KEYS) {
    const v = where.get(k);
    if (v !== undefined) p[k] = v.value;
  }
  const duration = where.get('duration_seconds')?.value;
  if (duration !== undefined && DURATION.test(duration)) p.duration_seconds = Number(duration);
  return p;
}

export interface RoleResolution {
  /** AssumeRole steps, base-first: the last one is the profile's own role. */
  readonly hops: AssumeHop[];
  /** Where the first hop gets its credentials. */
  readonly base: BaseSource;
  /** Things the user may want to know (credential_source on EC2/ECS, a self-referencing profile). */
  readonly notes: string[];
}

const CREDENTIAL_SOURCES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer'];

/**
 * Resolves role profile `name` into hops, base-first. Throws ConfigError (with the file and line of
 * the offending value) for a missing or cyclic source_profile, both or neither of source_profile /
 * credential_source, an invalid role ARN, duration_seconds, role_session_name, external_id or
 * mfa_serial, and chains deeper than MAX_HOPS.
 *
 * Follows the AWS CLI and fromIni: a source profile with access keys ends the chain, and its keys
 * are the base, even when it also has role_arn, credential_source or credential_process; so does
 * the start profile when it is reached again (the classic `source_profile` naming itself). The base
 * is then `profileKeys`: the extension signs the first hop with those keys itself, and never hands
 * such a profile to the SDK by name, where fromIni would assume its role_arn on its own and the
 * switch would assume the role a second time, from that session (see sourceBase).
 */
export function resolveRoleProfile(
  profiles: ReadonlyMap<string, Profile>,
  name: string,
  options: { readonly configFile?: string } = {},
): RoleResolution {
  const start = profiles.get(name);
  if (!start) {
    throw new ConfigError(`profile "${showName(name)}" does not exist`, { file: options.configFile ?? '~/.aws/config', profile: name });
  }
  if (start.role_arn === undefined) {
    throw new ConfigError(`profile "${showName(name)}" has no role_arn, so it is not a role profile`, { file: start.file, line: start.line, profile: name });
  }

  const hops: AssumeHop[] = [];
  const notes: string[] = [];
  const chain: string[] = [];
  let current: Profile = start;

  for (;;) {
    const seenBefore = chain.includes(current.name);
    chain.push(current.name);

    if (current !== start && (current.role_arn === undefined || current.hasStaticKeys)) {
      return { hops, base: sourceBase(current, notes), notes };
    }
    if (seenBefore) {
      if (current.hasStaticKeys) {
        notes.push(`profile "${showName(current.name)}" is reached again through source_profile; its access keys are the base credentials`);
        return { hops, base: { kind: 'profileKeys', profile: current.name }, notes };
      }
      const prev = profiles.get(chain[chain.length - 2]);
      const at = prev ? valueAt(prev, 'source_profile') : { file: current.file, line: current.line };
      throw new ConfigError(`source_profile "${showName(current.name)}" forms a cycle: ${cycleText(chain)}`, { ...at, profile: prev?.name ?? current.name });
    }

    hops.unshift(hopOf(current));
    if (hops.length > MAX_HOPS) {
      throw new ConfigError(`the source_profile chain of profile "${showName(name)}" is longer than ${MAX_HOPS} roles: ${chain.map((c) => showName(c)).join(' → ')} → …`, {
        ...valueAt(start, 'source_profile'),
        profile: name,
      });
    }

    const src = current.source_profile;
    const cs = current.credential_source;
    if (src !== undefined && cs !== undefined) {
      throw new ConfigError(`profile "${showName(current.name)}" sets both source_profile and credential_source; keep one`, { ...valueAt(current, 'credential_source'), profile: current.name });
    }
    if (cs !== undefined) return { hops, base: credentialSourceBase(current, notes), notes };
    if (src === undefined) {
      const why = current.raw.web_identity_token_file !== undefined
        ? ' (web_identity_token_file profiles are not supported)'
        : current.sso_session !== undefined || current.sso_start_url !== undefined
          ? ' (for an SSO profile, role_arn is not used; use sso_role_name)'
          : '';
      throw new ConfigError(`profile "${showName(current.name)}" has role_arn but neither source_profile nor credential_source${why}`, {
        ...valueAt(current, 'role_arn'),
        profile: current.name,
      });
    }
    const next = profiles.get(src);
    if (!next) {
      throw new ConfigError(`source_profile "${showName(src)}" of profile "${showName(current.name)}" does not exist`, { ...valueAt(current, 'source_profile'), profile: current.name });
    }
    current = next;
  }
}

function hopOf(p: Profile): AssumeHop {
  return checkedHop(p).hop;
}

function invalid(p: Profile, key: string, e: unknown): unknown {
  if (e instanceof RoleValidationError) return new ConfigError(`${key} of profile "${showName(p.name)}": ${e.message}`, { ...valueAt(p, key), profile: p.name });
  return e;
}

const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const MFA_SERIAL = /^[\w+=/:,.@-]{9,256}$/;

/** The hop of role profile `p`, validated, and its parsed role ARN. */
function checkedHop(p: Profile): { hop: AssumeHop; arn: RoleArn } {
  const roleArn = p.role_arn ?? '';
  let arn: RoleArn;
  try {
    arn = parseRoleArn(roleArn);
  } catch (e) {
    throw invalid(p, 'role_arn', e);
  }
  const hop: { -readonly [K in keyof AssumeHop]: AssumeHop[K] } = { roleArn, profile: p.name };
  const rawDuration = p.raw.duration_seconds;
  if (rawDuration !== undefined) {
    const d = p.duration_seconds;
    if (d === undefined || d < 900 || d > 43200) {
      throw new ConfigError(`duration_seconds of profile "${showName(p.name)}" must be a whole number of seconds from 900 to 43200`, { ...valueAt(p, 'duration_seconds'), profile: p.name });
    }
    hop.durationSeconds = d;
  }
  if (p.role_session_name !== undefined) {
    try {
      validateSessionName(p.role_session_name);
    } catch (e) {
      throw invalid(p, 'role_session_name', e);
    }
    hop.roleSessionName = p.role_session_name;
  }
  if (p.external_id !== undefined) {
    if (!EXTERNAL_ID.test(p.external_id)) {
      throw new ConfigError(`external_id of profile "${showName(p.name)}" must be 2 to 1224 characters of letters, digits and +=,.@:/-_`, { ...valueAt(p, 'external_id'), profile: p.name });
    }
    hop.externalId = p.external_id;
  }
  if (p.mfa_serial !== undefined) {
    if (!MFA_SERIAL.test(p.mfa_serial)) {
      throw new ConfigError(`mfa_serial of profile "${showName(p.name)}" must be an MFA device ARN or serial number (9 to 256 characters)`, { ...valueAt(p, 'mfa_serial'), profile: p.name });
    }
    hop.mfaSerial = p.mfa_serial;
  }
  return { hop, arn };
}

/** A role profile resolved through the memo of a RoleResolver. */
interface Resolved {
  readonly hops: readonly AssumeHop[];
  readonly base: BaseSource;
  readonly notes: readonly string[];
  /** The profiles the chain visits, the start first. */
  readonly chain: readonly string[];
  /** The start's role ARN, parsed. */
  readonly arn: RoleArn;
}

/** Marks a profile whose resolution is under way (a cycle) or has to go the long way (an error, an edge case). */
const LONG_WAY = null;
const IN_PROGRESS = 0;

/**
 * Resolves the role profiles of one profile map, sharing the work of common `source_profile` chain
 * tails: with chains, resolving every profile one by one walks each tail again and again. Results
 * and errors are exactly resolveRoleProfile's, profile by profile: the memo only covers the plain
 * case (an acyclic chain within MAX_HOPS that resolves); anything else goes through
 * resolveRoleProfile itself. Hop and base objects may be shared between results; do not mutate them.
 */
export class RoleResolver {
  private readonly memo = new Map<string, Resolved | typeof LONG_WAY | typeof IN_PROGRESS>();

  constructor(private readonly profiles: ReadonlyMap<string, Profile>) {}

  /** resolveRoleProfile(profiles, name), plus the profile's parsed role ARN. */
  resolve(name: string): RoleResolution & { readonly arn: RoleArn } {
    const r = this.memoized(name, 0);
    if (r) return { hops: [...r.hops], base: r.base, notes: [...r.notes], arn: r.arn };
    const res = resolveRoleProfile(this.profiles, name);
    const start = this.profiles.get(name) as Profile;
    return { ...res, arn: parseRoleArn(start.role_arn as string) };
  }

  private memoized(name: string, depth: number): Resolved | undefined {
    const known = this.memo.get(name);
    if (known !== undefined) return known === LONG_WAY || known === IN_PROGRESS ? undefined : known;
    if (depth > MAX_HOPS) return undefined;
    this.memo.set(name, IN_PROGRESS);
    let r: Resolved | undefined;
    try {
      r = this.plain(name, depth);
    } catch {
      r = undefined;
    }
    this.memo.set(name, r ?? LONG_WAY);
    return r;
  }

  /** The resolution of `name` when it takes no edge case of resolveRoleProfile, else undefined. */
  private plain(name: string, depth: number): Resolved | undefined {
    const start = this.profiles.get(name);
    if (!start || start.role_arn === undefined) return undefined;
    const { hop, arn } = checkedHop(start);
    const src = start.source_profile;
    const cs = start.credential_source;
    if (cs !== undefined) {
      if (src !== undefined) return undefined;
      const notes: string[] = [];
      return { hops: [hop], base: credentialSourceBase(start, notes), notes, chain: [name], arn };
    }
    if (src === undefined) return undefined;
    const next = this.profiles.get(src);
    if (!next || next === start) return undefined;
    if (next.role_arn === undefined || next.hasStaticKeys) {
      const notes: string[] = [];
      return { hops: [hop], base: sourceBase(next, notes), notes, chain: [name, next.name], arn };
    }
    const tail = this.memoized(next.name, depth + 1);
    // A chain that comes back to the start resolves differently from the start (see resolveRoleProfile).
    if (!tail || tail.hops.length + 1 > MAX_HOPS || tail.chain.includes(name)) return undefined;
    return { hops: [...tail.hops, hop], base: tail.base, notes: tail.notes, chain: [name, ...tail.chain], arn };
  }
}

/**
 * The base a source profile gives (a profile reached through source_profile that ends the chain), the
 * way the AWS CLI and fromIni resolve a source profile:
 *   1. access keys win over everything else in the profile (role_arn, credential_source,
 *      credential_process): `profileKeys`, read by the extension;
 *   2. else credential_source names a provider (Environment, or the default chain on EC2/ECS);
 *   3. else an IAM Identity Center profile (no credential_process) is `{ kind: 'sso' }`: the switch
 *      gets the permission set's credentials with GetRoleCredentials (ssoConfig.ts);
 *   4. else the SDK resolves the profile by name (credential_process, login), which it can only
 *      do for a name its config-file reader accepts; for any other name this says why instead.
 */
function sourceBase(p: Profile, notes: string[]): BaseSource {
  if (p.hasStaticKeys) {
    const also = ['role_arn', 'credential_source', 'credential_process'].filter((k) => p.where.has(k));
    if (also.length) notes.push(`profile "${showName(p.name)}" has access keys and ${also.join(', ')}; as a source profile its access keys are used, as by the AWS CLI and SDKs`);
    return { kind: 'profileKeys', profile: p.name };
  }
  if (p.credential_source !== undefined) return credentialSourceBase(p, notes);
  // IAM Identity Center: the extension gets the permission set's credentials itself (GetRoleCredentials).
  if (isSsoProfile(p)) return { kind: 'sso', sso: ssoRefOf(p) };
  if (!p.sdkResolvable) {
    const what = p.sso_session !== undefined || p.sso_start_url !== undefined ? 'its SSO settings' : p.credential_process !== undefined ? 'its credential_process' : 'its credentials';
    throw new ConfigError(
      `profile "${showName(p.name)}" has no access keys, and ${what} can only be used through the AWS SDK, which cannot take this profile by name: ${p.sdkProblem ?? 'its name'}. Rename the profile, or give it aws_access_key_id and aws_secret_access_key`,
      { file: p.file, line: p.line, profile: p.name },
    );
  }
  return { kind: 'profile', profile: p.name };
}

/**
 * The base of a role that names `profileName` as its source (the roleSwitcher.roles setting's
 * sourceProfile): the profile's own hops when it is a role profile without keys, so that the whole
 * plan is the extension's, else what sourceBase says. Throws ConfigError like resolveRoleProfile.
 */
export function planFromSourceProfile(profiles: ReadonlyMap<string, Profile>, profileName: string): { hops: AssumeHop[]; base: BaseSource; notes: string[] } {
  const p = profiles.get(profileName);
  // A profile the files do not define is left to the SDK, which says what is missing.
  if (!p) return { hops: [], base: { kind: 'profile', profile: profileName }, notes: [] };
  const notes: string[] = [];
  if (p.role_arn !== undefined && !p.hasStaticKeys) return resolveRoleProfile(profiles, profileName);
  return { hops: [], base: sourceBase(p, notes), notes };
}

function credentialSourceBase(p: Profile, notes: string[]): BaseSource {
  const cs = p.credential_source ?? '';
  if (!CREDENTIAL_SOURCES.includes(cs)) {
    throw new ConfigError(`credential_source of profile "${showName(p.name)}" must be Environment, Ec2InstanceMetadata or EcsContainer, not "${showName(cs)}"`, {
      ...valueAt(p, 'credential_source'),
      profile: p.name,
    });
  }
  if (cs === 'Environment') return { kind: 'environment' };
  notes.push(`profile "${showName(p.name)}" uses credential_source ${cs}; the default credential chain provides those credentials`);
  return { kind: 'default' };
}

function valueAt(p: Profile, key: string): { file: string; line: number } {
  const w = p.where.get(key);
  return w ? { file: w.file, line: w.line } : { file: p.file, line: p.line };
}

function cycleText(chain: readonly string[]): string {
  const last = chain[chain.length - 1];
  const from = chain.indexOf(last);
  return chain.slice(from).map((c) => showName(c)).join(' → ');
}
