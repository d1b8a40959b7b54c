// "Copy Credentials": pick a format (the last one used offered first), put the session on the
// clipboard in it, and say how long it stays valid. The formats and their quoting: core/exportFormats.ts.
//
// What is remembered: the format id only, in globalState. The values go to the clipboard and nowhere
// else (no file, no log, no setting), and the clipboard is never cleared behind the user's back: they
// may still be pasting, and a clipboard manager has a copy anyway.
import * as vscode from 'vscode';
import {
  EXPORT_FORMATS,
  ExportFormatError,
  orderedFormats,
  renderExport,
  validityText,
  type ExportFormatId,
} from '../core/exportFormats';
import type { Session } from '../core/types';

/** globalState key; its value is an ExportFormatId, never a credential. */
export const EXPORT_FORMAT_STATE_KEY = 'roleSwitcher.copyCredentials.format';

export interface ExportFormatItem extends vscode.QuickPickItem {
  readonly id: ExportFormatId;
}

/** The QuickPick items, remembered (or the platform's shell) first; the first says "last used" when it was. */
export function exportFormatItems(remembered: unknown, platform: string): ExportFormatItem[] {
  return orderedFormats(remembered, platform).map((id, i) => {
    const f = EXPORT_FORMATS.find((x) => x.id === id)!;
    const last = i === 0 && remembered === id;
    return { id, label: f.label, description: last ? `${f.syntax} · last used` : f.syntax, detail: f.detail };
  });
}

export interface CopyDeps {
  readonly state?: vscode.Memento;
  readonly platform: string;
  readonly now: () => number;
  readonly defaultRegion?: string;
}

/** Returns the format copied, or undefined when the user cancelled or the format could not hold a value. */
export async function copySessionAs(session: Session, d: CopyDeps): Promise<ExportFormatId | undefined> {
  const remembered = d.state?.get<string>(EXPORT_FORMAT_STATE_KEY);
  const picked = await vscode.window.showQuickPick(exportFormatItems(remembered, d.platform), {
    title: `Copy Credentials of ${session.role.label}`,
    placeHolder: 'Choose the shell or tool to paste into (the last one used is first)',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return undefined;
  let text: string;
  try {
    text = renderExport(picked.id, session, { defaultRegion: d.defaultRegion });
  } catch (e) {
    if (!(e instanceof ExportFormatError)) throw e;
    // Names the variable and the character, never the value.
    void vscode.window.showErrorMessage(`${e.message}. Nothing was copied. Run Copy Credentials again and choose another format.`);
    return undefined;
  }
  await vscode.env.clipboard.writeText(text);
  await d.state?.update(EXPORT_FORMAT_STATE_KEY, picked.id);
  void vscode.window.showInformationMessage(
    `Credentials of ${session.role.label} copied as ${picked.label}, ${validityText(session.expiration, d.now())}. The clipboard holds secrets until you copy something else.`,
  );
  return picked.id;
}
