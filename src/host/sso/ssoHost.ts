// IAM Identity Center in the editor (issue 12), the VS Code side: the portals (config + the
// roleSwitcher.sso.startUrls setting), their sign-in state, sign in / sign out / add, progressive
// discovery into the tree and the catalog, the switcher's permission-set credentials and the SSO
// error report. Lives in dist/features.js: activation only carries the tree's hooks (host/tree.ts).
import * as vscode from 'vscode';
import type { Redactor } from '../../core/redact';
import type { SessionStore } from '../../core/session';
import type { SsoAccount, SsoPortal, SsoRoleCredentials, SsoRoleRef } from '../../core/ssoTypes';
import type { RoleDefinition } from '../../core/types';
import { Disposable } from '../lifecycle';
import type { Node } from '../tree';
import type { PortalState, SsoPorts } from './ports';
import { ssoTreeItem, type SsoNode } from './treeItems';

/** Cached discovery of one portal. */
export interface PortalData {
  accounts?: readonly SsoAccount[];
  readonly roles: Map<string, RoleDefinition[]>;
  progress?: { done: number; total: number };
  fetchedAt?: number;
  /** The last discovery failure, in words (no secret). */
  error?: string;
}

export interface SsoHostDeps {
  /** Portals from ~/.aws/config (the catalog's reading of [sso-session] and legacy profiles). */
  configPortals(): readonly SsoPortal[];
  /** The roleSwitcher.sso.startUrls setting (user scope). */
  settingsPortals(): readonly { startUrl: string; region: string }[];
  saveSettingsPortals(list: { startUrl: string; region: string }[]): Promise<void>;
  /** Roles of the catalog (config profiles of origin 'sso' show under their portal too). */
  catalogRoles(): readonly RoleDefinition[];
  /** Puts a portal's discovered permission sets into the catalog (QuickPick, find); [] removes them. */
  setCatalogRoles(portalId: string, roles: readonly RoleDefinition[]): void;
  /** Built on first use (loads dist/aws.js). */
  ports(): SsoPorts;
  callOptions(portal: SsoPortal, signal?: AbortSignal): { region: string; endpoint?: string; timeoutMs?: number; abortSignal?: AbortSignal };
  concurrency(): number;
  ttlMs(): number;
  store: SessionStore;
  /** Ends every session of the window (back to the base identity). */
  endSessions(): Promise<void>;
  assume(role: RoleDefinition): Promise<unknown>;
  redactor: Redactor;
  log: { info(m: string): void; warn(m: string): void; error(m: string, e?: unknown): void };
  openExternal(uri: string): Thenable<boolean>;
  now?(): number;
}

const SIGN_IN_AGAIN = 'Sign In Again';

