// Sessions that live: renews the active session a few minutes before it expires, in the background.
//
// - One timer for the active session, re-armed on every change of the store.
// - Never two renewals at once; a renewal whose session is no longer the active one is forgotten
//   (the switcher also refuses to commit it: a switch the user starts meanwhile wins).
// - A failure (throttling, network, expired base credentials) keeps the session while it is valid
//   and retries with backoff; the user hears about it once per session, not once per retry.
// - A renewal that needs an MFA code asks through the switcher's prompt; dismissing it lets the
//   session run out cleanly (the store ends it at its expiration).

import type { Clock } from './clock';
import { isCancelled } from './errors';
import type { SessionChange, SessionStore } from './session';
import type { RenewOutcome } from './switcher';
import type { Session } from './types';

export interface RenewalDeps {
  readonly store: SessionStore;
  readonly clock: Clock;
  /** How long before the expiration to renew (the setting; 5 minutes by default). */
  leadMs(): number;
  /** Switcher.renew: assumes the active chain again and commits it as 'renewed'. */
  renew(): Promise<RenewOutcome>;
  /** A renewal of `session` failed; said once per session (the scheduler keeps retrying). */
  onFailure(error: unknown, session: Session): void;
  log?(line: string): void;
}

/** First retry after a failed renewal; each further one waits twice as long, up to MAX_RETRY_MS. */
export const FIRST_RETRY_MS = 15_000;
export const MAX_RETRY_MS = 5 * 60_000;

export class RenewalScheduler {
  private timer: unknown;
  /** The session a renewal is running for; cleared when the active session changes. */
  private running: Session | undefined;
  private failures = 0;
  private reported: Session | undefined;
  private readonly sub: { dispose(): void };

  constructor(private readonly deps: RenewalDeps) {
    this.sub = deps.store.onDidChange((c) => this.onChange(c));
    this.arm();
  }

  /** Whether a renewal is under way (tests, the status bar). */
  get renewing(): boolean {
    return this.running !== undefined && this.running === this.deps.store.current;
  }

  /** Renew now (the session menu's "Renew Now"); no-op while one is running. */
  renewNow(): Promise<void> {
    return this.fire();
  }

  dispose(): void {
    this.disarm();
    this.sub.dispose();
    this.running = undefined;
  }

  private onChange(change: SessionChange): void {
    // A new active session (or none): whatever ran for the old one no longer matters.
    this.running = undefined;
    this.failures = 0;
    if (change.kind !== 'renewed') this.reported = undefined;
    this.arm();
  }

  private arm(delayMs?: number): void {
    this.disarm();
    const s = this.deps.store.current;
    if (!s || !isRenewable(s)) return;
    // Renew `leadMs` before the end, but never in the first half of what is left: a session shorter
    // than the lead time (a 2-minute test session, say) is renewed at its half-life, not at once.
    const left = s.expiration.getTime() - this.deps.clock.now();
    const wait = delayMs ?? Math.max(left - this.deps.leadMs(), left / 2);
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = undefined;
      void this.fire();
    }, Math.max(0, wait));
  }

  private disarm(): void {
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async fire(): Promise<void> {
    const s = this.deps.store.current;
    if (!s || !isRenewable(s) || this.running === s) return;
    this.running = s;
    try {
      const outcome = await this.deps.renew();
      if (this.running !== s) return; // the active session changed meanwhile; its own timer is armed
      this.deps.log?.(`renewal of ${s.role.roleArn}: ${outcome}`);
    } catch (e) {
      if (this.running !== s) return;
      if (isCancelled(e)) {
        // The MFA prompt was dismissed: let the session run out; the store ends it on time.
        this.deps.log?.(`renewal of ${s.role.roleArn} skipped; the session ends at ${s.expiration.toISOString()}`);
        return;
      }
      this.failures++;
      if (this.reported !== s) {
        this.reported = s;
        this.deps.onFailure(e, s);
      }
      const retry = Math.min(FIRST_RETRY_MS * 2 ** (this.failures - 1), MAX_RETRY_MS);
      const left = s.expiration.getTime() - this.deps.clock.now();
      this.deps.log?.(`renewal of ${s.role.roleArn} failed (${(e as Error)?.name ?? 'Error'}); ${retry < left ? `retrying in ${Math.round(retry / 1000)} s` : 'no time left to retry'}`);
      if (retry < left) {
        this.running = undefined;
        this.arm(retry);
        return;
      }
    } finally {
      if (this.running === s) this.running = undefined;
    }
  }
}

/** Sessions the switcher knows how to assume again: every switch marks its last session with its step. */
export function isRenewable(s: Session): boolean {
  return s.step !== undefined;
}
