import * as vscode from 'vscode';

/** Every setting key, named once. */
export const Keys = {
  roles: 'roles',
  sourceProfile: 'sourceProfile',
  region: 'region',
  endpointUrl: 'endpointUrl',
  requestTimeoutSeconds: 'requestTimeoutSeconds',
  defaultDurationSeconds: 'defaultDurationSeconds',
  expiryWarningMinutes: 'expiryWarningMinutes',
  showBaseIdentity: 'statusBar.showBaseIdentity',
  injectCredentials: 'terminal.injectCredentials',
  terminalMode: 'terminal.mode',
  showServiceRoles: 'discovery.showServiceRoles',
  cacheTtlMinutes: 'discovery.cacheTtlMinutes',
  simulatePolicies: 'discovery.simulatePolicies',
  workspaceRole: 'workspaceRole',
  organizationRoleNames: 'organizationRoleNames',
  renewBeforeMinutes: 'session.renewBeforeMinutes',
  restoreOnReload: 'session.restoreOnReload',
  mfaSessionHours: 'mfa.sessionDurationHours',
  accounts: 'accounts',
  confirmByTyping: 'accounts.confirmByTyping',
  treeGroupBy: 'tree.groupBy',
} as const;

export const SECTION = 'roleSwitcher';

/**
 * Settings that could redirect credentials. In an untrusted workspace only the user's own values
 * count, whatever a repository's .vscode/settings.json says (VS Code already drops them for
 * restrictedConfigurations; this is the second lock on the same door).
 */
const RESTRICTED = new Set<string>([Keys.endpointUrl, Keys.roles, Keys.sourceProfile, Keys.region, Keys.injectCredentials, Keys.organizationRoleNames, Keys.terminalMode]);

export class Settings {
  /**
   * One configuration snapshot until the next change event: a switch reads several settings, and
   * getConfiguration builds a fresh merged view each time.
   */
  private cfg: vscode.WorkspaceConfiguration | undefined;
  private readonly subs = [
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) this.cfg = undefined;
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => (this.cfg = undefined)),
  ];

  dispose(): void {
    for (const d of this.subs) d.dispose();
  }

  private read<T>(key: string, fallback: T): T {
    const cfg = (this.cfg ??= vscode.workspace.getConfiguration(SECTION));
    if (RESTRICTED.has(key) && !vscode.workspace.isTrusted) {
      const i = cfg.inspect<T>(key);
      return (i?.globalValue ?? i?.defaultValue ?? fallback) as T;
    }
    return cfg.get<T>(key, fallback);
  }

  get roles(): unknown[] {
    const v = this.read<unknown>(Keys.roles, []);
    return Array.isArray(v) ? v : [];
  }
  get sourceProfile(): string | undefined {
    return this.read<string>(Keys.sourceProfile, '').trim() || undefined;
  }
  get region(): string {
    return this.read<string>(Keys.region, '').trim() || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
  }
  get endpointUrl(): string | undefined {
    return this.read<string>(Keys.endpointUrl, '').trim() || undefined;
  }
  get requestTimeoutMs(): number {
    const s = Number(this.read<number>(Keys.requestTimeoutSeconds, 10));
    return Math.round((Number.isFinite(s) && s > 0 ? Math.min(s, 120) : 10) * 1000);
  }
  get defaultDurationSeconds(): number {
    const s = Number(this.read<number>(Keys.defaultDurationSeconds, 3600));
    return Number.isInteger(s) && s >= 900 && s <= 43200 ? s : 3600;
  }
  get expiryWarningMinutes(): number {
    const m = Number(this.read<number>(Keys.expiryWarningMinutes, 5));
    return Number.isFinite(m) && m >= 0 ? m : 5;
  }
  get showBaseIdentity(): boolean {
    return this.read<boolean>(Keys.showBaseIdentity, true) !== false;
  }
  get injectCredentials(): boolean {
    return this.read<boolean>(Keys.injectCredentials, true) !== false;
  }
  /** roleSwitcher.terminal.mode: `env` (keys in the terminal) or `endpoint` (the local credential endpoint). */
  get terminalMode(): 'env' | 'endpoint' {
    return this.read<string>(Keys.terminalMode, 'env') === 'endpoint' ? 'endpoint' : 'env';
  }
  /** roleSwitcher.session.renewBeforeMinutes: renew this long before a session ends (1 to 30, default 5). */
  get renewBeforeMinutes(): number {
    const v = this.read<number>(Keys.renewBeforeMinutes, 5);
    return typeof v === 'number' && Number.isFinite(v) ? Math.min(30, Math.max(1, v)) : 5;
  }
  /** roleSwitcher.session.restoreOnReload: keep the session in SecretStorage and restore it after a reload. */
  get restoreSessions(): boolean {
    return this.read<boolean>(Keys.restoreOnReload, true) !== false;
  }
  /** roleSwitcher.mfa.sessionDurationHours in seconds: how long one MFA code lasts (0 = a code per switch). */
  get mfaSessionSeconds(): number {
    const v = this.read<number>(Keys.mfaSessionHours, 1);
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return 0;
    return Math.round(Math.min(36, Math.max(0.25, v)) * 3600);
  }
  /** roleSwitcher.tree.groupBy, unparsed (core/grouping.ts parseGroupBy). */
  get treeGroupBy(): unknown {
    return this.read<unknown>(Keys.treeGroupBy, 'account');
  }

  get showServiceRoles(): boolean {
    return this.read<boolean>(Keys.showServiceRoles, false) === true;
  }
  get cacheTtlMs(): number {
    const m = Number(this.read<number>(Keys.cacheTtlMinutes, 30));
    return (Number.isFinite(m) && m >= 0 ? m : 30) * 60_000;
  }
  get simulatePolicies(): boolean {
    return this.read<boolean>(Keys.simulatePolicies, true) !== false;
  }
  get organizationRoleNames(): string[] {
    const v = this.read<unknown>(Keys.organizationRoleNames, ['OrganizationAccountAccessRole']);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : [];
  }
  /**
   * roleSwitcher.workspaceRole for a folder (resource scope): a profile name, role ARN or label. In an
   * untrusted workspace only the user's own value counts, like the restricted keys above (VS Code
   * drops workspace values of restrictedConfigurations too).
   */
  workspaceRole(folder?: vscode.Uri): string | undefined {
    const cfg = vscode.workspace.getConfiguration(SECTION, folder);
    const v = vscode.workspace.isTrusted ? cfg.get<unknown>(Keys.workspaceRole) : cfg.inspect<unknown>(Keys.workspaceRole)?.globalValue;
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  }

  /** roleSwitcher.accounts as written (validated by core/accounts.ts); `confirmByTyping` shows up in it (VS Code nests dotted keys). */
  get accounts(): unknown {
    return this.read<unknown>(Keys.accounts, undefined);
  }
  /** Whether roleSwitcher.accounts has any entry besides the nested confirmByTyping. */
  get hasAccounts(): boolean {
    const v = this.accounts;
    return v !== null && v !== undefined && (typeof v !== 'object' || Object.keys(v).some((k) => k !== 'confirmByTyping'));
  }
  get confirmByTyping(): boolean {
    return this.read<boolean>(Keys.confirmByTyping, false) === true;
  }

  /** Saves the role list to user settings (never to the workspace). */
  async saveRoles(roles: unknown[]): Promise<void> {
    await vscode.workspace.getConfiguration(SECTION).update(Keys.roles, roles, vscode.ConfigurationTarget.Global);
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) listener();
    });
  }
}