export class SsoHost extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private readonly states = new Map<string, PortalState>();
  private readonly data = new Map<string, PortalData>();
  private readonly running = new Map<string, Promise<void>>();
  private statesLoaded: Promise<void> | undefined;

  constructor(private readonly d: SsoHostDeps) {
    super();
  }

  private now(): number {
    return this.d.now?.() ?? Date.now();
  }

  /** Every portal: config first, then settings entries not already in the config (by start URL). */
  portals(): SsoPortal[] {
    const out: SsoPortal[] = [...this.d.configPortals()];
    const urls = new Set(out.map((p) => normalizeUrl(p.startUrl)));
    for (const e of this.d.settingsPortals()) {
      const url = normalizeUrl(e.startUrl);
      if (!url || !e.region || urls.has(url)) continue;
      urls.add(url);
      out.push({ id: `url:${e.startUrl}`, startUrl: e.startUrl, region: e.region, source: 'settings' });
    }
    return out;
  }

  portal(id: string): SsoPortal | undefined {
    return this.portals().find((p) => p.id === id);
  }

  state(portalId: string): PortalState {
    return this.states.get(portalId) ?? 'signedOut';
  }

  dataOf(portalId: string): PortalData | undefined {
    return this.data.get(portalId);
  }

  /** Reads each portal's state (no network) once, then fills the tree of those signed in from the cache or AWS. */
  loadStates(): Promise<void> {
    return (this.statesLoaded ??= this.refreshStates().then(() => {
      for (const p of this.portals()) if (this.state(p.id) === 'signedIn') void this.discover(p, false, false);
    }));
  }

  async refreshStates(): Promise<void> {
    let ports: SsoPorts;
    try {
      ports = this.d.ports();
    } catch (e) {
      this.d.log.warn(`IAM Identity Center: ${(e as Error).message}`);
      return;
    }
    for (const p of this.portals()) {
      try {
        this.states.set(p.id, await ports.tokens.state(p));
      } catch (e) {
        this.d.log.error(`reading the sign-in state of ${p.startUrl} failed`, e);
      }
    }
    this.changed.fire();
  }

  /** Picks a portal: the one given (node or id), the only one, or a QuickPick. */
  async pickPortal(arg: unknown, title: string): Promise<SsoPortal | undefined> {
    const id = portalIdOf(arg);
    if (id) return this.portal(id);
    const all = this.portals();
    if (all.length === 0) {
      const a = await vscode.window.showInformationMessage('No IAM Identity Center portal is set up yet. Add its start URL, or add an [sso-session] section to ~/.aws/config.', 'Add IAM Identity Center…');
      if (a) await this.addPortal();
      return undefined;
    }
    if (all.length === 1) return all[0];
    const pick = await vscode.window.showQuickPick(
      all.map((portal) => ({ portal, label: hostOf(portal.startUrl), description: stateText(this.state(portal.id)), detail: `${portal.startUrl} (${portal.region})` })),
      { title, placeHolder: 'Choose an IAM Identity Center portal', matchOnDetail: true },
    );
    return pick?.portal;
  }

  // ---- sign in ----------------------------------------------------------------------------------

  /** Sign In: the device code in a notification, a cancellable progress while it waits; then discovery. */
  async signIn(arg?: unknown): Promise<boolean> {
    const portal = await this.pickPortal(arg, 'Sign In to IAM Identity Center');
    if (!portal) return false;
    const host = hostOf(portal.startUrl);
    const ports = this.d.ports();
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Signing in to IAM Identity Center (${host})`, cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          const sub = token.onCancellationRequested(() => abort.abort());
          progress.report({ message: 'starting…' });
          try {
            await ports.tokens.signIn(
              portal,
              {
                showCode: (auth) => {
                  progress.report({ message: `waiting for you to approve the code ${auth.userCode} in the browser…` });
                  void vscode.window
                    .showInformationMessage(`To sign in to ${host}, confirm the code ${auth.userCode} in your browser. The code is valid for ${Math.max(1, Math.round(auth.expiresIn / 60))} minutes.`, 'Copy Code and Open Browser')
                    .then(async (a) => {
                      if (!a) return;
                      await vscode.env.clipboard.writeText(auth.userCode);
                      await this.d.openExternal(auth.verificationUriComplete || auth.verificationUri);
                    });
                },
              },
              abort.signal,
            );
          } finally {
            sub.dispose();
          }
        },
      );
    } catch (e) {
      const kind = signInFailure(e);
      if (kind === 'cancelled') {
        this.d.log.info(`sign-in to ${portal.startUrl} cancelled`);
        return false;
      }
      this.d.log.error(`sign-in to ${portal.startUrl} failed [${kind}]`, e);
      const text =
        kind === 'denied'
          ? `The sign-in to IAM Identity Center (${host}) was denied in the browser. Sign in again and choose Allow, or ask your administrator for access.`
          : kind === 'expired'
            ? `The sign-in code for IAM Identity Center (${host}) expired before it was approved. Sign in again and approve the new code in the browser.`
            : `Could not sign in to IAM Identity Center (${host}): ${(e as Error)?.message ?? String(e)}. Check the start URL and region (${portal.file ? `${portal.file}${portal.line ? ` line ${portal.line}` : ''}` : 'setting roleSwitcher.sso.startUrls'}), then sign in again.`;
      const a = await vscode.window.showErrorMessage(this.d.redactor.redact(text), SIGN_IN_AGAIN);
      if (a === SIGN_IN_AGAIN) return this.signIn(portal.id);
      return false;
    }
    this.states.set(portal.id, 'signedIn');
    this.changed.fire();
    vscode.window.setStatusBarMessage(`$(pass) Signed in to ${host}`, 3000);
    this.d.log.info(`signed in to ${portal.startUrl}`);
    await this.discover(portal, true, true);
    return true;
  }

  // ---- sign out ---------------------------------------------------------------------------------

  async signOut(arg?: unknown): Promise<void> {
    const portal = await this.pickPortal(arg, 'Sign Out of IAM Identity Center');
    if (!portal) return;
    await this.d.ports().tokens.signOut(portal);
    await this.afterSignOut(portal);
  }

  /** Forgets the portal's accounts and ends sessions obtained through it (also when the core signs out). */
  async afterSignOut(portal: SsoPortal): Promise<void> {
    const host = hostOf(portal.startUrl);
    this.states.set(portal.id, 'signedOut');
    this.data.delete(portal.id);
    this.d.setCatalogRoles(portal.id, []);
    this.changed.fire();
    this.d.log.info(`signed out of ${portal.startUrl}`);
    const base = this.d.store.sessions[0];
    const through = base && (base.permissionSet?.portalId === portal.id || (base.role.base.kind === 'sso' && base.role.base.sso.portalId === portal.id) || base.role.sso?.portalId === portal.id);
    if (through) {
      const label = this.d.store.current?.role.label ?? base.role.label;
      await this.d.endSessions();
      void vscode.window.showInformationMessage(`Signed out of IAM Identity Center (${host}). The session as ${label} came from it and has ended: you are back to your base identity.`);
    } else {
      void vscode.window.showInformationMessage(`Signed out of IAM Identity Center (${host}).`);
    }
  }

  // ---- add --------------------------------------------------------------------------------------

  /** Add IAM Identity Center…: start URL and region, saved to user settings. */
  async addPortal(): Promise<SsoPortal | undefined> {
    const startUrl = await vscode.window.showInputBox({
      title: 'Add IAM Identity Center (1/2)',
      prompt: 'The AWS access portal URL (start URL) your organization gave you',
      placeHolder: 'https://my-company.awsapps.com/start',
      ignoreFocusOut: true,
      validateInput: (v) => validateStartUrl(v),
    });
    if (!startUrl) return undefined;
    const region = await vscode.window.showInputBox({
      title: 'Add IAM Identity Center (2/2)',
      prompt: 'The region of IAM Identity Center (sso_region), e.g. us-east-1',
      placeHolder: 'us-east-1',
      value: 'us-east-1',
      ignoreFocusOut: true,
      validateInput: (v) => validateRegion(v),
    });
    if (!region) return undefined;
    const entry = { startUrl: startUrl.trim(), region: region.trim() };
    const list = this.d.settingsPortals().filter((e) => normalizeUrl(e.startUrl) !== normalizeUrl(entry.startUrl));
    await this.d.saveSettingsPortals([...list, entry]);
    const portal: SsoPortal = this.portals().find((p) => normalizeUrl(p.startUrl) === normalizeUrl(entry.startUrl)) ?? { id: `url:${entry.startUrl}`, ...entry, source: 'settings' };
    this.changed.fire();
    const a = await vscode.window.showInformationMessage(`Added IAM Identity Center ${hostOf(entry.startUrl)} to your user settings (roleSwitcher.sso.startUrls).`, 'Sign In');
    if (a) await this.signIn(portal.id);
    return portal;
  }

  // ---- discovery --------------------------------------------------------------------------------

  /** Refresh: every portal (or the one given) from AWS again. */
  async refresh(arg?: unknown): Promise<void> {
    const id = portalIdOf(arg);
    const list = id ? this.portals().filter((p) => p.id === id) : this.portals();
    await this.refreshStates();
    await Promise.all(list.filter((p) => this.state(p.id) === 'signedIn').map((p) => this.discover(p, true, true)));
  }

  /**
   * Fills the portal's accounts, then each account's permission sets as they arrive, under a cancellable
   * "n of N accounts" notification. A fresh cached result (roleSwitcher.discovery.cacheTtlMinutes) is
   * used unless `force`.
   */
  discover(portal: SsoPortal, force: boolean, showErrors: boolean): Promise<void> {
    const running = this.running.get(portal.id);
    if (running) return running;
    const cached = this.data.get(portal.id);
    if (!force && cached?.fetchedAt !== undefined && this.now() - cached.fetchedAt < this.d.ttlMs()) return Promise.resolve();
    const run = this.runDiscovery(portal, showErrors).finally(() => this.running.delete(portal.id));
    this.running.set(portal.id, run);
    return run;
  }

  private async runDiscovery(portal: SsoPortal, showErrors: boolean): Promise<void> {
    const host = hostOf(portal.startUrl);
    const ports = this.d.ports();
    const entry: PortalData = { roles: new Map() };
    let fresh = false;
    try {
      await vscode.window.withProgress(
        // Asked for (sign in, Refresh): a cancellable notification; in the background: the view's progress bar.
        { location: showErrors ? vscode.ProgressLocation.Notification : { viewId: 'roleSwitcher.roles' }, title: `IAM Identity Center (${host}): listing accounts`, cancellable: showErrors },
        async (progress, ct) => {
          const abort = new AbortController();
          const sub = ct.onCancellationRequested(() => abort.abort());
          try {
            const token = await ports.tokens.token(portal, abort.signal);
            const previous = this.data.get(portal.id);
            this.data.set(portal.id, entry);
            // Keep showing the previous roles until this run's arrive (a refresh never empties the tree).
            if (previous?.accounts) for (const [k, v] of previous.roles) entry.roles.set(k, v);
            let last = 0;
            await ports.discovery.discover(
              portal,
              token,
              Math.min(32, Math.max(1, this.d.concurrency())),
              {
                onAccounts: (accounts) => {
                  entry.accounts = [...accounts].sort((a, b) => (a.accountName ?? a.accountId).localeCompare(b.accountName ?? b.accountId));
                  for (const k of [...entry.roles.keys()]) if (!accounts.some((a) => a.accountId === k)) entry.roles.delete(k);
                  entry.progress = { done: 0, total: accounts.length };
                  progress.report({ message: `0 of ${accounts.length} accounts` });
                  this.changed.fire();
                },
                onRoles: (account, roles) => {
                  entry.roles.set(account.accountId, [...roles].sort((a, b) => a.roleName.localeCompare(b.roleName)));
                  this.changed.fire();
                },
                onProgress: (done, total) => {
                  entry.progress = { done, total };
                  const inc = total ? ((done - last) / total) * 100 : 0;
                  last = done;
                  progress.report({ message: `${done} of ${total} accounts`, increment: inc });
                },
              },
              abort.signal,
            );
            fresh = true;
          } finally {
            sub.dispose();
          }
        },
      );
    } catch (e) {
      entry.progress = undefined;
      this.d.setCatalogRoles(portal.id, this.rolesOf(portal.id));
      this.changed.fire();
      if (isAbort(e)) {
        this.d.log.info(`listing the accounts of ${portal.startUrl} cancelled`);
        return;
      }
      if (isSignInRequired(e)) {
        this.states.set(portal.id, (await this.safeState(portal)) === 'expired' ? 'expired' : 'signedOut');
        this.changed.fire();
        if (showErrors) await this.askSignIn(portal, 'Your sign-in has ended', () => this.discover(portal, true, true));
        return;
      }
      entry.error = this.d.redactor.redact((e as Error)?.message ?? String(e));
      this.d.log.error(`listing the accounts of ${portal.startUrl} failed`, e);
      if (showErrors) {
        const a = await vscode.window.showErrorMessage(this.d.redactor.redact(`Could not list the accounts of IAM Identity Center (${host}): ${entry.error}`), 'Try Again', 'Show Log');
        if (a === 'Try Again') await this.discover(portal, true, true);
      }
      return;
    }
    entry.progress = undefined;
    if (fresh) entry.fetchedAt = this.now();
    this.d.setCatalogRoles(portal.id, this.rolesOf(portal.id));
    this.changed.fire();
    const n = entry.accounts?.length ?? 0;
    this.d.log.info(`IAM Identity Center ${portal.startUrl}: ${n} account${n === 1 ? '' : 's'}, ${this.rolesOf(portal.id).length} permission sets`);
  }

  private async safeState(portal: SsoPortal): Promise<PortalState> {
    try {
      return await this.d.ports().tokens.state(portal);
    } catch {
      return 'signedOut';
    }
  }

  /** Every discovered permission set of a portal. */
  rolesOf(portalId: string): RoleDefinition[] {
    const e = this.data.get(portalId);
    return e ? [...e.roles.values()].flat() : [];
  }

  // ---- switching --------------------------------------------------------------------------------

  /** The switcher's SwitcherDeps.ssoCredentials: the portal's token, then GetRoleCredentials. */
  async credentials(ref: SsoRoleRef, signal?: AbortSignal): Promise<SsoRoleCredentials> {
    const portal = this.portal(ref.portalId);
    if (!portal) throw new Error(`the IAM Identity Center portal ${ref.portalId} is no longer configured (~/.aws/config or setting roleSwitcher.sso.startUrls)`);
    const ports = this.d.ports();
    const sig = eventSignal(signal);
    const token = await ports.tokens.token(portal, sig);
    const c = await ports.gateway.getRoleCredentials(this.d.callOptions(portal, sig), token, ref.accountId, ref.roleName);
    this.d.redactor.add(c.secretAccessKey, c.sessionToken);
    return c;
  }

  /**
   * The assume path's error report for IAM Identity Center errors: sign in again (and retry), or a
   * permission set that is no longer assigned (and the tree refreshes). True when it handled `e`.
   */
  async reportAssumeError(role: RoleDefinition, e: unknown, retry: () => unknown): Promise<boolean> {
    const ref = role.sso ?? (role.base.kind === 'sso' ? role.base.sso : undefined);
    if (!ref) return false;
    const portal = this.portal(ref.portalId);
    const name = (e as Error)?.name ?? '';
    if (isSignInRequired(e) || name === 'UnauthorizedException') {
      if (!portal) return false;
      this.d.log.warn(`assume of ${role.label}: IAM Identity Center sign-in required (${name})`);
      this.states.set(portal.id, (await this.safeState(portal)) === 'expired' ? 'expired' : 'signedOut');
      this.changed.fire();
      await this.askSignIn(portal, `To switch to ${role.label}, sign in again`, retry);
      return true;
    }
    if (name === 'ResourceNotFoundException' || name === 'ForbiddenException' || name === 'AccessDeniedException') {
      const account = ref.accountName ? `${ref.accountName} (${ref.accountId})` : ref.accountId;
      this.d.log.warn(`assume of ${role.label}: permission set ${ref.roleName} not assigned in ${ref.accountId} (${name})`);
      void vscode.window.showErrorMessage(`The permission set ${ref.roleName} is no longer assigned to you in account ${account}. The Roles view is refreshed; ask your administrator if you still need it.`);
      if (portal && this.state(portal.id) === 'signedIn') void this.discover(portal, true, false);
      return true;
    }
    return false;
  }

  private async askSignIn(portal: SsoPortal, why: string, then: () => unknown): Promise<void> {
    const a = await vscode.window.showWarningMessage(`${why}: your IAM Identity Center sign-in (${hostOf(portal.startUrl)}) has expired or was revoked. Sign in again to continue.`, 'Sign in again');
    if (a && (await this.signIn(portal.id))) await then();
  }

  // ---- tree -------------------------------------------------------------------------------------

  roots(): Node[] {
    void this.loadStates();
    return this.portals().map((p) => ({ kind: 'sso', sso: { type: 'portal', portalId: p.id } }) as const);
  }

  children(node: Node): Node[] {
    if (node.kind !== 'sso') return [];
    const n = node.sso;
    const portal = this.portal(n.portalId);
    if (!portal) return [];
    if (n.type === 'portal') {
      const out: Node[] = [];
      const st = this.state(portal.id);
      if (st !== 'signedIn') out.push({ kind: 'sso', sso: { type: 'signIn', portalId: portal.id } });
      const e = this.data.get(portal.id);
      if (e?.progress && !e.accounts) out.push({ kind: 'sso', sso: { type: 'info', portalId: portal.id, text: 'Listing accounts…' } });
      if (e?.error) out.push({ kind: 'sso', sso: { type: 'info', portalId: portal.id, text: `Listing failed: ${e.error}` } });
      for (const a of this.accountsOf(portal)) out.push({ kind: 'sso', sso: { type: 'account', portalId: portal.id, accountId: a.accountId } });
      return out;
    }
    if (n.type === 'account') {
      const roles = this.accountRoles(portal, n.accountId);
      if (roles.length === 0 && this.data.get(portal.id)?.progress) return [{ kind: 'sso', sso: { type: 'info', portalId: portal.id, text: 'Loading permission sets…' } }];
      return roles.map((role) => ({ kind: 'role', role }) as const);
    }
    return [];
  }

  /** Discovered accounts, plus accounts of config SSO profiles for this portal. */
  accountsOf(portal: SsoPortal): SsoAccount[] {
    const out = new Map<string, SsoAccount>();
    for (const a of this.data.get(portal.id)?.accounts ?? []) out.set(a.accountId, a);
    for (const r of this.d.catalogRoles()) {
      if (r.sso?.portalId !== portal.id || out.has(r.accountId)) continue;
      out.set(r.accountId, { accountId: r.accountId, accountName: r.sso.accountName ?? r.accountName, emailAddress: r.sso.accountEmail });
    }
    return [...out.values()];
  }

  /** An account's permission sets: discovered ones, and config profiles naming one not discovered. */
  accountRoles(portal: SsoPortal, accountId: string): RoleDefinition[] {
    const discovered = this.data.get(portal.id)?.roles.get(accountId) ?? [];
    const names = new Set(discovered.map((r) => r.roleName));
    const fromConfig = this.d.catalogRoles().filter((r) => r.sso?.portalId === portal.id && r.accountId === accountId && r.origin !== 'sso' && !names.has(r.roleName));
    const profileSso = this.d.catalogRoles().filter((r) => r.origin === 'sso' && r.id.startsWith('profile:') && r.sso?.portalId === portal.id && r.accountId === accountId && !names.has(r.roleName));
    return [...discovered, ...profileSso, ...fromConfig];
  }

  item(node: Node): vscode.TreeItem {
    if (node.kind !== 'sso') return new vscode.TreeItem('');
    const n: SsoNode = node.sso;
    const portal = this.portal(n.portalId);
    return ssoTreeItem(n, {
      portal,
      state: this.state(n.portalId),
      data: this.data.get(n.portalId),
      account: n.type === 'account' && portal ? this.accountsOf(portal).find((a) => a.accountId === n.accountId) : undefined,
      roleCount: n.type === 'account' && portal ? this.accountRoles(portal, n.accountId).length : 0,
    });
  }
}

// ---- helpers (exported for tests) ----------------------------------------------------------------

export function hostOf(startUrl: string): string {
  try {
    return new URL(startUrl).host || startUrl;
  } catch {
    return startUrl;
  }
}

export function stateText(s: PortalState): string {
  return s === 'signedIn' ? 'signed in' : s === 'expired' ? 'expired' : 'signed out';
}

function normalizeUrl(u: string): string {
  return (u ?? '').trim().replace(/\/+$/, '').toLowerCase();
}

export function validateStartUrl(v: string): string | undefined {
  const s = v.trim();
  if (!s) return 'Enter the start URL of your AWS access portal, e.g. https://my-company.awsapps.com/start';
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return 'That is not a URL. It looks like https://my-company.awsapps.com/start';
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost'))) return 'The start URL must begin with https://';
  if (u.username || u.password) return 'The start URL must not contain a user name or password';
  return undefined;
}

export function validateRegion(v: string): string | undefined {
  return /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(v.trim()) ? undefined : 'Enter an AWS region such as us-east-1 or eu-west-1 (the sso_region of your IAM Identity Center)';
}

function portalIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const n = arg as { kind?: string; sso?: { portalId?: string } } | undefined;
  return n?.kind === 'sso' ? n.sso?.portalId : undefined;
}

/** How a sign-in ended, from the core's error (its kind, or the SDK error name it carries). */
export function signInFailure(e: unknown): 'denied' | 'expired' | 'cancelled' | 'other' {
  const x = e as { name?: string; kind?: string; reason?: string; code?: string } | undefined;
  const tag = `${x?.kind ?? ''} ${x?.reason ?? ''} ${x?.name ?? ''} ${x?.code ?? ''}`.toLowerCase();
  if (isAbort(e) || /cancel/.test(tag)) return 'cancelled';
  if (/denied/.test(tag)) return 'denied';
  if (/expired/.test(tag)) return 'expired';
  return 'other';
}

/**
 * The assume path's Cancel signal is the light `{ aborted, onabort }` shape (commands/switching.ts
 * CancelSignal); the token manager listens with addEventListener, so it gets a real AbortSignal that follows it.
 */
export function eventSignal(s: AbortSignal | undefined): AbortSignal | undefined {
  if (!s || typeof s.addEventListener === 'function') return s;
  const c = new AbortController();
  if (s.aborted) c.abort();
  else {
    const light = s as unknown as { onabort: ((ev?: unknown) => unknown) | null };
    const prev = light.onabort;
    light.onabort = (ev?: unknown) => {
      prev?.(ev);
      c.abort();
    };
  }
  return c.signal;
}

function isAbort(e: unknown): boolean {
  const n = (e as Error)?.name;
  return n === 'AbortError' || n === 'Cancelled' || n === 'CancelledError';
}

function isSignInRequired(e: unknown): boolean {
  return (e as Error)?.name === 'SsoSignInRequired';
}
