// The switch path: assume every hop of a role's chain, build the sessions, and commit them to the
// store in one step. Nothing is committed until every hop succeeded; concurrent requests are
// serialized by generation and the newest one wins (older ones end as CancelledError, uncommitted).

import type { AssumeRoleOutput, AwsCredentials, AwsGateway, BaseCredentialSource, CallOptions, CallerIdentity } from './gateway';
import { deriveSessionName } from './arn';
import { CancelledError, isCancelled } from './errors';
import { toCredentialSource } from './baseCredentials';
import type { Profile } from './profiles';
import type { Redactor } from './redact';
import type { SessionStore } from './session';
import type { SsoRoleCredentials, SsoRoleRef } from './ssoTypes';
import type { AssumeHop, BaseSource, RoleDefinition, Session } from './types';
import { partitionOfArn, regionForRole } from './partitions';

export const DEFAULT_DURATION_SECONDS = 3600;

export interface SwitcherDeps {
  /** Loads the AWS layer on first use (dist/aws.js). */
  gateway(): AwsGateway;
  /**
   * Region, explicit endpoint and timeout, read fresh for every switch; `mfaSessionSeconds` is how
   * long one MFA code lasts (sts:GetSessionToken, default 3600; 0 sends the code with each AssumeRole).
   */
  callOptions(): { region: string; endpoint?: string; timeoutMs: number; defaultDurationSeconds?: number; mfaSessionSeconds?: number };
  /**
   * Asks for a 6-digit MFA code; undefined means the user cancelled. `renewal` is set when the code
   * is for renewing the active session in the background (the session still has `remainingMs`).
   */
  askMfaCode(serial: string, hop: HopInfo, renewal?: { readonly remainingMs: number }): Promise<string | undefined>;
  store: SessionStore;
  redactor?: Redactor;
  aliasFor?(accountId: string): string | undefined;
  /**
   * The profiles of the shared files as the catalog read them: a `profileKeys` base signs with the
   * keys found here (the hop plan's credentials, never the SDK's own reading of the profile).
   */
  profiles(): ReadonlyMap<string, Profile>;
  /** The time (tests pass a fake clock's); Date.now() by default. */
  now?(): number;
  /** Work that must succeed before the switch is committed (e.g. writing the terminal shim file). */
  beforeCommit?(session: Session): Promise<void>;
  log?(line: string): void;
  /**
   * IAM Identity Center: the permission set's credentials (the host: the portal's token, then
   * sso:GetRoleCredentials). Throws SsoSignInRequiredError when there is no valid token. Its errors
   * reach the caller of switchTo/chainFrom/renew untouched (not as HopError).
   */
  ssoCredentials?(ref: SsoRoleRef, signal?: AbortSignal): Promise<SsoRoleCredentials>;
}

export interface HopInfo {
  readonly index: number;
  readonly count: number;
  readonly roleArn: string;
  readonly profile?: string;
}

export interface SwitchResult {
  readonly session: Session;
  readonly chain: readonly Session[];
  /** Things the user should know, e.g. "retried at 3600 s". */
  readonly notices: readonly string[];
}

/** An AWS failure at one hop; carries what the error text needs to name that hop. */
export class HopError extends Error {
  constructor(
    readonly hop: HopInfo,
    override readonly cause: unknown,
    readonly callerArn: string | undefined,
  ) {
    super((cause as Error)?.message ?? String(cause));
    this.name = 'HopError';
  }
}

/** The request did not finish within the configured timeout. */
export class SwitchTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(seconds: number) {
    super(`no answer within ${seconds} s`);
  }
}

/** AWS caps a session assumed with role-session credentials (role chaining) at one hour. */
export const CHAINED_MAX_SECONDS = 3600;

/** An MFA session (GetSessionToken) still this far from its end is used; a shorter one asks again. */
const MFA_SESSION_MARGIN_MS = 60_000;

export type RenewOutcome = 'renewed' | 'stale' | 'notRenewable';

/** An MFA session as SecretStorage keeps it (restore after reload). */
export interface SavedMfaSession {
  readonly key: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string; readonly expiration: string };
}

