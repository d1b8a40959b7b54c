// The AWS CLI's IAM Identity Center token cache, `~/.aws/sso/cache/<sha1 hex>.json`.
//
// File name: the SDK (@smithy/shared-ini-file-loader `getSSOTokenFilepath`, used by
// @aws-sdk/token-providers and @aws-sdk/credential-provider-sso) and the AWS CLI v2 hash, with SHA-1 in
// hex, the sso-session NAME for `[sso-session NAME]` profiles and the start URL for the legacy
// per-profile `sso_start_url` form. The core may not import a runtime value from @smithy (layering rule,
// docs/architecture.md), and that helper reads the home directory from the process, not from a
// parameter; so this file computes the same name with node:crypto, and test/unit/ssoCache.test.ts checks
// it against `getSSOTokenFilepath` itself.
//
// Reading is always on (the user ran `aws sso login`, so they don't sign in twice) and read only.
// Writing happens only when the host's setting says so (the AWS CLI then shares our sign-in): the CLI's
// own format, mode 0600, atomically (a temp file in the same directory, then rename).
//
// Nothing read from or written to these files is ever logged: a file that is ignored is logged as
// "ignored, why" with its name only.

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import * as nodePath from 'node:path';
import type { SsoPortal, SsoTokenRecord } from './ssoTypes';

/** What the cache file is named after: the sso-session name, else the start URL (legacy and settings portals). */
export function ssoCacheKey(portal: Pick<SsoPortal, 'source' | 'sessionName' | 'startUrl'>): string {
  return portal.source === 'sso-session' && portal.sessionName ? portal.sessionName : portal.startUrl;
}

