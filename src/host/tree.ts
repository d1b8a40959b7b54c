import * as vscode from 'vscode';
import type { SessionStore } from '../core/session';
import type { RoleDefinition } from '../core/types';
import { loadFeatures } from './featuresLoader';
import type { CatalogProblem, RoleCatalog } from './catalog';
import type { AccountStyles } from './accountStyle';
import { Disposable } from './lifecycle';
import { arrangeGroups, collapsibleState, markPinned, type TreeLayoutState } from './treeLayout';
import type { SsoNode } from './sso/treeItems';

export type Node =
  | { readonly kind: 'identity'; readonly text: string; readonly detail?: string }
  | { readonly kind: 'problem'; readonly problem: CatalogProblem }
  | { readonly kind: 'info'; readonly text: string }
  | { readonly kind: 'account'; readonly accountId: string; readonly label: string; readonly roles: readonly RoleDefinition[] }
  | { readonly kind: 'role'; readonly role: RoleDefinition; readonly pinned?: boolean }
  /** Favorites, organization units and label prefixes (roleSwitcher.tree.groupBy): host/treeLayout.ts. */
  | { readonly kind: 'group'; readonly id: string; readonly group: 'favorites' | 'ou' | 'prefix'; readonly label: string; readonly roles: readonly RoleDefinition[] }
  /** IAM Identity Center rows (portal, account, sign-in): built and rendered by host/sso (dist/features.js). */
  | { readonly kind: 'sso'; readonly sso: SsoNode };

const COLORS: Record<string, string> = {
  red: 'charts.red', orange: 'charts.orange', yellow: 'charts.yellow', green: 'charts.green', blue: 'charts.blue', purple: 'charts.purple',
};

export interface TreeState {
  /** Text for the identity row: what base identity is in use. */
  baseIdentity(): { text: string; detail?: string };
  assumableOnly(): boolean;
  /** roleSwitcher.accounts: account labels and colors, and the setting's problems; undefined when it has no entry. */
  accounts?(): AccountStyles | undefined;
  /** IAM Identity Center portals as top-level groups; absent or [] when none is configured. */
  sso?: { roots(): Node[]; children(node: Node): Node[]; item(node: Node): vscode.TreeItem };
  /** Favorites, grouping and remembered collapse state (host/treeMemory.ts); absent in tests that need none. */
  layout?: TreeLayoutState;
}

