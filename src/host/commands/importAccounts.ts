// "Import Account Colors from AWS Extend Switch Roles…" (issue 13): read that browser extension's
// configuration (a file, the clipboard or the active editor), show what will change in
// roleSwitcher.accounts, and write it to user settings; optionally add the roles to roleSwitcher.roles.
import * as vscode from 'vscode';
import { ACCOUNTS_SETTING, mergeAccounts } from '../../core/accounts';
import { accountsFromProfiles, parseExtendSwitchRoles, rolesFromProfiles } from '../../core/extendSwitchRoles';
import { Keys, SECTION } from '../settings';
import type { CommandContext, Handlers } from './context';

export const IMPORT_ESR = 'roleSwitcher.importExtendSwitchRoles';
export const IMPORT = 'Import';
export const IMPORT_WITH_ROLES = 'Import and Add Roles';

const TITLE = 'Role Switcher: Import Account Colors from AWS Extend Switch Roles';
/** Lines of the preview shown in the confirmation; the rest is counted. */
const PREVIEW_LINES = 15;

export function importAccountsCommands(ctx: CommandContext): Handlers {
  return {
    // An optional text argument (tests, automation) skips the source pick; it is still previewed and asked.
    [IMPORT_ESR]: (text?: unknown) => importExtendSwitchRoles(ctx, typeof text === 'string' ? { text, name: 'the given text' } : undefined),
  };
}

async function pickSource(): Promise<{ text: string; name: string } | undefined> {
  type Item = vscode.QuickPickItem & { id: 'file' | 'clipboard' | 'editor' };
  const editor = vscode.window.activeTextEditor;
  const items: Item[] = [
    { id: 'file', label: '$(folder-opened) Open a File…', description: 'the configuration saved as a text file' },
    { id: 'clipboard', label: '$(clippy) Paste from the Clipboard', description: 'copy it from the extension’s options page first' },
    ...(editor ? [{ id: 'editor' as const, label: '$(file-text) Use the Active Editor', description: vscode.workspace.asRelativePath(editor.document.uri) }] : []),
  ];
  const pick = await vscode.window.showQuickPick(items, { title: TITLE, placeHolder: 'Where is your AWS Extend Switch Roles configuration ([profile …] blocks with aws_account_id, role_name, color)?' });
  if (!pick) return undefined;
  if (pick.id === 'clipboard') return { text: await vscode.env.clipboard.readText(), name: 'the clipboard' };
  if (pick.id === 'editor' && editor) return { text: editor.document.getText(), name: vscode.workspace.asRelativePath(editor.document.uri) };
  const uris = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Import', title: TITLE, filters: { 'Configuration': ['ini', 'txt', 'cfg', 'conf'], 'All files': ['*'] } });
  const uri = uris?.[0];
  if (!uri) return undefined;
  const bytes = await vscode.workspace.fs.readFile(uri);
  return { text: new TextDecoder().decode(bytes), name: uri.fsPath };
}

export async function importExtendSwitchRoles(ctx: CommandContext, given?: { text: string; name: string }): Promise<void> {
  const source = given ?? (await pickSource());
  if (!source) return;
  const parsed = parseExtendSwitchRoles(source.text);
  const errors = parsed.errors.map((e) => `${source.name}, ${e.message}`);
  for (const e of errors) ctx.d.log.warn(`import: ${e}`);
  if (!parsed.profiles.length) {
    void vscode.window.showErrorMessage(
      `No role found in ${source.name}: expected [profile NAME] blocks with role_arn, or aws_account_id and role_name.${errors.length ? ` ${errors[0]}${errors.length > 1 ? ` (and ${errors.length - 1} more in the log)` : ''}` : ''}`,
      'Show Log',
    ).then((a) => a && ctx.d.showLog());
    return;
  }
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const { value, changes } = mergeAccounts(cfg.inspect<unknown>(Keys.accounts)?.globalValue, accountsFromProfiles(parsed.profiles));
  const userRoles = cfg.inspect<unknown>(Keys.roles)?.globalValue;
  const newRoles = rolesFromProfiles(parsed.profiles, Array.isArray(userRoles) ? userRoles : []);
  if (!changes.length && !newRoles.length) {
    void vscode.window.showInformationMessage(`Nothing to change: ${ACCOUNTS_SETTING} and roleSwitcher.roles already have the ${parsed.profiles.length} role${parsed.profiles.length === 1 ? '' : 's'} of ${source.name}.`);
    return;
  }
  const lines = [...changes.slice(0, PREVIEW_LINES), ...(changes.length > PREVIEW_LINES ? [`… and ${changes.length - PREVIEW_LINES} more`] : [])];
  const detail = [
    changes.length ? `${ACCOUNTS_SETTING} (user settings):` : `${ACCOUNTS_SETTING} already has these accounts.`,
    ...lines,
    ...(newRoles.length ? ['', `"${IMPORT_WITH_ROLES}" also adds ${newRoles.length} role${newRoles.length === 1 ? '' : 's'} to roleSwitcher.roles.`] : []),
    ...parsed.notes,
    ...(errors.length ? ['', `Skipped ${errors.length} problem${errors.length === 1 ? '' : 's'}:`, ...errors.slice(0, 5), ...(errors.length > 5 ? ['… (all in the log)'] : [])] : []),
  ].join('\n');
  const buttons = [...(changes.length ? [IMPORT] : []), ...(newRoles.length ? [IMPORT_WITH_ROLES] : [])];
  const choice = await vscode.window.showInformationMessage(
    `Import ${parsed.profiles.length} role${parsed.profiles.length === 1 ? '' : 's'} in ${new Set(parsed.profiles.map((p) => p.accountId)).size} account(s) from ${source.name}?`,
    { modal: true, detail },
    ...buttons,
  );
  if (choice !== IMPORT && choice !== IMPORT_WITH_ROLES) {
    ctx.d.log.info('import from AWS Extend Switch Roles cancelled');
    return;
  }
  if (changes.length) await cfg.update(Keys.accounts, value, vscode.ConfigurationTarget.Global);
  if (choice === IMPORT_WITH_ROLES && newRoles.length) await ctx.d.settings.saveRoles([...(Array.isArray(userRoles) ? userRoles : []), ...newRoles]);
  const added = choice === IMPORT_WITH_ROLES ? newRoles.length : 0;
  ctx.d.log.info(`imported ${changes.length} account change(s)${added ? ` and ${added} role(s)` : ''} from AWS Extend Switch Roles (${source.name})`);
  vscode.window.setStatusBarMessage(`$(check) Imported ${changes.length} account change${changes.length === 1 ? '' : 's'}${added ? ` and ${added} role${added === 1 ? '' : 's'}` : ''}`, 4000);
}
