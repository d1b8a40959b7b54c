// IAM Identity Center discovery: every account of the portal (sso:ListAccounts, all pages), then each
// account's permission sets (sso:ListAccountRoles), with bounded concurrency because there is one call
// per account. TooManyRequestsException is retried with exponential backoff and full jitter; an account
// that still fails after the last attempt is reported as an error entry of the result (the tree shows it
// on that account), not as an error of the whole discovery. An expired or revoked token
// (UnauthorizedException) stops everything with SsoSignInRequiredError.
//
// Progress, in this order: onAccounts(all accounts), then onRoles(accountId, …) as each account's answer
// arrives, each followed by onProgress(done, total). The AbortSignal stops it at once (CancelledError).

import { systemClock, type Clock } from './clock';
import { CancelledError, isCancelled } from './errors';
import { sleepOn } from './ssoDeviceFlow';
import { SsoSignInRequiredError, type SsoAccount, type SsoCallOptions, type SsoGateway, type SsoPortal, type SsoRoleRef } from './ssoTypes';
import type { RoleDefinition } from './types';

export const DEFAULT_SSO_CONCURRENCY = 8;

/** The partition of a portal's region: cn-* → aws-cn, us-gov-* → aws-us-gov, else aws. */
export function ssoPartition(region: string): string {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/**
 * A permission set as a role of the catalog: origin 'sso', no hops, base {kind:'sso'}.
 * `roleArn` is a PLACEHOLDER: the portal API does not return the IAM role behind a permission set, whose
 * real name ends in a random suffix (`AWSReservedSSO_<name>_<16 hex>`). This one has the real path and
 * prefix, so it reads right and parses as a role ARN; it is never sent to AWS (switching calls
 * GetRoleCredentials with the account id and role name).
 */
export function permissionSetRole(portal: SsoPortal, account: SsoAccount, roleName: string): RoleDefinition {
  const partition = ssoPartition(portal.region);
  const sso: SsoRoleRef = {
    portalId: portal.id,
    accountId: account.accountId,
    roleName,
    ...(account.accountName !== undefined ? { accountName: account.accountName } : {}),
    ...(account.emailAddress !== undefined ? { accountEmail: account.emailAddress } : {}),
  };
  return {
    id: `sso:${portal.id}:${account.accountId}:${roleName}`,
    origin: 'sso',
    label: roleName,
    roleArn: `arn:${partition}:iam::${account.accountId}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${roleName}`,
    accountId: account.accountId,
    partition,
    roleName,
    region: portal.region,
    hops: [],
    base: { kind: 'sso', sso },
    ...(account.accountName !== undefined ? { accountName: account.accountName } : {}),
    sso,
  };
}

/** An account whose permission sets could not be listed. `message` holds no secret. */
export interface SsoAccountError {
  readonly accountId: string;
  readonly accountName?: string;
  readonly code: string;
  readonly message: string;
}

export interface SsoDiscoveryResult {
  readonly portalId: string;
  readonly accounts: SsoAccount[];
  /** Accounts in ListAccounts order, each account's roles in the service's order. */
  readonly roles: RoleDefinition[];
  readonly errors: SsoAccountError[];
  readonly discoveredAt: number;
}

export interface SsoDiscoveryOptions {
  readonly gateway: SsoGateway;
  readonly portal: SsoPortal;
  readonly accessToken: string;
  /** Region, endpoint, timeout of the portal calls; the signal is added. Default: the portal's region. */
  readonly callOptions?: (portal: SsoPortal, signal?: AbortSignal) => SsoCallOptions;
  /** ListAccountRoles calls in flight at most (default 8, the roleSwitcher setting's default). */
  readonly concurrency?: number;
  /** Attempts per call when throttled (default 6). */
  readonly maxAttempts?: number;
  /** Backoff: attempt n waits random() × min(maxDelayMs, baseDelayMs × 2^n) (defaults 100 ms, 5 s). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly random?: () => number;
  readonly clock?: Clock;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly signal?: AbortSignal;
  readonly onAccounts?: (accounts: readonly SsoAccount[]) => void;
  readonly onRoles?: (accountId: string, roleNames: readonly string[], roles: readonly RoleDefinition[], account: SsoAccount) => void;
  /** After each account (roles or error): done of total. Also (0, total) right after onAccounts. */
  readonly onProgress?: (done: number, total: number) => void;
  /** When given, a fresh cached result for the portal is returned instead of calling the portal. */
  readonly cache?: SsoDiscoveryCache;
  readonly forceRefresh?: boolean;
  readonly log?: (line: string) => void;
}

/** Discovery results per portal id, for `ttlMs` (the same semantics as core/discovery.ts DiscoveryCache). */
export class SsoDiscoveryCache {
  private readonly entries = new Map<string, { result: SsoDiscoveryResult; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(portalId: string): SsoDiscoveryResult | undefined {
    const e = this.entries.get(portalId);
    if (!e) return undefined;
    if (this.now() - e.at >= this.ttlMs) {
      this.entries.delete(portalId);
      return undefined;
    }
    return e.result;
  }

  set(portalId: string, result: SsoDiscoveryResult): void {
    this.entries.set(portalId, { result, at: this.now() });
  }

  delete(portalId: string): void {
    this.entries.delete(portalId);
  }

  clear(): void {
    this.entries.clear();
  }
}

const THROTTLED = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'RequestLimitExceeded']);
const SIGN_IN = new Set(['UnauthorizedException', 'ExpiredTokenException', 'InvalidTokenException']);

