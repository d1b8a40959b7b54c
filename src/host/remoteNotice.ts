// The one-time notice for desktop VS Code running Role Switcher on a remote (core/remotePlacement.ts).
// Activation checks the cheap condition inline and loads this (dist/features.js) only when it holds.
import * as vscode from 'vscode';
import { remotePlacement, type PlacementInputs } from '../core/remotePlacement';

/** globalState key (a boolean, per remote host's storage): the user chose "Don't Show Again". */
export const REMOTE_NOTICE_KEY = 'roleSwitcher.remoteNotice.dismissed';
const EXTENSION_ID = 'role-switcher.role-switcher-aws';

export async function warnRunningOnRemote(state: vscode.Memento, inputs: PlacementInputs): Promise<void> {
  const p = remotePlacement(inputs);
  if (p.kind !== 'remoteOnly' || state.get<boolean>(REMOTE_NOTICE_KEY)) return;
  const choice = await vscode.window.showWarningMessage(p.message, 'Show Extension', "Don't Show Again");
  if (choice === 'Show Extension') await vscode.commands.executeCommand('workbench.extensions.search', `@id:${EXTENSION_ID}`);
  else if (choice === "Don't Show Again") await state.update(REMOTE_NOTICE_KEY, true);
}
