// The session state machine: a stack of assumed-role sessions (the hops of a chain, base first),
// replaced atomically, popped by Switch Back, and ended when the active session expires.

import type { Clock } from './clock';
import type { Session } from './types';

export type SessionChange =
  | { readonly kind: 'switched'; readonly session: Session }
  /** The same chain with fresh credentials (renewal): the UI updates quietly. */
  | { readonly kind: 'renewed'; readonly session: Session }
  | { readonly kind: 'poppedTo'; readonly session: Session | undefined }
  | { readonly kind: 'expired'; readonly session: Session }
  | { readonly kind: 'cleared' };

type Listener = (change: SessionChange) => void;

/** setTimeout cannot wait longer than 2^31-1 ms; longer waits are re-armed. */
const MAX_TIMER_MS = 2_147_483_647;

export class SessionStore {
  private stack: readonly Session[] = [];
  private timer: unknown;
  /** When `timer` fires (clock ms). */
  private timerDue = 0;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly clock: Clock) {}

  get current(): Session | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** The whole chain, base-most first. */
  get sessions(): readonly Session[] {
    return this.stack;
  }

  get depth(): number {
    return this.stack.length;
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Milliseconds until the active session expires (negative once past). */
  remainingMs(): number | undefined {
    const s = this.current;
    return s ? s.expiration.getTime() - this.clock.now() : undefined;
  }

  /**
   * Replaces the whole stack with a new chain in one step. Callers build the chain completely
   * (every hop assumed, every check passed) before calling this: nothing here can fail half-way.
   */
  replace(chain: readonly Session[], opts?: { readonly renewal?: boolean }): void {
    if (chain.length === 0) throw new Error('replace() needs at least one session');
    const top = chain[chain.length - 1];
    if (!(top.expiration.getTime() > this.clock.now())) throw new Error('refusing an already expired session');
    this.stack = Object.freeze([...chain]);
    this.arm();
    this.emit({ kind: opts?.renewal ? 'renewed' : 'switched', session: top });
  }

  /** Switch Back: pops one level. Returns the session that is now active, if any. */
  pop(): Session | undefined {
    if (this.stack.length === 0) return undefined;
    let next = this.stack.slice(0, -1);
    // A parent whose credentials have already expired is not a place to go back to.
    while (next.length && next[next.length - 1].expiration.getTime() <= this.clock.now()) next = next.slice(0, -1);
    this.stack = Object.freeze(next);
    this.arm();
    const now = this.current;
    this.emit({ kind: 'poppedTo', session: now });
    return now;
  }

  /** Ends every session (Switch Back to the base identity). */
  clear(): void {
    if (this.stack.length === 0) return;
    this.stack = [];
    this.arm();
    this.emit({ kind: 'cleared' });
  }

  dispose(): void {
    this.disarm();
    this.stack = [];
    this.listeners.clear();
  }

  /**
   * Keeps one timer for the active session's end. A timer already due no later than that end is kept
   * (it re-checks and re-arms when it fires), so a switch to a session that ends later, the usual
   * case, creates and cancels no timer.
   */
  private arm(): void {
    const s = this.current;
    if (!s) return this.disarm();
    const now = this.clock.now();
    const due = Math.min(s.expiration.getTime(), now + MAX_TIMER_MS);
    if (this.timer !== undefined && this.timerDue <= due) return;
    this.disarm();
    this.timerDue = due;
    this.timer = this.clock.setTimeout(() => this.onTimer(), Math.max(due - now, 0));
  }

  private onTimer(): void {
    this.timer = undefined;
    const s = this.current;
    if (!s) return;
    if (s.expiration.getTime() > this.clock.now()) return this.arm();
    // The active role has expired: end the whole chain. Falling back silently to a parent
    // role would leave the user acting as an identity they did not pick.
    this.stack = [];
    this.emit({ kind: 'expired', session: s });
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private emit(change: SessionChange): void {
    for (const l of [...this.listeners]) l(change);
  }
}