interface BuildMode {
  /** Set for a background renewal: MFA prompts say so. */
  readonly renewal?: { readonly remainingMs: number };
  /** For a renewal: whether the session it renews is still the active one (checked after a prompt). */
  readonly stillCurrent?: () => boolean;
  /** Commit the chain to the store when done (a switch); a renewal commits itself, once for all steps. */
  readonly commit?: boolean;
}

const COMMIT: BuildMode = { commit: true };

export class Switcher {
  private generation = 0;
  private readonly callers = new Map<string, CallerIdentity>();
  private readonly sessionNames = new Map<string, string>();
  /** MFA sessions by (base credentials, region, endpoint, MFA serial). Memory only. */
  private readonly mfaSessions = new Map<string, { credentials: AwsCredentials; expiration: Date }>();

  constructor(private readonly deps: SwitcherDeps) {}

  /** Assumes `role` (all its hops) and makes it the active session. */
  switchTo(role: RoleDefinition, signal?: AbortSignal): Promise<SwitchResult> {
    return this.exclusive(signal, (gen, sig) => this.assumeChain(role, gen, sig, [], COMMIT));
  }

  /**
   * Assumes `role` with the active session's credentials (role chaining) and pushes it on top of
   * the current chain, so Switch Back returns to the current role.
   */
  async chainFrom(role: RoleDefinition, signal?: AbortSignal): Promise<SwitchResult> {
    return this.exclusive(signal, (gen, sig) => this.assumeChain(role, gen, sig, this.deps.store.sessions, COMMIT));
  }

  /**
   * Renews the active chain in place: every step is assumed again, the way it was first assumed,
   * and the new chain replaces the old one in one step (`renewed`). It takes no generation of its
   * own, so a switch the user starts meanwhile wins: the renewal then ends as 'stale' without
   * committing, and so does one whose session changed while it ran. Failures throw (HopError), and
   * the current session stays as it is. An MFA hop uses the MFA session while it lasts, else asks
   * for a code with `renewal` set (undefined: CancelledError, the session runs out on its own).
   */
  async renew(): Promise<RenewOutcome> {
    const store = this.deps.store;
    const old = store.sessions;
    const top = old[old.length - 1];
    const steps = old.filter((x) => x.step);
    if (!top || !steps.length || steps[0].step!.chained || !top.step) return 'notRenewable';
    const gen = this.generation;
    const remainingMs = top.expiration.getTime() - this.nowMs();
    let chain: readonly Session[] = [];
    let notices: readonly string[] = [];
    for (const st of steps) {
      const r = await this.assumeChain(st.step!.role, gen, undefined, st.step!.chained ? chain : [], { renewal: { remainingMs }, stillCurrent: () => store.current === top });
      chain = r.chain;
      notices = r.notices;
    }
    if (gen !== this.generation || store.current !== top) return 'stale';
    const next = chain[chain.length - 1];
    await this.deps.beforeCommit?.(next);
    if (gen !== this.generation || store.current !== top) return 'stale';
    store.replace(chain, { renewal: true });
    this.deps.log?.(`renewed ${next.role.roleArn} as ${next.assumedRoleArn}, expires ${next.expiration.toISOString()}${notices.length ? ` (${notices.length} notices)` : ''}`);
    return 'renewed';
  }


  /**
   * Switch Back: pops one level; cancels an assume still in flight (the newest intent wins). Back at
   * the base identity, the MFA sessions are forgotten too.
   */
  async switchBack(): Promise<Session | undefined> {
    return this.exclusive(undefined, async () => {
      const now = this.deps.store.pop();
      if (!now) this.mfaSessions.clear();
      return now;
    });
  }

  /** Ends every session, and forgets the MFA sessions with them (back to the base identity, no trace). */
  async clear(): Promise<void> {
    await this.exclusive(undefined, async () => {
      this.mfaSessions.clear();
      this.deps.store.clear();
    });
  }

