import * as os from 'node:os';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AwsModule } from '../aws/lazy';
import type { AwsGateway, CallOptions } from '../core/gateway';
import { parseRoleArn, roleArn as makeRoleArn } from '../core/arn';
import type { DiscoveryCache, DiscoveryResult } from '../core/discovery';
import type { ErrorAction } from '../core/errorText';
import { isCancelled } from '../core/errors';
import type { Redactor } from '../core/redact';
import { validateAddRoleInput } from '../core/roles';
import type { SessionStore } from '../core/session';
import type { HopError, Switcher } from '../core/switcher';
import { exportLines } from '../core/terminalEnv';
import type { RoleDefinition, Session } from '../core/types';
import type { RoleCatalog } from './catalog';
import { showExplainReport } from './explainView';
import { Disposable } from './lifecycle';
import type { ScopedLogger } from './logger';
import type { Settings } from './settings';
import type { StatusBar } from './statusBar';
import type { Node, RoleTreeProvider } from './tree';

export interface CommandDeps {
  catalog: RoleCatalog;
  store: SessionStore;
  /** Built on first use, with the AWS bundle. */
  switcher(): Switcher;
  /** Forgets cached clients and identities, without loading the AWS bundle. */
  resetAwsCaches(): void;
  settings: Settings;
  statusBar: StatusBar;
  tree: RoleTreeProvider;
  redactor: Redactor;
  log: ScopedLogger;
  gateway(): AwsGateway;
  /** The lazily loaded AWS bundle (discovery, explain). */
  aws(): AwsModule;
  showLog(): void;
}

/** Every command handler. Handlers catch, log and explain their errors; cancellation is silent. */
export class Commands extends Disposable {
  private assumableOnly = false;
  private cache: DiscoveryCache | undefined;
  private lastCallerArn: string | undefined;

  constructor(private readonly d: CommandDeps) {
    super();
    const handlers: Record<string, (...args: any[]) => unknown> = {
      'roleSwitcher.assumeRole': () => this.pickAndAssume(),
      'roleSwitcher.assumeItem': (n?: Node) => (n?.kind === 'role' ? this.assume(n.role) : this.pickAndAssume()),
      'roleSwitcher.switchBack': () => this.switchBack(),
      'roleSwitcher.addRole': () => this.addRole(),
      'roleSwitcher.removeRole': (n?: Node) => n?.kind === 'role' && this.removeRole(n.role),
      'roleSwitcher.copyArn': (n?: Node) => n?.kind === 'role' && this.copy(n.role.roleArn, 'Role ARN copied.'),
      'roleSwitcher.refresh': () => this.refresh(),
      'roleSwitcher.discoverRoles': () => this.discover(true),
      'roleSwitcher.explainAccess': (arg?: string) => this.explain(typeof arg === 'string' ? arg : undefined),
      'roleSwitcher.explainItem': (n?: Node) => n?.kind === 'role' && this.explain(n.role.roleArn),
      'roleSwitcher.sessionMenu': () => this.sessionMenu(),
      'roleSwitcher.copyCredentials': () => this.copyCredentials(),
      'roleSwitcher.showIdentity': () => this.showIdentity(),
      'roleSwitcher.openConfig': (file?: string, line?: number) => this.openConfig(typeof file === 'string' ? file : undefined, line),
      'roleSwitcher.showLog': () => d.showLog(),
      'roleSwitcher.toggleAssumableOnly': () => this.toggleFilter(),
    };
    for (const [id, fn] of Object.entries(handlers)) {
      this._register(vscode.commands.registerCommand(id, (...args: unknown[]) => this.guard(id, () => fn(...args))));
    }
  }

  /** Created on first use so activation never loads the AWS bundle. */
  private get discoveryCache(): DiscoveryCache {
    return (this.cache ??= new (this.d.aws().DiscoveryCache)(this.d.settings.cacheTtlMs));
  }

  get filterAssumableOnly(): boolean {
    return this.assumableOnly;
  }

  get baseCallerArn(): string | undefined {
    return this.lastCallerArn;
  }

  private async guard(id: string, fn: () => unknown): Promise<void> {
    try {
      await fn();
    } catch (e) {
      if (isCancelled(e)) return;
      this.d.log.error(`${id} failed`, e);
      void vscode.window.showErrorMessage(this.d.redactor.redact(`Role Switcher: ${(e as Error)?.message ?? String(e)}`), 'Show Log').then((a) => a && this.d.showLog());
    }
  }

