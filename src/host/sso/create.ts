// Builds the window's SsoHost from what the composition root has (dist/features.js, so activation only
// carries one call). Reads the roleSwitcher.sso.* settings itself: user values only, a workspace cannot
// add a portal to sign in to or turn on writing tokens to the AWS CLI cache.
import * as vscode from 'vscode';
import type { AwsModule } from '../../aws/lazy';
import type { Redactor } from '../../core/redact';
import type { SessionStore } from '../../core/session';
import type { RoleDefinition } from '../../core/types';
import type { RoleCatalog } from '../catalog';
import type { Logger } from '../logger';
import type { Settings } from '../settings';
import { SecretSsoTokenStore, type SecretsLike } from '../ssoTokenStore';
import { createSsoPorts, type SsoPorts } from './ports';
import { SsoHost } from './ssoHost';

export interface SsoWindow {
  readonly secrets: SecretsLike;
  readonly catalog: RoleCatalog;
  readonly settings: Settings;
  readonly store: SessionStore;
  readonly redactor: Redactor;
  readonly logger: Logger;
  readonly aws: () => AwsModule;
  /** Ends every session of the window (the switcher's clear). */
  endSessions(): Promise<void>;
  assume(role: RoleDefinition): Promise<unknown>;
}

type Entry = { startUrl: string; region: string };

function userValue<T>(key: string): T | undefined {
  return vscode.workspace.getConfiguration('roleSwitcher').inspect<T>(key)?.globalValue;
}

/** roleSwitcher.sso.startUrls as the user wrote it, well-formed entries only. */
export function ssoStartUrls(): Entry[] {
  const v = userValue<unknown>('sso.startUrls');
  return Array.isArray(v)
    ? v.filter((e): e is Entry => typeof e?.startUrl === 'string' && typeof e?.region === 'string' && e.startUrl.trim() !== '').map((e) => ({ startUrl: e.startUrl.trim(), region: e.region.trim() }))
    : [];
}

export function createSsoHost(w: SsoWindow): SsoHost {
  const { settings, catalog, logger } = w;
  const callOptions = (p: { region: string }, abortSignal?: AbortSignal) => ({ region: p.region, endpoint: settings.endpointUrl, timeoutMs: settings.requestTimeoutMs, ...(abortSignal ? { abortSignal } : {}) });
  const tokenStore = new SecretSsoTokenStore(w.secrets, (line) => logger.write('warn', 'sso', line));
  let ports: SsoPorts | undefined;
  return new SsoHost({
    configPortals: () => catalog.ssoPortals,
    settingsPortals: ssoStartUrls,
    saveSettingsPortals: async (list) => {
      await vscode.workspace.getConfiguration('roleSwitcher').update('sso.startUrls', list, vscode.ConfigurationTarget.Global);
    },
    catalogRoles: () => catalog.roles,
    setCatalogRoles: (id, roles) => catalog.setSsoRoles(id, roles),
    ports: () =>
      (ports ??= createSsoPorts({
        store: tokenStore,
        aws: w.aws,
        callOptions,
        shareWithCli: () => userValue<boolean>('sso.shareSignInWithAwsCli') === true,
        log: (line) => logger.write('info', 'sso', line),
      })),
    callOptions,
    concurrency: () => {
      const v = Number(vscode.workspace.getConfiguration('roleSwitcher').get<number>('sso.concurrency', 8));
      return Number.isInteger(v) ? Math.min(32, Math.max(1, v)) : 8;
    },
    ttlMs: () => settings.cacheTtlMs,
    store: w.store,
    endSessions: w.endSessions,
    assume: w.assume,
    redactor: w.redactor,
    log: logger.scoped('sso'),
    openExternal: (uri) => vscode.env.openExternal(vscode.Uri.parse(uri)),
  });
}
