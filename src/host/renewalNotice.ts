import * as vscode from 'vscode';
import type { Session } from '../core/types';

/**
 * A renewal failed: said once per session (the scheduler retries quietly with backoff), with what
 * went wrong and the time left; the session stays usable until it ends.
 */
export function warnRenewalFailed(error: unknown, session: Session, words: (e: unknown) => string | undefined, redact: (s: string) => string, renewNow: () => unknown, showLog: () => void): void {
  const minutes = Math.max(0, Math.round((session.expiration.getTime() - Date.now()) / 60_000));
  const why = words(error) ?? ((error as Error)?.message || 'unknown error');
  void vscode.window
    .showWarningMessage(redact(`Could not renew the AWS session for ${session.role.label}; it stays valid for ${minutes} more minute${minutes === 1 ? '' : 's'} and renewal is retried. ${why}`), 'Renew Now', 'Show Log')
    .then((a) => (a === 'Renew Now' ? renewNow() : a === 'Show Log' ? showLog() : undefined));
}