  /** The MFA sessions still valid, for restore after reload (only when the user turned that on). */
  exportMfaSessions(): SavedMfaSession[] {
    const now = this.nowMs();
    return [...this.mfaSessions].filter(([, v]) => v.expiration.getTime() - now > MFA_SESSION_MARGIN_MS).map(([key, v]) => ({ key, credentials: { ...v.credentials, expiration: v.expiration.toISOString() } }));
  }

  /** Takes back MFA sessions a previous window saved; expired or malformed ones are skipped. */
  importMfaSessions(saved: readonly SavedMfaSession[]): void {
    const now = this.nowMs();
    for (const m of saved) {
      const c = m?.credentials;
      const expiration = new Date(c?.expiration ?? NaN);
      if (typeof m?.key !== 'string' || !c?.accessKeyId || !c.secretAccessKey || !c.sessionToken || !(expiration.getTime() - now > MFA_SESSION_MARGIN_MS)) continue;
      this.deps.redactor?.add(c.secretAccessKey, c.sessionToken);
      this.mfaSessions.set(m.key, { credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration }, expiration });
    }
  }

  /** Forgets cached caller identities (credentials or settings changed). */
  resetCaches(): void {
    this.callers.clear();
    this.sessionNames.clear();
    this.mfaSessions.clear();
  }

  /**
   * The active session assumed again for the console only (core/console.ts, consoleRoute 'reassume'):
   * the same role and session name, signed the same way (the session below it, or the base / MFA
   * session), but WITHOUT DurationSeconds, so the federation endpoint accepts it (a 1-hour session).
   * Nothing is committed: the editor's session stays as it is. Failures throw HopError.
   */
  async assumeForConsole(signal?: AbortSignal): Promise<Session> {
    const store = this.deps.store;
    const sessions = store.sessions;
    const top = store.current;
    if (!top) throw Object.assign(new Error('No role is assumed.'), { name: 'NoSession' });
    const role = top.role;
    const hops = role.hops.length ? role.hops : [{ roleArn: role.roleArn } as AssumeHop];
    const hop = hops[hops.length - 1];
    const info: HopInfo = { index: hops.length - 1, count: hops.length, roleArn: hop.roleArn, profile: hop.profile };
    const below = sessions.length > 1 ? sessions[sessions.length - 2] : undefined;
    const byPrevious = hops.length > 1 || top.step?.chained === true;
    if (byPrevious && !below) throw new HopError(info, Object.assign(new Error('The session that signed this role is gone.'), { name: 'NoSession' }), undefined);
    const settings = this.deps.callOptions();
    let opts = this.callOpts(byPrevious ? { kind: 'static', credentials: sessionCredentials(below!) } : this.credentialsOf(role.base), { ...settings, region: top.region ?? settings.region }, signal);
    try {
      let tokenCode: string | undefined;
      if (hop.mfaSerial) {
        const mfaOpts = !byPrevious && top.viaMfaSession ? await this.mfaSession(opts, hop.mfaSerial, info, undefined, {}, this.generation, signal) : undefined;
        if (mfaOpts) opts = mfaOpts;
        else {
          tokenCode = await this.deps.askMfaCode(hop.mfaSerial, info);
          if (tokenCode === undefined) throw new CancelledError();
          this.deps.redactor?.add(tokenCode);
        }
      }
      if (signal?.aborted) throw new CancelledError();
      const out = await this.withTimeout(opts, () =>
        this.deps.gateway().assumeRole(opts, {
          roleArn: hop.roleArn,
          roleSessionName: top.sessionName,
          externalId: hop.externalId,
          serialNumber: tokenCode === undefined ? undefined : hop.mfaSerial,
          tokenCode,
        }),
      );
      validateOutput(out, this.nowMs());
      this.deps.redactor?.add(out.credentials.secretAccessKey, out.credentials.sessionToken);
      this.deps.log?.(`assumed ${hop.roleArn} again for the console (no DurationSeconds), expires ${out.credentials.expiration.toISOString()}`);
      return {
        ...top,
        accessKeyId: out.credentials.accessKeyId,
        secretAccessKey: out.credentials.secretAccessKey,
        sessionToken: out.credentials.sessionToken,
        expiration: out.credentials.expiration,
        assumedRoleArn: out.assumedRoleArn,
      };
    } catch (e) {
      if (isCancelled(e) || signal?.aborted) throw new CancelledError();
      throw new HopError(info, e, byPrevious ? below!.assumedRoleArn : undefined);
    }
  }

  /** The identity behind a base source, cached; one GetCallerIdentity the first time. */
  async callerOf(base: BaseSource, signal?: AbortSignal): Promise<CallerIdentity> {
    if (base.kind === 'sso') {
      const o = this.deps.callOptions();
      const key = ssoCallerKey(base.sso, o.endpoint);
      const hit = this.callers.get(key);
      if (hit) return hit;
      const c = await this.permissionSetCredentials(base.sso, o, signal);
      const id = await this.caller(this.callOpts({ kind: 'static', credentials: c }, o, signal));
      this.callers.set(key, id);
      return id;
    }
    return this.caller(this.callOpts(this.credentialsOf(base), this.deps.callOptions(), signal));
  }

  /**
   * Serializes intents by generation: every new request takes a new generation, and only the newest
   * may commit. An older request still in flight is left to finish (or time out) and then ends as
   * CancelledError without touching the store, so a newer intent never waits for it. No
   * AbortController is made per switch (they cost more than the rest of the switch's own work); the
   * caller's signal, if any, goes straight to the SDK.
   */
  private exclusive<T>(signal: AbortSignal | undefined, run: (gen: number, signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
    // Not async: the switch's promise is run's own (no extra promise hops); `run` is always async.
    const gen = ++this.generation;
    if (signal?.aborted) return Promise.reject(new CancelledError());
    return run(gen, signal);
  }

  private callOpts(credentials: BaseCredentialSource, o: ReturnType<SwitcherDeps['callOptions']>, signal?: AbortSignal): CallOptions {
    return { region: o.region, endpoint: o.endpoint, timeoutMs: o.timeoutMs, credentials, abortSignal: signal };
  }

  private async caller(opts: CallOptions): Promise<CallerIdentity> {
    const key = cacheKey(opts);
    const hit = this.callers.get(key);
    if (hit) return hit;
    const id = await this.withTimeout(opts, () => this.deps.gateway().getCallerIdentity(opts));
    this.callers.set(key, id);
    return id;
  }


  /**
   * The MFA session for hop 0 of an IAM user: one code per `mfaSessionSeconds` for every role with
   * the same MFA device. Undefined when it does not apply (MFA sessions off, or the base identity is
   * not an IAM user: sts:GetSessionToken refuses session credentials), and the code goes with the
   * AssumeRole call instead.
   */
  private async mfaSession(opts: CallOptions, serial: string, info: HopInfo, callerArn: string | undefined, mode: BuildMode, gen: number, signal: AbortSignal | undefined): Promise<CallOptions | undefined> {
    const seconds = this.deps.callOptions().mfaSessionSeconds ?? DEFAULT_DURATION_SECONDS;
    if (!(seconds >= 900)) return undefined;
    const who = callerArn ?? (await this.caller(opts)).arn;
    if (!/^arn:[^:]+:iam::\d{12}:user\//.test(who)) return undefined;
    const key = `${cacheKey(opts)}|${serial}`;
    let hit = this.mfaSessions.get(key);
    if (!hit || hit.expiration.getTime() - this.nowMs() < MFA_SESSION_MARGIN_MS) {
      const tokenCode = await this.deps.askMfaCode(serial, info, mode.renewal);
      if (tokenCode === undefined || (mode.stillCurrent && !mode.stillCurrent())) throw new CancelledError();
      this.deps.redactor?.add(tokenCode);
      this.throwIfStale(gen, signal);
      const out = await this.withTimeout(opts, () => this.deps.gateway().getSessionToken(opts, { durationSeconds: Math.min(seconds, 129_600), serialNumber: serial, tokenCode }));
      const c = out.credentials;
      if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken || !(c.expiration instanceof Date) || !(c.expiration.getTime() > this.nowMs())) {
        throw Object.assign(new Error('STS returned an MFA session without a valid set of credentials'), { name: 'MalformedResponse' });
      }
      this.deps.redactor?.add(c.secretAccessKey, c.sessionToken);
      hit = { credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration }, expiration: c.expiration };
      if (this.mfaSessions.size > 16) this.mfaSessions.clear();
      this.mfaSessions.set(key, hit);
    }
    return { ...opts, credentials: { kind: 'static', credentials: hit.credentials } };
  }

  private async assumeChain(role: RoleDefinition, gen: number, signal: AbortSignal | undefined, parent: readonly Session[] = [], mode: BuildMode = {}): Promise<SwitchResult> {
    const settings = this.deps.callOptions();
    // A permission set (IAM Identity Center): one GetRoleCredentials, no AssumeRole.
    if (role.sso && role.hops.length === 0) return this.permissionSetChain(role, role.sso, settings, gen, signal, parent, mode);
    const notices: string[] = [];
    const chain: Session[] = [...parent];
    const hops = role.hops.length ? role.hops : [{ roleArn: role.roleArn } as AssumeHop];
    const parentTop = parent[parent.length - 1];
    // aws-cn / aws-us-gov roles go to their partition's regional STS (cn-north-1, us-gov-west-1 by default).
    const region = regionForRole(role.partition, role.region, settings.region);
    let creds: BaseCredentialSource;
    let callerArn: string | undefined;
    if (parentTop) {
      creds = { kind: 'static', credentials: sessionCredentials(parentTop) };
      callerArn = parentTop.assumedRoleArn;
    } else if (role.base.kind === 'sso') {
      // Roles chained from an SSO profile: the permission set's credentials sign hop 0 (a role
      // session, so hop 0 is chained: 1-hour cap). Its ARN is learned once per permission set.
      const ref = role.base.sso;
      const c = await this.permissionSetCredentials(ref, settings, signal);
      this.throwIfStale(gen, signal);
      creds = { kind: 'static', credentials: c };
      const key = ssoCallerKey(ref, settings.endpoint);
      let id = this.callers.get(key);
      if (!id && !hops[0].roleSessionName) {
        try {
          id = await this.caller(this.callOpts(creds, { ...settings, region }, signal));
          this.callers.set(key, id);
        } catch (e) {
          if (isCancelled(e) || signal?.aborted || gen !== this.generation) throw new CancelledError();
          throw new HopError({ index: 0, count: hops.length, roleArn: hops[0].roleArn, profile: hops[0].profile }, e, undefined);
        }
      }
      callerArn = id?.arn ?? ssoPlaceholderArn(partitionOfArn(hops[0].roleArn) ?? role.partition, ref);
    } else {
      creds = this.credentialsOf(role.base);
    }

    for (let i = 0; i < hops.length; i++) {
      const hop = hops[i];
      const info: HopInfo = { index: i, count: hops.length, roleArn: hop.roleArn, profile: hop.profile };
      let opts = this.callOpts(creds, { ...settings, region }, signal);
      try {
        let sessionName = hop.roleSessionName;
        if (!sessionName) {
          // A cached identity costs no await (the common case: every switch after the first).
          if (!callerArn) callerArn = (this.callers.get(cacheKey(opts)) ?? (await this.caller(opts))).arn;
          sessionName = this.sessionNameFor(callerArn);
        }
        // Signed with a role session (a later hop, a chain from the active session, or a base that
        // is itself an assumed role): AWS caps it at one hour, so ask for no more up front.
        const signer = callerArn ?? this.callers.get(cacheKey(opts))?.arn;
        const chained = i > 0 || parent.length > 0 || (signer !== undefined && /:assumed-role\//.test(signer));
        let tokenCode: string | undefined;
        let viaMfaSession = false;
        if (hop.mfaSerial) {
          const mfaOpts = i === 0 && parent.length === 0 ? await this.mfaSession(opts, hop.mfaSerial, info, callerArn, mode, gen, signal) : undefined;
          if (mfaOpts) {
            opts = mfaOpts;
            viaMfaSession = true;
          } else {
            tokenCode = await this.deps.askMfaCode(hop.mfaSerial, info, mode.renewal);
            if (tokenCode === undefined || (mode.stillCurrent && !mode.stillCurrent())) throw new CancelledError();
            this.deps.redactor?.add(tokenCode);
          }
        }
        this.throwIfStale(gen, signal);
        const asked = hop.durationSeconds ?? settings.defaultDurationSeconds ?? DEFAULT_DURATION_SECONDS;
        const requested = chained ? Math.min(asked, CHAINED_MAX_SECONDS) : asked;
        const params = {
          roleArn: hop.roleArn,
          roleSessionName: sessionName,
          durationSeconds: requested,
          externalId: hop.externalId,
          serialNumber: viaMfaSession ? undefined : hop.mfaSerial,
          tokenCode,
        };
        let out: AssumeRoleOutput;
        try {
          out = await this.withTimeout(opts, () => this.deps.gateway().assumeRole(opts, params));
        } catch (e) {
          // The role's maximum (or the 1-hour chaining cap) is lower than asked: retry once at 3600 s.
          if ((e as Error)?.name === 'ValidationError' && /DurationSeconds exceeds/.test((e as Error).message) && requested > DEFAULT_DURATION_SECONDS) {
            this.throwIfStale(gen, signal);
            notices.push(`${hop.roleArn} does not allow ${requested} s sessions; retried with ${DEFAULT_DURATION_SECONDS} s.`);
            out = await this.withTimeout(opts, () => this.deps.gateway().assumeRole(opts, { ...params, durationSeconds: DEFAULT_DURATION_SECONDS }));
          } else {
            throw e;
          }
        }
        validateOutput(out, this.nowMs());
        this.deps.redactor?.add(out.credentials.secretAccessKey, out.credentials.sessionToken);
        const isLast = i === hops.length - 1;
        const hopRole: RoleDefinition = isLast ? role : hopRoleDefinition(role, hop);
        const session: Session = {
          role: hopRole,
          accessKeyId: out.credentials.accessKeyId,
          secretAccessKey: out.credentials.secretAccessKey,
          sessionToken: out.credentials.sessionToken,
          expiration: out.credentials.expiration,
          assumedRoleArn: out.assumedRoleArn,
          sessionName,
          sourceIdentityArn: callerArn ?? '(named by the profile)',
          region,
          accountAlias: this.deps.aliasFor?.(hopRole.accountId),
        };
        // Set only when true (a plain object literal above, no spreads: this runs on every switch).
        const extra = session as { -readonly [K in keyof Session]: Session[K] };
        if (chained) extra.chained = true;
        if (viaMfaSession) extra.viaMfaSession = true;
        if (isLast) extra.step = { role, chained: parent.length > 0 };
        chain.push(session);
        creds = { kind: 'static', credentials: sessionCredentials(session) };
        callerArn = out.assumedRoleArn;
      } catch (e) {
        if (isCancelled(e) || signal?.aborted || gen !== this.generation) throw new CancelledError();
        if (e instanceof SwitchTimeoutError) throw new HopError(info, e, callerArn);
        // AccessDenied: learn who was refused, so the message can name the caller (never fails).
        if (!callerArn && ((e as Error)?.name === 'AccessDenied')) {
          try {
            callerArn = (await this.caller(opts)).arn;
          } catch {
            /* the message will do without it */
          }
        }
        throw new HopError(info, e, callerArn);
      }
    }
    const top = chain[chain.length - 1];
    if (mode.commit) {
      await this.deps.beforeCommit?.(top);
      this.throwIfStale(gen, signal);
      this.deps.store.replace(chain);
      this.deps.log?.(`switched to ${top.role.roleArn} as ${top.assumedRoleArn}, expires ${top.expiration.toISOString()}`);
    }
    return { session: top, chain, notices };
  }

  /**
   * The credentials of permission set `ref` (SwitcherDeps.ssoCredentials) under the configured
   * timeout, validated like an AssumeRole answer (MalformedResponse, nothing committed) and redacted.
   * Errors pass through untouched; a cancelled or timed-out call throws CancelledError/SwitchTimeoutError.
   */
  private async permissionSetCredentials(ref: SsoRoleRef, settings: ReturnType<SwitcherDeps['callOptions']>, signal: AbortSignal | undefined): Promise<SsoRoleCredentials> {
    const get = this.deps.ssoCredentials;
    if (!get) throw new Error('IAM Identity Center is not available in this window (no sign-in support loaded); reload the window and try again');
    if (signal?.aborted) throw new CancelledError();
    const c = await this.withTimeout(settings, () => get(ref, signal));
    if (signal?.aborted) throw new CancelledError();
    validateSsoCredentials(c, this.nowMs());
    this.deps.redactor?.add(c.secretAccessKey, c.sessionToken);
    return c;
  }

  /**
   * Switching to a permission set: one Session from GetRoleCredentials, on top of `parent` (chainFrom)
   * or alone. Its assumedRoleArn is the real one when a GetCallerIdentity with such credentials has
   * been seen (callerOf, or a role chained from it), else a stand-in of the same shape (see
   * ssoPlaceholderArn); no extra call is made on the switch path.
   */
  private async permissionSetChain(role: RoleDefinition, ref: SsoRoleRef, settings: ReturnType<SwitcherDeps['callOptions']>, gen: number, signal: AbortSignal | undefined, parent: readonly Session[], mode: BuildMode): Promise<SwitchResult> {
    let c: SsoRoleCredentials;
    try {
      c = await this.permissionSetCredentials(ref, settings, signal);
    } catch (e) {
      if (isCancelled(e) || signal?.aborted || gen !== this.generation) throw new CancelledError();
      throw e;
    }
    this.throwIfStale(gen, signal);
    const region = regionForRole(role.partition, role.region, settings.region);
    const known = this.callers.get(ssoCallerKey(ref, settings.endpoint))?.arn;
    const assumedRoleArn = known ?? ssoPlaceholderArn(role.partition, ref);
    const session: Session = {
      role,
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken,
      expiration: c.expiration,
      assumedRoleArn,
      sessionName: known ? assumedRoleArn.slice(assumedRoleArn.lastIndexOf('/') + 1) : SSO_SESSION_PLACEHOLDER,
      sourceIdentityArn: `IAM Identity Center (${ref.portalId})`,
      region,
      accountAlias: this.deps.aliasFor?.(role.accountId),
    };
    const extra = session as { -readonly [K in keyof Session]: Session[K] };
    extra.permissionSet = ref;
    extra.step = { role, chained: parent.length > 0 };
    const chain = parent.length ? [...parent, session] : [session];
    if (mode.commit) {
      await this.deps.beforeCommit?.(session);
      this.throwIfStale(gen, signal);
      this.deps.store.replace(chain);
      // No ARN in this line: a run of 40+ ARN characters sends every log line through the redactor's slow patterns.
      this.deps.log?.(`switched to permission set ${ref.roleName} in ${ref.accountId}, expires ${session.expiration.toISOString()}`);
    }
    return { session, chain, notices: NO_NOTICES };
  }

  /** The base's credentials for the gateway; access keys read from the files join the redactor. */
  private credentialsOf(base: BaseSource): BaseCredentialSource {
    if (base.kind !== 'profileKeys' && base.kind !== 'sso') return base;
    const c = toCredentialSource(base, this.deps.profiles());
    if (c.kind === 'static') this.deps.redactor?.add(c.credentials.secretAccessKey, c.credentials.sessionToken);
    return c;
  }

  private sessionNameFor(callerArn: string): string {
    let name = this.sessionNames.get(callerArn);
    if (name === undefined) {
      name = deriveSessionName(callerArn);
      if (this.sessionNames.size > 64) this.sessionNames.clear();
      this.sessionNames.set(callerArn, name);
    }
    return name;
  }

  private nowMs(): number {
    return this.deps.now?.() ?? Date.now();
  }

  private throwIfStale(gen: number, signal: AbortSignal | undefined): void {
    if (gen !== this.generation || signal?.aborted) throw new CancelledError();
  }

  /**
   * Runs one AWS call under the configured overall timeout (retries included). On timeout it rejects
   * at once; the request itself ends by the SDK's own per-attempt timeout and its answer is dropped.
   */
  private withTimeout<T>(opts: Pick<CallOptions, 'timeoutMs'>, call: () => Promise<T>): Promise<T> {
    const ms = opts.timeoutMs ?? 10_000;
    return new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new SwitchTimeoutError(Math.round(ms / 1000))), ms);
      call().then(
        (v) => {
          clearTimeout(t);
          resolve(v);
        },
        (e) => {
          clearTimeout(t);
          reject(e);
        },
      );
    });
  }
}