  // ---- assume ------------------------------------------------------------------------------

  private async pickAndAssume(): Promise<void> {
    if (!this.d.catalog.loaded) await this.d.catalog.reload();
    const roles = this.d.catalog.roles;
    if (roles.length === 0) {
      const a = await vscode.window.showInformationMessage('No roles to assume yet. Add one, or add a profile with role_arn to your AWS config file.', 'Add Role…', 'Open AWS Config File');
      if (a === 'Add Role…') await this.addRole();
      if (a === 'Open AWS Config File') await this.openConfig();
      return;
    }
    type Item = vscode.QuickPickItem & { role: RoleDefinition };
    const active = this.d.store.current?.role.id;
    const items: Item[] = roles.map((role) => ({
      role,
      label: role.label,
      description: [this.d.catalog.aliases.get(role.accountId) ?? role.accountId, role.verdict?.kind, role.id === active ? 'active' : undefined].filter(Boolean).join(' · '),
      detail: role.roleArn,
      iconPath: new vscode.ThemeIcon(role.id === active ? 'shield' : 'person'),
    }));
    const pick = await vscode.window.showQuickPick(items, {
      title: 'Role Switcher: Assume Role',
      placeHolder: 'Type a label, account or ARN',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (pick) await this.assume(pick.role);
  }

  async assume(role: RoleDefinition, chain = false): Promise<Session | undefined> {
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Assuming ${role.label}…`, cancellable: true },
        async (_p, token) => {
          const ac = new AbortController();
          const sub = token.onCancellationRequested(() => ac.abort());
          try {
            return chain ? await this.d.switcher().chainFrom(role, ac.signal) : await this.d.switcher().switchTo(role, ac.signal);
          } finally {
            sub.dispose();
          }
        },
      );
      for (const n of result.notices) void vscode.window.showInformationMessage(this.d.redactor.redact(n));
      vscode.window.setStatusBarMessage(`$(shield) Assumed ${role.label}`, 3000);
      return result.session;
    } catch (e) {
      if (isCancelled(e)) {
        this.d.log.info(`assume of ${role.roleArn} cancelled`);
        return undefined;
      }
      await this.reportAssumeError(role, e);
      return undefined;
    }
  }

  private async reportAssumeError(role: RoleDefinition, e: unknown): Promise<void> {
    const hopError = (e as Error)?.name === 'HopError' ? (e as HopError) : undefined;
    const cause = hopError ? hopError.cause : e;
    const callerArn = hopError?.callerArn;
    const hop = hopError?.hop;
    const ev = this.cache?.get(callerArn ?? '')?.evaluations.get(hop?.roleArn ?? role.roleArn);
    const trustVerdict = ev ? (ev.verdict.kind === 'notTrusted' ? 'notTrusted' : ev.delegatesToIdentityPolicy ? 'delegates' : 'trusted') : undefined;
    const baseProfile = role.base.kind === 'profile' ? role.base.profile : undefined;
    const baseIsSso = baseProfile ? Boolean(this.d.catalog.profiles.get(baseProfile)?.sso_session || this.d.catalog.profiles.get(baseProfile)?.sso_start_url) : false;
    const t = this.d.aws().translateError(cause, {
      roleLabel: role.label,
      roleArn: role.roleArn,
      callerArn,
      hop,
      endpoint: this.d.settings.endpointUrl ?? process.env.AWS_ENDPOINT_URL_STS ?? process.env.AWS_ENDPOINT_URL,
      region: role.region ?? this.d.settings.region,
      baseProfile,
      baseIsSso,
      trustVerdict,
    });
    if (!t) return;
    this.d.log.error(`assume of ${role.roleArn} failed [${t.kind}]`, cause);
    const labels: Partial<Record<ErrorAction, string>> = {
      copyCallerArn: 'Copy Caller ARN',
      explain: 'Explain',
      openConfig: 'Open AWS Config File',
      openSettings: 'Open Settings',
      retry: 'Try Again',
      showLog: 'Show Log',
    };
    const buttons = t.actions.filter((a) => (a === 'copyCallerArn' ? Boolean(callerArn) : labels[a])).map((a) => labels[a]!);
    const choice = await vscode.window.showErrorMessage(this.d.redactor.redact(t.message), ...buttons);
    const action = (Object.keys(labels) as ErrorAction[]).find((k) => labels[k] === choice);
    switch (action) {
      case 'copyCallerArn':
        if (callerArn) await this.copy(callerArn, 'Caller ARN copied.');
        break;
      case 'explain':
        await this.explain(hop?.roleArn ?? role.roleArn, { code: (cause as Error)?.name ?? 'Error', message: this.d.redactor.redact((cause as Error)?.message ?? '') });
        break;
      case 'openConfig':
        await this.openConfig(role.origin === 'profile' ? undefined : undefined);
        break;
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'roleSwitcher');
        break;
      case 'retry':
        await this.assume(role);
        break;
      case 'showLog':
        this.d.showLog();
        break;
    }
  }

  private async switchBack(): Promise<void> {
    if (!this.d.store.current) {
      void vscode.window.showInformationMessage('No role is assumed; you are already using your base identity.');
      return;
    }
    const now = await this.d.switcher().switchBack();
    vscode.window.setStatusBarMessage(now ? `$(debug-step-back) Back to ${now.role.label}` : '$(debug-step-back) Back to the base identity', 3000);
  }

  // ---- session menu ------------------------------------------------------------------------

  private async sessionMenu(): Promise<void> {
    const s = this.d.store.current;
    type Item = vscode.QuickPickItem & { run: () => unknown };
    const items: Item[] = [{ label: '$(arrow-swap) Switch Role…', run: () => this.pickAndAssume() }];
    if (s) {
      const back = this.d.store.depth > 1 ? this.d.store.sessions[this.d.store.depth - 2].role.label : 'base identity';
      items.push(
        { label: `$(debug-step-back) Switch Back`, description: `to ${back}`, run: () => this.switchBack() },
        { label: '$(link) Chain: Assume a Role from This Session…', run: () => this.pickAndChain() },
        { label: '$(copy) Copy Credentials as export Lines', run: () => this.copyCredentials() },
      );
    }
    items.push({ label: '$(account) Show Identity', run: () => this.showIdentity() }, { label: '$(output) Show Log', run: () => this.d.showLog() });
    const pick = await vscode.window.showQuickPick(items, { title: s ? `Session: ${s.role.label}` : 'Role Switcher', placeHolder: 'Choose an action' });
    if (pick) await pick.run();
  }

  private async pickAndChain(): Promise<void> {
    const roles = this.d.catalog.roles.filter((r) => r.id !== this.d.store.current?.role.id);
    const pick = await vscode.window.showQuickPick(
      roles.map((role) => ({ role, label: role.label, description: role.accountId, detail: role.roleArn })),
      { title: 'Assume a role with the current session (role chaining, at most 1 hour)', matchOnDescription: true, matchOnDetail: true },
    );
    if (pick) await this.assume({ ...pick.role, hops: [pick.role.hops[pick.role.hops.length - 1] ?? { roleArn: pick.role.roleArn }] }, true);
  }

  private async copyCredentials(): Promise<void> {
    const s = this.d.store.current;
    if (!s) {
      void vscode.window.showInformationMessage('No role is assumed, so there are no session credentials to copy.');
      return;
    }
    await vscode.env.clipboard.writeText(exportLines(s, os.platform() === 'win32' ? 'powershell' : 'posix'));
    void vscode.window.showInformationMessage(`Credentials of ${s.role.label} copied as export lines. The clipboard now holds secrets valid until ${s.expiration.toLocaleTimeString()}.`);
  }

  private async showIdentity(): Promise<void> {
    const s = this.d.store.current;
    const opts = this.callOptions(s ? { kind: 'static', credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken } } : this.d.catalog.defaultBase);
    const id = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Asking STS who you are…' }, () => this.d.gateway().getCallerIdentity(opts));
    if (!s) this.lastCallerArn = id.arn;
    this.d.statusBar.render();
    this.d.tree.refresh();
    const choice = await vscode.window.showInformationMessage(`You are ${id.arn} (account ${id.account}).`, 'Copy ARN');
    if (choice) await this.copy(id.arn, 'ARN copied.');
  }

  // ---- settings roles ----------------------------------------------------------------------

  private async addRole(): Promise<void> {
    const title = 'Add Role';
    const account = await vscode.window.showInputBox({
      title: `${title} (1/4)`,
      prompt: 'Account ID (12 digits) or account alias',
      ignoreFocusOut: true,
      validateInput: (v) => validateAddRoleInput({ account: v }).account,
    });
    if (account === undefined) return;
    const roleName = await vscode.window.showInputBox({
      title: `${title} (2/4)`,
      prompt: 'Role name, with its path if it has one (e.g. s3-Full-Access or team/deploy)',
      ignoreFocusOut: true,
      validateInput: (v) => validateRoleNameWithPath(v),
    });
    if (roleName === undefined) return;
    const label = await vscode.window.showInputBox({
      title: `${title} (3/4)`,
      prompt: 'Display name (optional)',
      value: roleName.split('/').pop(),
      ignoreFocusOut: true,
      validateInput: (v) => validateAddRoleInput({ label: v }).label,
    });
    if (label === undefined) return;
    const colors = ['none', 'red', 'orange', 'yellow', 'green', 'blue', 'purple'];
    const color = await vscode.window.showQuickPick(colors, { title: `${title} (4/4)`, placeHolder: 'Color (optional)' });
    if (color === undefined) return;
    const accountId = this.resolveAccount(account.trim());
    if (!accountId) {
      // AWS has no public alias lookup; only aliases this extension has seen (discovery) resolve.
      void vscode.window.showWarningMessage(`Unknown account alias "${account.trim()}". Enter the 12-digit account ID, or run Discover Roles first so the alias is known.`);
      return;
    }
    const name = roleName.trim().replace(/^\/+/, '');
    const entry: Record<string, unknown> = { roleArn: makeRoleArn('aws', accountId, name.split('/').pop()!, pathOf(name)) };
    if (label.trim()) entry.label = label.trim();
    if (color !== 'none') entry.color = color;
    await this.d.settings.saveRoles([...this.d.settings.roles, entry]);
    void vscode.window.showInformationMessage(`Added ${label.trim() || roleName} to your user settings (roleSwitcher.roles).`);
  }

  private resolveAccount(input: string): string | undefined {
    if (/^\d{12}$/.test(input)) return input;
    for (const [id, alias] of this.d.catalog.aliases) if (alias === input) return id;
    return undefined;
  }

  private async removeRole(role: RoleDefinition): Promise<void> {
    if (role.origin !== 'settings') return;
    const ok = await vscode.window.showWarningMessage(`Remove ${role.label} from roleSwitcher.roles?`, { modal: true }, 'Remove');
    if (ok !== 'Remove') return;
    const kept = this.d.settings.roles.filter((e) => !sameSettingsRole(e, role.roleArn));
    await this.d.settings.saveRoles(kept);
  }

  // ---- discovery and explain ---------------------------------------------------------------

  private async refresh(): Promise<void> {
    this.cache?.clear();
    this.d.resetAwsCaches();
    await this.d.catalog.reload();
    if (this.d.catalog.discovery) await this.discover(false);
  }

  async discover(force: boolean): Promise<DiscoveryResult | undefined> {
    const base = this.d.catalog.defaultBase;
    const call = this.callOptions(base);
    return vscode.window.withProgress({ location: { viewId: 'roleSwitcher.roles' }, title: 'Discovering roles…', cancellable: false }, async () => {
      try {
        const gateway = this.d.gateway();
        const caller = await gateway.getCallerIdentity(call);
        this.lastCallerArn = caller.arn;
        const cached = force ? undefined : this.discoveryCache.get(caller.arn);
        if (cached) {
          this.d.catalog.setDiscovered(cached);
          return cached;
        }
        const result = await this.d.aws().discoverRoles({
          gateway,
          call,
          base,
          organizationRoleNames: this.d.settings.organizationRoleNames,
          simulate: this.d.settings.simulatePolicies,
          onRoles: (roles) => this.d.catalog.addDiscovered(roles),
        });
        this.discoveryCache.set(caller.arn, result);
        this.d.catalog.setDiscovered(result);
        this.d.log.info(`discovered ${result.roles.length} roles for ${caller.arn}; skipped: ${result.skipped.length}`);
        return result;
      } catch (e) {
        const t = this.d.aws().translateError(e, { endpoint: call.endpoint });
        if (t) {
          this.d.log.error('discovery failed', e);
          void vscode.window.showErrorMessage(this.d.redactor.redact(t.message.replace(/^Could not assume the role: /, 'Discovery failed: ')));
        }
        return undefined;
      }
    });
  }

  private async explain(roleArnArg?: string, error?: { code: string; message: string }): Promise<void> {
    let roleArn = roleArnArg;
    if (!roleArn) {
      roleArn = await vscode.window.showInputBox({
        title: 'Explain Access',
        prompt: 'Role ARN to explain',
        placeHolder: 'arn:aws:iam::111111111111:role/s3-Full-Access',
        ignoreFocusOut: true,
        validateInput: (v) => {
          try {
            parseRoleArn(v.trim());
            return undefined;
          } catch (e) {
            return (e as Error).message;
          }
        },
      });
      if (!roleArn) return;
      roleArn = roleArn.trim();
    }
    const result = this.discoveryCache.get(this.lastCallerArn ?? '') ?? (await this.discover(false));
    if (!result) return;
    const summary = result.summaries.get(roleArn);
    const evaluation = result.evaluations.get(roleArn);
    const report = this.d.aws().explainAccess({
      caller: result.caller ?? this.d.aws().callerContext(this.lastCallerArn ?? ''),
      roleArn,
      trustPolicy: summary?.trustPolicy,
      roleDescription: summary?.description,
      evaluation,
      error,
    });
    await showExplainReport(report, `Explain: ${roleArn.split('/').pop()}`);
  }

  // ---- misc --------------------------------------------------------------------------------

  private toggleFilter(): void {
    this.assumableOnly = !this.assumableOnly;
    this.d.tree.refresh();
    vscode.window.setStatusBarMessage(this.assumableOnly ? 'Role Switcher: showing only assumable roles' : 'Role Switcher: showing all roles', 2500);
  }

  private async openConfig(file?: string, line?: number): Promise<void> {
    const target = file ?? this.d.catalog.paths.config;
    try {
      await fs.access(target);
    } catch {
      const create = await vscode.window.showInformationMessage(`${target} does not exist yet. Create it?`, 'Create');
      if (create !== 'Create') return;
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, '# AWS config. A role profile looks like:\n# [profile my-role]\n# role_arn = arn:aws:iam::111111111111:role/my-role\n# source_profile = default\n', { flag: 'wx', mode: 0o600 }).catch(() => undefined);
    }
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(target));
    const editor = await vscode.window.showTextDocument(doc);
    if (line && line > 0) {
      const pos = new vscode.Position(line - 1, 0);
      editor.selection = new vscode.Selection(pos, pos);
      editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
    }
  }

  private async copy(text: string, done: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(done, 2500);
  }

  private callOptions(base: CallOptions['credentials']): CallOptions {
    return { region: this.d.settings.region, endpoint: this.d.settings.endpointUrl, timeoutMs: this.d.settings.requestTimeoutMs, credentials: base };
  }
}

/** A role name, optionally after an IAM path (`team/deploy`): the path is printable ASCII, the name IAM's rule. */
function validateRoleNameWithPath(input: string): string | undefined {
  const parts = input.trim().replace(/^\/+/, '').split('/');
  const name = parts.pop() ?? '';
  const nameProblem = validateAddRoleInput({ roleName: name }).roleName;
  if (nameProblem) return nameProblem;
  const path = parts.join('/');
  if (path.length > 510 || !/^[\u0021-\u007e]*$/.test(path)) return 'A role path is at most 512 printable ASCII characters, without spaces';
  return undefined;
}

function pathOf(roleName: string): string {
  const parts = roleName.split('/').filter(Boolean);
  return parts.length > 1 ? `/${parts.slice(0, -1).join('/')}/` : '/';
}

function sameSettingsRole(entry: unknown, roleArn: string): boolean {
  const e = entry as { roleArn?: string; accountId?: string; roleName?: string; partition?: string } | undefined;
  if (!e) return false;
  if (e.roleArn) return e.roleArn === roleArn;
  if (e.accountId && e.roleName) {
    try {
      const p = parseRoleArn(roleArn);
      return p.accountId === e.accountId && (p.path + p.roleName).replace(/^\//, '') === e.roleName.replace(/^\//, '');
    } catch {
      return false;
    }
  }
  return false;
}