function errorCode(e: unknown): string {
  const o = e as { name?: unknown; Code?: unknown; code?: unknown } | null | undefined;
  for (const v of [o?.name, o?.Code, o?.code]) if (typeof v === 'string' && v !== '' && v !== 'Error') return v;
  return 'Error';
}

export async function discoverSso(opts: SsoDiscoveryOptions): Promise<SsoDiscoveryResult> {
  const { portal, gateway, accessToken, signal } = opts;
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? (() => undefined);
  const random = opts.random ?? Math.random;
  const sleep = opts.sleep ?? ((ms: number, s?: AbortSignal) => sleepOn(clock, ms, s));
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 6);
  const baseDelay = opts.baseDelayMs ?? 100;
  const maxDelay = opts.maxDelayMs ?? 5000;
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_SSO_CONCURRENCY));
  const checkAbort = () => {
    if (signal?.aborted) throw new CancelledError();
  };

  if (!opts.forceRefresh) {
    const hit = opts.cache?.get(portal.id);
    if (hit) {
      opts.onAccounts?.(hit.accounts);
      opts.onProgress?.(0, hit.accounts.length);
      let done = 0;
      for (const account of hit.accounts) {
        const roles = hit.roles.filter((r) => r.accountId === account.accountId);
        if (!hit.errors.some((e) => e.accountId === account.accountId)) opts.onRoles?.(account.accountId, roles.map((r) => r.roleName), roles, account);
        opts.onProgress?.(++done, hit.accounts.length);
      }
      return hit;
    }
  }
  checkAbort();

  // One signal for every call and wait: the caller's, or our own when discovery stops on a fatal error
  // (sign-in required), so the calls still in flight are abandoned at once.
  const stop = new AbortController();
  const onAbort = () => {
    stop.abort();
    wakeAll();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const call: SsoCallOptions = { ...(opts.callOptions?.(portal, signal) ?? { region: portal.region }), abortSignal: stop.signal };

  const signInRequired = () => new SsoSignInRequiredError(portal.id, portal.startUrl, 'the sign-in expired or was revoked');
  let fatal: unknown;
  const halted = () => fatal !== undefined || stop.signal.aborted;
  /** Runs `fn`, retrying throttling with backoff; other errors (and the last throttle) are thrown. */
  const withRetry = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      checkAbort();
      try {
        return await fn();
      } catch (e) {
        checkAbort();
        if (isCancelled(e)) throw e;
        const code = errorCode(e);
        if (SIGN_IN.has(code)) throw signInRequired();
        if (!THROTTLED.has(code) || attempt + 1 >= maxAttempts) throw e;
        const delay = Math.floor(random() * Math.min(maxDelay, baseDelay * 2 ** attempt));
        log(`sso discovery ${portal.id}: ${what} throttled, retry ${attempt + 1} of ${maxAttempts - 1} in ${delay} ms`);
        await sleep(delay, stop.signal);
      }
    }
  };

  // The accounts, as the ListAccounts pages arrive. Workers start on an account as soon as its page is
  // in (the listing and the first ListAccountRoles calls overlap), but the callbacks keep their order:
  // what a worker finishes before the listing is complete is held, and delivered right after onAccounts.
  const accounts: SsoAccount[] = [];
  const seen = new Set<string>();
  let listed = false;
  let wake: Array<() => void> = [];
  const wakeAll = () => {
    const w = wake;
    wake = [];
    for (const f of w) f();
  };
  const add = (page: readonly SsoAccount[]) => {
    for (const a of page) {
      if (seen.has(a.accountId)) continue;
      seen.add(a.accountId);
      accounts.push(a);
    }
    wakeAll();
  };
  let held: Array<() => void> | undefined = [];
  const deliver = (fn: () => void) => (held ? held.push(fn) : fn());

  const rolesByAccount: Array<RoleDefinition[] | undefined> = [];
  const errors: SsoAccountError[] = [];
  let next = 0;
  let done = 0;
  const nextIndex = async (): Promise<number | undefined> => {
    for (;;) {
      if (halted()) return undefined;
      if (next < accounts.length) return next++;
      if (listed) return undefined;
      await new Promise<void>((r) => wake.push(r));
    }
  };
  const worker = async () => {
    for (;;) {
      const i = await nextIndex();
      if (i === undefined) return;
      const account = accounts[i];
      try {
        const names = await withRetry(`ListAccountRoles ${account.accountId}`, () => gateway.listAccountRoles(call, accessToken, account.accountId));
        if (halted()) return;
        const roles = names.map((n) => permissionSetRole(portal, account, n));
        rolesByAccount[i] = roles;
        deliver(() => opts.onRoles?.(account.accountId, names, roles, account));
      } catch (e) {
        if (halted()) return;
        if (isCancelled(e) || e instanceof SsoSignInRequiredError) {
          fatal ??= e;
          stop.abort();
          wakeAll();
          return;
        }
        const code = errorCode(e);
        log(`sso discovery ${portal.id}: ListAccountRoles ${account.accountId} failed (${code})`);
        errors.push({
          accountId: account.accountId,
          ...(account.accountName !== undefined ? { accountName: account.accountName } : {}),
          code,
          message: THROTTLED.has(code) ? 'IAM Identity Center kept throttling the request; refresh to try again' : `The permission sets could not be listed (${code}); refresh to try again`,
        });
      }
      deliver(() => opts.onProgress?.(++done, accounts.length));
    }
  };
  const workers = Array.from({ length: concurrency }, worker);

  // ListAccounts, every page. With the gateway's page method a throttled page is retried alone; the
  // iterator form cannot resume, so there the listing restarts and accounts already seen are skipped.
  const listing = async () => {
    const listPage = gateway.listAccountsPage?.bind(gateway);
    if (listPage) {
      let token: string | undefined;
      do {
        const from = token;
        const page = await withRetry('ListAccounts', () => listPage(call, accessToken, from));
        if (halted()) return;
        add(page.accounts);
        token = page.nextToken;
      } while (token);
    } else {
      await withRetry('ListAccounts', async () => {
        for await (const page of gateway.listAccounts(call, accessToken)) {
          checkAbort();
          if (halted()) return;
          add(page);
        }
      });
    }
  };
  try {
    try {
      await listing();
    } catch (e) {
      fatal ??= e;
      stop.abort();
    } finally {
      listed = true;
      wakeAll();
    }
    if (fatal === undefined && !signal?.aborted) {
      opts.onAccounts?.(accounts);
      opts.onProgress?.(0, accounts.length);
      const backlog = held;
      held = undefined;
      for (const fn of backlog) fn();
    }
    await Promise.all(workers);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  checkAbort();
  if (fatal !== undefined) throw fatal;

  const result: SsoDiscoveryResult = {
    portalId: portal.id,
    accounts,
    roles: accounts.flatMap((_, i) => rolesByAccount[i] ?? []),
    errors,
    discoveredAt: clock.now(),
  };
  // A result with failed accounts is not kept: the next look (tree expand, refresh) tries them again.
  if (errors.length === 0) opts.cache?.set(portal.id, result);
  return result;
}
