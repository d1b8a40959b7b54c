// Restore after reload: the active chain is kept in SecretStorage (the OS keychain in desktop VS Code)
// while it lasts, and restored when the window comes back. Nothing else touches disk: the terminal
// environment collection stays `persistent = false`. Restoring parses JSON and never loads the SDK.
import type * as vscode from 'vscode';
import { profileKeys } from '../core/baseCredentials';
import { baseFingerprint, restoreChain, serializeChain } from '../core/persist';
import type { Redactor } from '../core/redact';
import type { SessionChange, SessionStore } from '../core/session';
import type { BaseSource, Session } from '../core/types';
import type { RoleCatalog } from './catalog';
import { Disposable } from './lifecycle';
import { SESSION_SECRET_KEY } from './featuresLoader';
import type { ScopedLogger } from './logger';

export { SESSION_SECRET_KEY };

export interface PersistenceDeps {
  readonly secrets: Pick<vscode.SecretStorage, 'get' | 'store' | 'delete'>;
  readonly store: SessionStore;
  readonly catalog: Pick<RoleCatalog, 'profiles'>;
  readonly redactor: Redactor;
  readonly log: ScopedLogger;
  /** The restore setting (roleSwitcher.session.restoreOnReload). */
  enabled(): boolean;
  /** What a switch does before it commits (terminal shim file); done before a restored chain commits. */
  beforeCommit(session: Session): Promise<void>;
  /** The window's MFA sessions to save with the chain ([] while the switcher is not built). */
  mfaSessions?(): readonly unknown[];
  /** Hands restored MFA sessions to the switcher (when it is built). */
  restoreMfa?(saved: readonly unknown[]): void;
}

export class SessionPersistence extends Disposable {
  /** Writes happen in the order of the changes that caused them. */
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * Built on the first change of the store or when a saved session exists (dist/features.js); the
   * composition root forwards the store's changes, including the one that caused the build.
   */
  constructor(private readonly d: PersistenceDeps) {
    super();
  }

  /** The fingerprint of a base from today's files and environment (no AWS call). */
  fingerprint(base: BaseSource): string {
    const profile = base.kind === 'profileKeys' ? base.profile : base.kind === 'default' ? 'default' : undefined;
    const profileAccessKeyId = profile ? profileKeys(this.d.catalog.profiles.get(profile))?.accessKeyId : undefined;
    return baseFingerprint(base, { profileAccessKeyId, env: process.env });
  }

  /** Saves or forgets after a change of the store; with the setting off, only forgets. */
  onChange(change: SessionChange): void {
    // Off the switch's own path: the chain is read and written once the change has been handled, in
    // the order of the changes (the queue), so the click does not wait for JSON and SecretStorage.
    const ended = change.kind === 'expired' || change.kind === 'cleared';
    this.enqueue(() => {
      const chain = this.d.store.sessions;
      const text = !ended && this.d.enabled() && chain.length > 0 ? serializeChain(chain, this.fingerprint(chain[0].role.base), this.d.mfaSessions?.() ?? []) : undefined;
      return text ? this.d.secrets.store(SESSION_SECRET_KEY, text) : this.d.secrets.delete(SESSION_SECRET_KEY);
    });
  }

  /**
   * Restores the saved chain once the catalog has read the files; a chain that is expired or whose
   * base identity changed is discarded, and the log says why. A switch the user made meanwhile wins.
   */
  async restore(): Promise<Session | undefined> {
    if (!this.d.enabled()) {
      await this.enqueue(() => this.d.secrets.delete(SESSION_SECRET_KEY));
      return undefined;
    }
    const text = await this.d.secrets.get(SESSION_SECRET_KEY);
    if (!text || this.d.store.current) return undefined;
    const r = restoreChain(text, { now: Date.now(), fingerprintOf: (b) => this.fingerprint(b) });
    if (!r.ok) {
      this.d.log.info(`not restoring the saved session: ${r.reason}`);
      await this.enqueue(() => this.d.secrets.delete(SESSION_SECRET_KEY));
      return undefined;
    }
    for (const s of r.chain) this.d.redactor.add(s.secretAccessKey, s.sessionToken);
    if (r.mfa.length) this.d.restoreMfa?.(r.mfa);
    const top = r.chain[r.chain.length - 1];
    await this.d.beforeCommit(top);
    if (this.d.store.current) return undefined;
    this.d.store.replace(r.chain);
    this.d.log.info(`restored the session of ${top.role.label} (${top.assumedRoleArn}), expires ${top.expiration.toISOString()}`);
    return top;
  }

  /** Settles once every write queued so far is done (tests, deactivation). */
  flush(): Promise<unknown> {
    return this.queue;
  }

  private enqueue(write: () => Thenable<unknown>): Promise<unknown> {
    this.queue = this.queue.then(write).catch((e) => this.d.log.error('saving the session to SecretStorage failed', e));
    return this.queue;
  }
}
