// roleSwitcher.accounts in the window (issue 13, "Prod looks like prod"): one parsed, validated copy of
// the setting per settings snapshot, and the theme colors the status bar, the tree and role terminals
// use. The rules are core/accounts.ts; this file only makes ThemeColor objects. It ships in
// dist/features.js: host/accountsLoader.ts builds it only when the setting has an entry, so windows
// without account settings never load or run any of it.
import * as vscode from 'vscode';
import {
  accountGroupLabel,
  accountTooltipLines,
  parseAccounts,
  roleColor,
  roleStatusBackground,
  terminalColor,
  treeIconColor,
  type AccountSettings,
  type AccountsConfig,
} from '../core/accounts';
import type { RoleDefinition } from '../core/types';

export class AccountStyles {
  private readonly config: AccountsConfig;
  /** Theme colors are made once per color, not once per tree row. */
  private readonly themeColors = new Map<string, vscode.ThemeColor>();

  constructor(
    raw: unknown,
    /** roleSwitcher.accounts.confirmByTyping */
    readonly confirmByTyping: boolean,
    warn?: (line: string) => void,
  ) {
    this.config = parseAccounts(raw);
    for (const p of this.config.problems) warn?.(p);
  }

  get problems(): readonly string[] {
    return this.config.problems;
  }

  get(accountId: string): AccountSettings | undefined {
    return this.config.byId.get(accountId);
  }

  /** Whether a switch to a role in this account asks first (one Map lookup). */
  needsConfirm(accountId: string): boolean {
    return this.config.byId.get(accountId)?.confirm === true;
  }

  /** A tree icon's color: the role's own color, else its account's (core/accounts.ts roleColor). */
  roleIconColor(role: RoleDefinition): vscode.ThemeColor | undefined {
    const c = roleColor(role.color, this.get(role.accountId));
    return c ? this.theme(c.name ? treeIconColor(c.name) : c.themeId!) : undefined;
  }

  /** An account group's icon color, from the account's color. */
  accountIconColor(accountId: string): vscode.ThemeColor | undefined {
    const c = this.get(accountId)?.color;
    return c ? this.theme(treeIconColor(c)) : undefined;
  }

  /** A role terminal's tab color (a theme color id), or undefined for the default. */
  terminalColor(role: RoleDefinition): string | undefined {
    const c = roleColor(role.color, this.get(role.accountId));
    return c?.name ? terminalColor(c.name) : c?.themeId;
  }

  groupLabel(accountId: string, fallback: string): string {
    return accountGroupLabel(accountId, this.get(accountId), fallback);
  }

  /** The status bar background id for a session of `role`; `expiring`: the expiry warning is due. */
  statusBackground(role: RoleDefinition, expiring: boolean): string | undefined {
    return roleStatusBackground(role.color, this.get(role.accountId), expiring);
  }

  /** Extra tooltip lines for a role's account (label, read-only hint, confirm). */
  tooltipLines(accountId: string): string[] {
    return accountTooltipLines(accountId, this.get(accountId));
  }

  private theme(id: string): vscode.ThemeColor {
    let c = this.themeColors.get(id);
    if (!c) this.themeColors.set(id, (c = new vscode.ThemeColor(id)));
    return c;
  }
}
