// The Roles view's IAM Identity Center rows: one group per portal (label: the start URL's host,
// description: signed in / signed out / expired), its accounts (name, ID, email in the tooltip), and a
// "Sign in to see your accounts" row while signed out. Permission sets are ordinary role rows
// (host/tree.ts renders them, so clicking one goes through the usual assume path).
import * as vscode from 'vscode';
import type { SsoAccount, SsoPortal } from '../../core/ssoTypes';
import type { PortalState } from './ports';

/** The tree's `{ kind: 'sso' }` node payload (types only, so host/tree.ts carries none of this code). */
export type SsoNode =
  | { readonly type: 'portal'; readonly portalId: string }
  | { readonly type: 'account'; readonly portalId: string; readonly accountId: string }
  | { readonly type: 'signIn'; readonly portalId: string }
  | { readonly type: 'info'; readonly portalId: string; readonly text: string };

export interface SsoItemInput {
  readonly portal?: SsoPortal;
  readonly state: PortalState;
  readonly data?: { accounts?: readonly SsoAccount[]; progress?: { done: number; total: number }; error?: string };
  readonly account?: SsoAccount;
  readonly roleCount: number;
}

export function ssoTreeItem(n: SsoNode, x: SsoItemInput): vscode.TreeItem {
  const host = x.portal ? hostOf(x.portal.startUrl) : n.portalId;
  switch (n.type) {
    case 'portal': {
      const item = new vscode.TreeItem(host, x.state === 'signedIn' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Expanded);
      item.id = `sso:${n.portalId}`;
      const st = x.state === 'signedIn' ? 'signed in' : x.state === 'expired' ? 'expired' : 'signed out';
      const p = x.data?.progress;
      item.description = p && p.total ? `${st} · ${p.done} of ${p.total} accounts` : x.data?.accounts ? `${st} · ${x.data.accounts.length} account${x.data.accounts.length === 1 ? '' : 's'}` : st;
      item.iconPath = new vscode.ThemeIcon(x.state === 'signedIn' ? 'cloud' : x.state === 'expired' ? 'warning' : 'sign-in');
      const where = x.portal?.file ? `${x.portal.file}${x.portal.line ? ` line ${x.portal.line}` : ''}` : 'setting roleSwitcher.sso.startUrls';
      item.tooltip = `IAM Identity Center: ${x.portal?.startUrl ?? n.portalId}\nRegion: ${x.portal?.region ?? '?'}\nState: ${st}\nFrom: ${where}`;
      item.contextValue = `ssoPortal.${x.state}`;
      item.accessibilityInformation = { label: `IAM Identity Center ${host}, ${st}`, role: 'treeitem' };
      return item;
    }
    case 'account': {
      const a = x.account;
      const name = a?.accountName ?? n.accountId;
      const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `sso:${n.portalId}:${n.accountId}`;
      item.description = `${n.accountId}${x.roleCount ? ` · ${x.roleCount} permission set${x.roleCount === 1 ? '' : 's'}` : ''}`;
      item.iconPath = new vscode.ThemeIcon('organization');
      item.tooltip = `AWS account ${name}\nID: ${n.accountId}${a?.emailAddress ? `\nEmail: ${a.emailAddress}` : ''}\nThrough IAM Identity Center (${host})`;
      item.contextValue = 'ssoAccount';
      item.accessibilityInformation = { label: `Account ${name}, ID ${n.accountId}, ${x.roleCount} permission sets`, role: 'treeitem' };
      return item;
    }
    case 'signIn': {
      const item = new vscode.TreeItem(x.state === 'expired' ? 'Sign-in expired: sign in again to see your accounts' : 'Sign in to see your accounts', vscode.TreeItemCollapsibleState.None);
      item.id = `sso:${n.portalId}:signIn`;
      item.iconPath = new vscode.ThemeIcon('sign-in');
      item.tooltip = `Sign in to IAM Identity Center (${host}) in your browser`;
      item.contextValue = 'ssoSignIn';
      item.command = { command: 'roleSwitcher.sso.signIn', title: 'Sign In', arguments: [n.portalId] };
      item.accessibilityInformation = { label: `Sign in to ${host} to see your accounts`, role: 'treeitem' };
      return item;
    }
    case 'info': {
      const item = new vscode.TreeItem(n.text, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon(n.text.startsWith('Listing failed') ? 'warning' : 'loading~spin');
      item.tooltip = n.text;
      item.contextValue = 'ssoInfo';
      return item;
    }
  }
}

function hostOf(startUrl: string): string {
  try {
    return new URL(startUrl).host || startUrl;
  } catch {
    return startUrl;
  }
}
