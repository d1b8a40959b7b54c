import * as vscode from 'vscode';
import { findWorkspaceRole } from '../core/roleTerminal';
import type { RoleDefinition } from '../core/types';
import { Disposable } from './lifecycle';

export interface WorkspaceRoleDeps {
  /** roleSwitcher.workspaceRole for a folder; undefined in an untrusted workspace unless the user set it. */
  roleFor(folder: vscode.Uri): string | undefined;
  roles(): readonly RoleDefinition[];
  /** Whether the catalog has read the files at least once. */
  loaded(): boolean;
  readonly onCatalogChange: vscode.Event<void>;
  activeRoleId(): string | undefined;
  /** Assume Role with the usual progress and error report. */
  assume(role: RoleDefinition): Promise<unknown>;
  log(line: string): void;
}

export const ASSUME = 'Assume';
export const NOT_NOW = 'Not Now';

/**
 * `roleSwitcher.workspaceRole` (issue 11): when a folder names a role that is not the active one,
 * offer it once per folder per window, and assume it only when the user clicks Assume. Checked once
 * the catalog has loaded, on every catalog change until offered (a discovered role may come later),
 * when folders are added, and when the workspace becomes trusted.
 */
export class WorkspaceRoleOffer extends Disposable {
  /** Folders (uri strings) whose role was offered, or was already active, in this window. */
  private readonly done = new Set<string>();
  private readonly missingLogged = new Set<string>();

  constructor(private readonly d: WorkspaceRoleDeps) {
    super();
    this._register(d.onCatalogChange(() => void this.check()));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.check()));
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.check()));
  }

  /** Offers what there is to offer now; resolves when every notification shown has been answered. */
  async check(): Promise<void> {
    if (!this.d.loaded()) return;
    const pending: Promise<void>[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const key = folder.uri.toString();
      if (this.done.has(key)) continue;
      const value = this.d.roleFor(folder.uri);
      if (!value) continue;
      const role = findWorkspaceRole(this.d.roles(), value);
      if (!role) {
        if (!this.missingLogged.has(key)) this.d.log(`folder ${folder.name} names the role "${value}", which is not in the catalog (yet)`);
        this.missingLogged.add(key);
        continue;
      }
      this.done.add(key);
      if (this.d.activeRoleId() === role.id) continue;
      pending.push(this.offer(folder, role));
    }
    await Promise.all(pending);
  }

  private async offer(folder: vscode.WorkspaceFolder, role: RoleDefinition): Promise<void> {
    this.d.log(`offering the workspace role ${role.roleArn} of folder ${folder.name}`);
    const choice = await vscode.window.showInformationMessage(`This folder uses the AWS role ${role.label}. Assume it?`, ASSUME, NOT_NOW);
    if (choice !== ASSUME) return;
    if (this.d.activeRoleId() === role.id) return;
    await this.d.assume(role);
  }
}