/** The Roles view: accounts with their roles, the base identity, and any problem with the inputs. */
export class RoleTreeProvider extends Disposable implements vscode.TreeDataProvider<Node> {
  private readonly changed = this._register(new vscode.EventEmitter<Node | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly catalog: RoleCatalog,
    private readonly store: SessionStore,
    private readonly state: TreeState,
  ) {
    super();
    this._register(catalog.onDidChange(() => this.refresh()));
    this._register(store.onDidChange(() => this.refresh()));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (node?.kind === 'account') return node.roles.map((role) => ({ kind: 'role', role }) as const);
    if (node?.kind === 'group') return node.roles.map((role) => ({ kind: 'role', role, pinned: node.group === 'favorites' }) as const);
    if (node?.kind === 'sso') return this.state.sso?.children(node) ?? [];
    if (node) return [];
    if (!this.catalog.loaded) return [];
    const filter = this.state.assumableOnly();
    const groups = this.catalog
      .groups()
      .map((g) => ({ ...g, roles: filter ? g.roles.filter((r) => !r.verdict || r.verdict.kind === 'assumable' || r.verdict.kind === 'needsMfa' || r.verdict.kind === 'needsExternalId') : g.roles }))
      // Permission sets show under their IAM Identity Center portal, not here.
      .map((g) => (g.roles.some((r) => r.sso) ? { ...g, roles: g.roles.filter((r) => !r.sso) } : g))
      .filter((g) => g.roles.length > 0);
    const sso = this.state.sso?.roots() ?? [];
    const problems: Node[] = this.catalog.problems.map((problem) => ({ kind: 'problem', problem }));
    for (const message of this.state.accounts?.()?.problems ?? []) problems.push({ kind: 'problem', problem: { message } });
    const skipped: Node[] = (this.catalog.discovery?.skipped ?? []).map((text) => ({ kind: 'info', text }));
    // With nothing to show, return no rows so the welcome view appears.
    if (groups.length === 0 && problems.length === 0 && sso.length === 0) return [];
    if (!this.catalog.hasBaseCredentials && sso.length === 0) {
      problems.unshift({ kind: 'problem', problem: { message: 'No base credentials found in your AWS files or environment: add keys to ~/.aws/credentials, or set roleSwitcher.sourceProfile.' } });
    }
    const id = this.state.baseIdentity();
    return [
      { kind: 'identity', text: id.text, detail: id.detail },
      ...problems,
      ...skipped,
      ...sso,
      ...arrangeGroups(groups, this.state.layout),
    ];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'identity': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('account');
        item.description = node.detail;
        item.tooltip = `Base identity: ${node.text}${node.detail ? `\n${node.detail}` : ''}\nRoles without a source profile are assumed with it (setting roleSwitcher.sourceProfile).`;
        item.contextValue = 'identity';
        item.id = 'identity';
        return item;
      }
      case 'problem': {
        const p = node.problem;
        const item = new vscode.TreeItem(p.message, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.tooltip = p.message;
        item.contextValue = 'problem';
        if (p.file) {
          item.command = { command: 'roleSwitcher.openConfig', title: 'Open', arguments: [p.file, p.line] };
        }
        return item;
      }
      case 'info': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        item.tooltip = node.text;
        item.contextValue = 'info';
        return item;
      }
      case 'account': {
        const accounts = this.state.accounts?.();
        const item = new vscode.TreeItem(accounts ? accounts.groupLabel(node.accountId, node.label) : node.label, collapsibleState(this.state.layout, `account:${node.accountId}`));
        item.id = `account:${node.accountId}`;
        item.iconPath = new vscode.ThemeIcon('organization', accounts?.accountIconColor(node.accountId));
        item.description = `${node.roles.length} role${node.roles.length === 1 ? '' : 's'}`;
        item.tooltip = [`AWS account ${node.accountId}`, ...(accounts?.tooltipLines(node.accountId) ?? [])].join('\n');
        item.contextValue = 'account';
        return item;
      }
      case 'role':
        return markPinned(this.roleItem(node.role), node.role, node.pinned, this.state.layout);
      case 'group':
        // Group rows come from host/treeArrange.ts (dist/features.js), so that bundle is loaded by now.
        return loadFeatures().groupItem(node, collapsibleState(this.state.layout, `group:${node.id}`));
      case 'sso':
        return this.state.sso?.item(node) ?? new vscode.TreeItem('');
    }
  }

  private roleItem(role: RoleDefinition): vscode.TreeItem {
    const active = this.store.current?.role.id === role.id;
    const item = new vscode.TreeItem(role.label, vscode.TreeItemCollapsibleState.None);
    item.id = role.id;
    // A verdict comes from discovery, which a command started: the features bundle is loaded by then.
    const v = role.verdict ? loadFeatures().verdictPresentation(role.verdict) : undefined;
    const parts: string[] = [];
    if (active) parts.push('● active');
    if (v) parts.push(v.label);
    if (role.hops.length > 1) parts.push(`via ${role.hops.length - 1} hop${role.hops.length > 2 ? 's' : ''}`);
    if (role.hops.some((h) => h.mfaSerial) && role.verdict?.kind !== 'needsMfa') parts.push('MFA');
    item.description = parts.join(' · ') || role.origin;
    // roleSwitcher.accounts colors the role's icon (its own color first); verdict icons keep their meaning.
    const accounts = this.state.accounts?.();
    const own = accounts ? accounts.roleIconColor(role) : role.color && COLORS[role.color] ? new vscode.ThemeColor(COLORS[role.color]) : undefined;
    item.iconPath = active
      ? new vscode.ThemeIcon('shield', (accounts && own) || new vscode.ThemeColor('charts.green'))
      : v
        ? new vscode.ThemeIcon(v.icon, v.color ? new vscode.ThemeColor(v.color) : undefined)
        : new vscode.ThemeIcon('person', own);
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = false;
    md.appendMarkdown(`**${escapeMd(role.label)}**\n\n`);
    md.appendCodeblock(role.roleArn, 'text');
    md.appendMarkdown(`\nFrom: ${originText(role)}`);
    if (role.verdict && v) md.appendMarkdown(`\n\n${escapeMd(v.label)}: ${escapeMd(role.verdict.reason)}`);
    for (const line of accounts?.tooltipLines(role.accountId) ?? []) md.appendMarkdown(`\n\n${escapeMd(line)}`);
    if (active) md.appendMarkdown('\n\n*Active session*');
    item.tooltip = md;
    item.accessibilityInformation = {
      label: `${role.label}, role ${role.roleName} in account ${role.accountId}${v ? `, ${v.label}` : ''}${active ? ', active' : ''}`,
      role: 'treeitem',
    };
    item.contextValue = `role.${role.origin}${active ? '.active' : ''}`;
    item.command = { command: 'roleSwitcher.assumeItem', title: 'Assume', arguments: [{ kind: 'role', role }] };
    return item;
  }
}

function originText(role: RoleDefinition): string {
  switch (role.origin) {
    case 'profile':
      return `profile "${escapeMd(role.profile ?? role.label)}" in your AWS config file`;
    case 'settings':
      return 'the roleSwitcher.roles setting';
    case 'discovered':
      return 'discovery (IAM ListRoles)';
    case 'organization':
      return 'your AWS Organization (unverified until assumed)';
    case 'sso':
      return 'IAM Identity Center (your access portal)';
  }
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}
