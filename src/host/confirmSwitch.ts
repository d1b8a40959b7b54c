// Confirm before assuming (issue 13): a role in an account with `confirm: true` in roleSwitcher.accounts
// asks first, with a modal warning ("Switch"), or with roleSwitcher.accounts.confirmByTyping an input box
// that must match the account's label. Cancelling changes nothing and logs one line.
import * as vscode from 'vscode';
import { confirmMatches, confirmText, confirmWord, READ_ONLY_HINT } from '../core/accounts';
import type { RoleDefinition } from '../core/types';
import type { AccountStyles } from './accountStyle';

export const SWITCH = 'Switch';

/**
 * Whether the switch to `role` may go ahead. Accounts without `confirm` cost one Map lookup and no
 * prompt. On cancel (Escape, Cancel, a word that does not match) `log` gets one line.
 */
export async function confirmSwitch(styles: AccountStyles | undefined, role: RoleDefinition, log: (line: string) => void): Promise<boolean> {
  if (!styles?.needsConfirm(role.accountId)) return true;
  const account = styles.get(role.accountId);
  const text = confirmText(role.accountId, account, role.label);
  let ok: boolean;
  if (styles.confirmByTyping) {
    const word = confirmWord(role.accountId, account);
    const typed = await vscode.window.showInputBox({
      title: 'Role Switcher: confirm the account',
      prompt: `${text}. Type ${word} to switch (setting roleSwitcher.accounts.confirmByTyping).`,
      placeHolder: word,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' || confirmMatches(v, word) ? undefined : `Type ${word} exactly to switch, or press Escape to cancel`),
    });
    ok = confirmMatches(typed, word);
  } else {
    const detail = [
      ...(account?.readOnlyHint ? [READ_ONLY_HINT] : []),
      `Account ${role.accountId}, role ${role.roleArn}. Asked because roleSwitcher.accounts sets "confirm": true for this account.`,
    ].join('\n');
    const choice = await vscode.window.showWarningMessage(text, { modal: true, detail }, SWITCH);
    ok = choice === SWITCH;
  }
  if (!ok) log(`switch to ${role.roleArn} cancelled`);
  return ok;
}
