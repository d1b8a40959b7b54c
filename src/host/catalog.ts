import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { awsFilePaths, loadProfiles, readAwsFiles, type Profile } from '../core/profiles';
import { groupByAccount, rolesFromProfiles } from '../core/roles';
import { hasSsoSettings } from '../core/ssoConfig';
import { loadFeatures } from './featuresLoader';
import type { SsoPortal, SsoRoleRef } from '../core/ssoTypes';
import type { DiscoveryResult } from '../core/discovery';
import type { BaseSource, RoleDefinition } from '../core/types';
import { Disposable } from './lifecycle';
import type { ScopedLogger } from './logger';
import type { Settings } from './settings';

export interface CatalogProblem {
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
}

/** All roles the user can pick from: config profiles, settings and discovery, kept current. */
export class RoleCatalog extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private merged: RoleDefinition[] | undefined;

  private fileRoles: RoleDefinition[] = [];
  private settingsRoles: RoleDefinition[] = [];
  private discovered: DiscoveryResult | undefined;
  private profileMap = new Map<string, Profile>();
  private configProblems: CatalogProblem[] = [];
  private settingsProblems: CatalogProblem[] = [];
  private loadedOnce = false;
  private loading: Promise<void> | undefined;
  private reloadAgain = false;
  private watchers: vscode.Disposable[] = [];
  private watchedKey = '';
  readonly aliases = new Map<string, string>();
  /** IAM Identity Center permission sets by portal id, as discovery found them (host/sso). */
  private ssoRoles = new Map<string, readonly RoleDefinition[]>();
  private ssoConfigPortals: SsoPortal[] = [];
  private ssoRefs = new Map<string, SsoRoleRef>();

  constructor(
    private readonly settings: Settings,
    private readonly log: ScopedLogger,
  ) {
    super();
    this._register({ dispose: () => this.watchers.forEach((w) => w.dispose()) });
    this._register(settings.onDidChange(() => void this.reload()));
  }

  get loaded(): boolean {
    return this.loadedOnce;
  }

  get profiles(): ReadonlyMap<string, Profile> {
    return this.profileMap;
  }

  get paths(): { config: string; credentials: string } {
    return awsFilePaths(process.env, os.homedir());
  }

  /** The IAM Identity Center portals of ~/.aws/config ([sso-session] sections, legacy start URLs). */
  get ssoPortals(): readonly SsoPortal[] {
    return this.ssoConfigPortals;
  }

  get problems(): CatalogProblem[] {
    return [...this.configProblems, ...this.settingsProblems];
  }

  get discovery(): DiscoveryResult | undefined {
    return this.discovered;
  }

  /**
   * Whether base credentials seem to exist, judged from files and environment only (no AWS call, so
   * activation stays cheap). Instance or container roles without these hints read as missing; the
   * wording in the view says "found in your AWS files or environment" for that reason.
   */
  get hasBaseCredentials(): boolean {
    const env = process.env;
    if (env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_WEB_IDENTITY_TOKEN_FILE) {
      return true;
    }
    const p = this.profileMap.get(this.settings.sourceProfile ?? 'default');
    if (p && (p.hasStaticKeys || p.sso_session || p.sso_start_url || p.credential_process || p.role_arn || p.credential_source)) return true;
    // Roles whose source_profile chain ends in usable credentials count too.
    return [...this.profileMap.values()].some((x) => x.hasStaticKeys || x.sso_session || x.sso_start_url || x.credential_process);
  }

  /** Base identity for roles without their own source. */
  get defaultBase(): BaseSource {
    const p = this.settings.sourceProfile;
    if (!p) return { kind: 'default' };
    // A profile with keys is signed with them (even if it also names a role); anything else goes to the SDK.
    const prof = this.profileMap.get(p);
    const sso = prof && !prof.role_arn ? this.ssoRefs.get(p) : undefined;
    if (sso) return { kind: 'sso', sso };
    return prof?.hasStaticKeys ? { kind: 'profileKeys', profile: p } : { kind: 'profile', profile: p };
  }

  /** The merged list, rebuilt only when an input changed (the tree, the QuickPick and menus all read it). */
  get roles(): RoleDefinition[] {
    return (this.merged ??= this.merge());
  }

  private merge(): RoleDefinition[] {
    const discovered = this.discovered?.roles ?? [];
    const showService = this.settings.showServiceRoles;
    const visible = discovered.filter((r) => showService || !this.discovered?.evaluations.get(r.roleArn)?.serviceRole);
    const seen = new Set<string>();
    const out: RoleDefinition[] = [];
    // Config and settings roles come first; a discovered role already listed by ARN adds its verdict.
    const verdictFor = new Map(discovered.map((r) => [r.roleArn, r.verdict]));
    for (const r of [...this.fileRoles, ...this.settingsRoles]) {
      seen.add(r.roleArn);
      const v = r.verdict ?? verdictFor.get(r.roleArn);
      out.push(v && !r.verdict ? ({ ...r, verdict: v } as RoleDefinition) : r);
    }
    for (const r of visible) if (!seen.has(r.roleArn)) out.push(r);
    for (const list of this.ssoRoles.values()) for (const r of list) if (!seen.has(r.roleArn)) out.push(r);
    return out;
  }

  /** Roles by account, rebuilt only when the merged list is (the tree asks on every refresh). */
  groups() {
    const roles = this.roles;
    if (this.grouped?.roles !== roles) this.grouped = { roles, groups: groupByAccount(roles, this.aliases) };
    return this.grouped.groups;
  }
  private grouped: { roles: RoleDefinition[]; groups: ReturnType<typeof groupByAccount> } | undefined;

  find(id: string): RoleDefinition | undefined {
    return this.roles.find((r) => r.id === id);
  }

  setDiscovered(result: DiscoveryResult | undefined): void {
    this.discovered = result;
    if (result?.accountAlias) this.aliases.set(result.caller.accountId, result.accountAlias);
    for (const a of result?.accounts ?? []) if (a.name && !this.aliases.has(a.id)) this.aliases.set(a.id, a.name);
    this.fireChanged();
  }

  /** A portal's discovered permission sets (origin 'sso'); [] removes them (sign out). */
  setSsoRoles(portalId: string, roles: readonly RoleDefinition[]): void {
    if (roles.length) this.ssoRoles.set(portalId, roles);
    else if (!this.ssoRoles.delete(portalId)) return;
    for (const r of roles) if (r.accountName && !this.aliases.has(r.accountId)) this.aliases.set(r.accountId, r.accountName);
    this.fireChanged();
  }

  /** Partial discovery results as pages arrive. */
  addDiscovered(roles: RoleDefinition[]): void {
    const prev = this.discovered;
    const base: DiscoveryResult = prev ?? ({ roles: [], evaluations: new Map(), skipped: [], accounts: [] } as unknown as DiscoveryResult);
    this.discovered = { ...base, roles: [...base.roles.filter((r) => !roles.some((n) => n.id === r.id)), ...roles] };
    this.fireChanged();
  }

  /** Every input change goes through here: drop the merged list, then tell the listeners. */
  private fireChanged(): void {
    this.merged = undefined;
    this.changed.fire();
  }

  reload(): Promise<void> {
    // Coalesce bursts of change events (an editor save fires several), but never miss the last one.
    if (this.loading) {
      this.reloadAgain = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.reloadAgain = false;
        await this.doReload();
      } while (this.reloadAgain);
    })().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async doReload(): Promise<void> {
    const home = os.homedir();
    try {
      const files = await readAwsFiles(process.env, home);
      const { profiles, errors } = loadProfiles(files);
      const fromFiles = rolesFromProfiles(profiles);
      // IAM Identity Center: [sso-session] portals, SSO profiles as permission sets (core/ssoConfigFile.ts,
      // in dist/features.js: loaded only when the files have IAM Identity Center settings).
      const sso = hasSsoSettings(files.configText, profiles) ? loadFeatures().ssoCatalog(files.configText, files.paths.config, profiles, fromFiles.roles) : undefined;
      this.profileMap = profiles;
      this.ssoConfigPortals = sso?.portals ?? [];
      this.ssoRefs = sso?.refs ?? new Map();
      this.fileRoles = sso?.roles ?? fromFiles.roles;
      this.configProblems = [...errors, ...fromFiles.errors, ...(sso?.errors ?? [])].map((e) => ({ message: e.message, file: e.file || undefined, line: e.line }));
      this.watch(files.paths);
    } catch (e) {
      // A bad file never takes the previous roles away; it is reported instead.
      this.configProblems = [{ message: (e as Error).message, file: (e as { file?: string }).file, line: (e as { line?: number }).line }];
      this.log.error('reading the AWS config files failed', e);
    }
    // roleSwitcher.roles: its validation (core/roles.ts rolesFromSettings) is in dist/features.js, loaded only when the setting lists a role.
    const entries = this.settings.roles;
    const fromSettings = entries.length ? loadFeatures().rolesFromSettings(entries, { sourceProfile: this.settings.sourceProfile, profiles: this.profileMap }) : { roles: [], errors: [] };
    this.settingsRoles = fromSettings.roles;
    this.settingsProblems = fromSettings.errors.map((e) => ({ message: `Setting roleSwitcher.roles: ${e.message}` }));
    for (const p of this.problems) this.log.warn(p.message);
    this.loadedOnce = true;
    this.fireChanged();
  }

  private watch(paths: { config: string; credentials: string }): void {
    const key = `${paths.config}|${paths.credentials}`;
    if (key === this.watchedKey) return;
    this.watchedKey = key;
    this.watchers.forEach((w) => w.dispose());
    this.watchers = [];
    for (const file of [paths.config, paths.credentials]) {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
      const fire = () => void this.reload();
      w.onDidChange(fire);
      w.onDidCreate(fire);
      w.onDidDelete(fire);
      this.watchers.push(w);
    }
  }
}
