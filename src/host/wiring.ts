import * as vscode from 'vscode';
import type { SessionChange, SessionStore } from '../core/session';
import type { RoleDefinition } from '../core/types';
import type { RoleCatalog } from './catalog';
import type { ScopedLogger } from './logger';
import type { Node } from './tree';

/** Session events the user must hear about, and forgetting secrets once a session is gone. */
export function wireSessionEvents(
  store: SessionStore,
  log: ScopedLogger,
  assumeAgain: (role: RoleDefinition) => unknown,
): vscode.Disposable[] {
  return [store.onDidChange((change) => sessionEventNotice(change, log, assumeAgain))];
}

/**
 * One session change's log line, and the warning when the session expired. The composition root calls
 * it from dist/features.js: every change follows a session, which that bundle's commands or restore made.
 */
export function sessionEventNotice(change: SessionChange, log: ScopedLogger, assumeAgain: (role: RoleDefinition) => unknown): void {
  switch (change.kind) {
    case 'poppedTo':
      log.info(change.session ? `back to ${change.session.assumedRoleArn}` : 'back to the base identity');
      break;
    case 'cleared':
      log.info('all sessions ended');
      break;
    case 'renewed':
      log.info(`renewed ${change.session.assumedRoleArn}, now valid until ${change.session.expiration.toISOString()}`);
      break;
    case 'expired': {
      log.warn(`session of ${change.session.role.roleArn} expired`);
      const role = change.session.role;
      void vscode.window.showWarningMessage(`Your AWS session for ${role.label} has expired. Terminals no longer get its credentials.`, 'Assume again').then((a) => {
        if (a) assumeAgain(role);
      });
      break;
    }
  }
}

/** Context keys for `when` clauses: welcome view, menus, Restricted Mode. */
export function wireContextKeys(catalog: RoleCatalog, store: SessionStore, view: vscode.TreeView<Node>): vscode.Disposable[] {
  const last = new Map<string, unknown>();
  const set = (key: string, value: unknown) => {
    if (last.has(key) && last.get(key) === value) return;
    last.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  };
  const sync = () => {
    set('roleSwitcher.loaded', catalog.loaded);
    set('roleSwitcher.hasRoles', catalog.roles.length > 0 || catalog.problems.length > 0);
    set('roleSwitcher.sessionActive', Boolean(store.current));
    set('roleSwitcher.restricted', !vscode.workspace.isTrusted);
    set('roleSwitcher.noBaseCredentials', catalog.loaded && !catalog.hasBaseCredentials);
    const message = vscode.workspace.isTrusted ? undefined : 'Restricted Mode: workspace settings for endpoints, roles and terminals are ignored.';
    if (view.message !== message) view.message = message;
  };
  sync();
  // A switch changes only whether a session is active; the rest follows the catalog and trust.
  const syncSession = () => set('roleSwitcher.sessionActive', Boolean(store.current));
  return [catalog.onDidChange(sync), store.onDidChange(syncSession), vscode.workspace.onDidGrantWorkspaceTrust(sync)];
}

/** One warning per window when the SDK had to correct for a wrong system clock. */
let skewWarned = false;
export function warnClockSkew(offsetMs: number): void {
  if (skewWarned) return;
  skewWarned = true;
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  void vscode.window.showWarningMessage(
    `This computer's clock is about ${minutes} minute${minutes === 1 ? '' : 's'} off from AWS. Requests were corrected automatically, but set the system clock right: session expiry times shown may be off.`,
  );
}