function sessionCredentials(s: Session) {
  return { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken, expiration: s.expiration };
}


function cacheKey(o: CallOptions): string {
  const c = o.credentials;
  const who = c.kind === 'static' ? `static:${c.credentials.accessKeyId}` : c.kind === 'profile' ? `profile:${c.profile}` : c.kind;
  return `${who}|${o.region}|${o.endpoint ?? ''}`;
}

/** Where a permission set's learned caller identity is cached (no secret in the key). */
function ssoCallerKey(ref: SsoRoleRef, endpoint: string | undefined): string {
  return `sso:${ref.portalId}|${ref.accountId}|${ref.roleName}|${endpoint ?? ''}`;
}

const NO_NOTICES: readonly string[] = Object.freeze([]);

/**
 * The session name in a permission set's stand-in ARN. AWS names the session after the portal user,
 * and GetRoleCredentials does not say who that is (nor the role's random suffix).
 */
export const SSO_SESSION_PLACEHOLDER = 'identity-center-user';

/**
 * A stand-in for the sts assumed-role ARN of a permission set's session, until a GetCallerIdentity
 * shows the real one (`AWSReservedSSO_<name>_<suffix>/<user>`): the same shape, so everything that
 * looks for ":assumed-role/" (chaining caps, session names, the status bar) treats it as the role
 * session it is. Session.permissionSet marks such sessions.
 */