/** `<home>/.aws/sso/cache/<sha1 hex of key>.json`, as the SDK and the AWS CLI name it. */
export function ssoCacheFilePath(home: string, key: string): string {
  return nodePath.join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(key).digest('hex')}.json`);
}

/** One cache file's contents, parsed (the CLI's field names). */
export interface CliCacheEntry {
  readonly accessToken: string;
  readonly expiresAt: Date;
  readonly startUrl?: string;
  readonly region?: string;
  readonly refreshToken?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly registrationExpiresAt?: Date;
}

export type CliCacheRead =
  | { readonly ok: true; readonly entry: CliCacheEntry; readonly file: string }
  | { readonly ok: false; readonly why: 'missing' | 'unreadable' | 'malformed' | 'expired' | 'otherStartUrl'; readonly file: string };

export interface SsoCliCacheOptions {
  /** The home directory whose `.aws/sso/cache` is used (tests pass a temp home). */
  readonly home: string;
  /** Told (without contents) why a file was ignored or a write failed. */
  readonly log?: (line: string) => void;
  readonly now?: () => number;
}

/** Compares start URLs the way users type them: a trailing slash or `#` does not make another portal. */
export function sameStartUrl(a: string, b: string): boolean {
  const norm = (u: string) => u.trim().replace(/[/#]+$/, '');
  return norm(a) === norm(b);
}

function parseDate(v: unknown): Date | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const d = new Date(v);
  return Number.isFinite(d.getTime()) ? d : undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Parses a cache file's text; undefined when it is not a token file (no accessToken or expiresAt). */
export function parseCliCacheEntry(text: string): CliCacheEntry | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  const accessToken = str(o.accessToken);
  const expiresAt = parseDate(o.expiresAt);
  if (!accessToken || !expiresAt) return undefined;
  const entry: { -readonly [K in keyof CliCacheEntry]: CliCacheEntry[K] } = { accessToken, expiresAt };
  const startUrl = str(o.startUrl);
  if (startUrl) entry.startUrl = startUrl;
  const region = str(o.region);
  if (region) entry.region = region;
  const refreshToken = str(o.refreshToken);
  if (refreshToken) entry.refreshToken = refreshToken;
  const clientId = str(o.clientId);
  if (clientId) entry.clientId = clientId;
  const clientSecret = str(o.clientSecret);
  if (clientSecret) entry.clientSecret = clientSecret;
  const registrationExpiresAt = parseDate(o.registrationExpiresAt);
  if (registrationExpiresAt) entry.registrationExpiresAt = registrationExpiresAt;
  return entry;
}

/** The CLI writes `2026-12-02T07:00:00Z` (no milliseconds); the SDK's `toISOString` form reads the same. */
function cliDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class SsoCliCache {
  private readonly log: (line: string) => void;
  private readonly now: () => number;

  /** Lines already logged: the tree asks for the state often; say why a file is ignored once. */
  private readonly told = new Set<string>();

  constructor(private readonly opts: SsoCliCacheOptions) {
    const log = opts.log ?? (() => undefined);
    this.log = (line) => {
      if (this.told.has(line)) return;
      this.told.add(line);
      log(line);
    };
    this.now = opts.now ?? Date.now;
  }

  filePath(portal: SsoPortal): string {
    return ssoCacheFilePath(this.opts.home, ssoCacheKey(portal));
  }

  /** The cache file for this portal, or why it is not usable. Never throws, never logs contents. */
  async readEntry(portal: SsoPortal): Promise<CliCacheRead> {
    const file = this.filePath(portal);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, why: 'missing', file };
      this.log(`AWS CLI SSO cache ${nodePath.basename(file)} ignored: it could not be read (${typeof code === 'string' ? code : 'error'})`);
      return { ok: false, why: 'unreadable', file };
    }
    const entry = parseCliCacheEntry(text);
    if (!entry) {
      this.log(`AWS CLI SSO cache ${nodePath.basename(file)} ignored: not a token file (malformed JSON, or no accessToken/expiresAt)`);
      return { ok: false, why: 'malformed', file };
    }
    if (entry.startUrl !== undefined && !sameStartUrl(entry.startUrl, portal.startUrl)) {
      this.log(`AWS CLI SSO cache ${nodePath.basename(file)} ignored: it is for another start URL`);
      return { ok: false, why: 'otherStartUrl', file };
    }
    if (entry.expiresAt.getTime() <= this.now()) {
      this.log(`AWS CLI SSO cache ${nodePath.basename(file)} ignored: the token expired at ${entry.expiresAt.toISOString()}`);
      return { ok: false, why: 'expired', file };
    }
    this.told.clear();
    return { ok: true, entry, file };
  }

  /**
   * A valid access token of the AWS CLI for this portal, as a record of origin 'cliCache' (read only:
   * the refresh token and client registration stay in the CLI's file), or undefined.
   */
  async read(portal: SsoPortal): Promise<SsoTokenRecord | undefined> {
    const r = await this.readEntry(portal);
    if (!r.ok) return undefined;
    return {
      portalId: portal.id,
      startUrl: portal.startUrl,
      region: r.entry.region ?? portal.region,
      accessToken: r.entry.accessToken,
      expiresAt: r.entry.expiresAt,
      origin: 'cliCache',
    };
  }

  /**
   * Writes our token in the CLI's format (only call this when the user's setting is on). Mode 0600,
   * atomic: the file is either the old one or the new one, never half written. Throws on failure (the
   * caller logs it).
   */
  async write(portal: SsoPortal, record: SsoTokenRecord): Promise<void> {
    const file = this.filePath(portal);
    const dir = nodePath.dirname(file);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const doc: Record<string, string> = {
      startUrl: portal.startUrl,
      region: portal.region,
      accessToken: record.accessToken,
      expiresAt: cliDate(record.expiresAt),
    };
    if (record.refreshToken && record.registration) {
      doc.refreshToken = record.refreshToken;
      doc.clientId = record.registration.clientId;
      doc.clientSecret = record.registration.clientSecret;
      doc.registrationExpiresAt = cliDate(record.registration.expiresAt);
    }
    const tmp = nodePath.join(dir, `.${nodePath.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(tmp, JSON.stringify(doc, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
      await rename(tmp, file);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  /** Removes the cache file when it holds this access token (ours); a file the CLI wrote since is kept. */
  async deleteIfOurs(portal: SsoPortal, accessToken: string): Promise<boolean> {
    const file = this.filePath(portal);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return false;
    }
    if (parseCliCacheEntry(text)?.accessToken !== accessToken) return false;
    await unlink(file);
    return true;
  }
}