export function ssoPlaceholderArn(partition: string, ref: SsoRoleRef): string {
  return `arn:${partition}:sts::${ref.accountId}:assumed-role/AWSReservedSSO_${ref.roleName}/${SSO_SESSION_PLACEHOLDER}`;
}

/** A GetRoleCredentials answer that is not a usable set of credentials is a failure, never a session. */
export function validateSsoCredentials(c: SsoRoleCredentials | undefined, now: number): void {
  checkCredentials(c, now, 'IAM Identity Center', 'expiration');
}

/** The checks every answer that hands out temporary credentials must pass (STS and Identity Center). */
function checkCredentials(c: SsoRoleCredentials | undefined, now: number, service: string, expirationField: string): void {
  const bad = (what: string) => Object.assign(new Error(`${service} returned a response without a valid ${what}`), { name: 'MalformedResponse' });
  if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken) throw bad('set of credentials');
  if (!(c.expiration instanceof Date) || Number.isNaN(c.expiration.getTime())) throw bad(expirationField);
  if (c.expiration.getTime() <= now) throw bad(`${expirationField} (already past)`);
}

const ASSUMED_ROLE_ARN = /^arn:[a-z-]+:sts::\d{12}:assumed-role\/[\w+=,.@-]{1,64}\/[\w+=,.@-]{2,64}$/;

/** A successful answer that is not a usable session is a failure, never a session. */
export function validateOutput(out: AssumeRoleOutput, now: number): void {
  checkCredentials(out?.credentials, now, 'STS', 'Expiration');
  if (!out.assumedRoleArn || !ASSUMED_ROLE_ARN.test(out.assumedRoleArn)) {
    throw Object.assign(new Error('STS returned a response without a valid AssumedRoleUser'), { name: 'MalformedResponse' });
  }
}

function hopRoleDefinition(role: RoleDefinition, hop: AssumeHop): RoleDefinition {
  const m = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(hop.roleArn);
  return {
    ...role,
    id: `hop:${hop.roleArn}`,
    label: hop.profile ?? m?.[3] ?? hop.roleArn,
    roleArn: hop.roleArn,
    accountId: m?.[2] ?? role.accountId,
    partition: m?.[1] ?? role.partition,
    roleName: m?.[3] ?? role.roleName,
    hops: [],
    profile: hop.profile,
  };
}
