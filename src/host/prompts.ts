import * as vscode from 'vscode';
import type { HopInfo } from '../core/switcher';

export const MFA_VALIDATION = 'Enter the 6-digit code from your MFA device';
export const RENEW_WITH_MFA = 'Enter MFA Code…';

export function validateMfaCode(value: string): string | undefined {
  return /^\d{6}$/.test(value.trim()) ? undefined : MFA_VALIDATION;
}

/**
 * The MFA prompt: accepts exactly six digits; Escape cancels the switch silently. For a renewal in
 * the background it first asks, in a notification with the time left, whether to renew at all:
 * ignoring it lets the session end on time.
 */
export async function askMfaCode(serial: string, hop: HopInfo, renewal?: { readonly remainingMs: number }): Promise<string | undefined> {
  const roleLabel = hop.profile ?? hop.roleArn.split('/').pop() ?? hop.roleArn;
  const where = hop.count > 1 ? ` (hop ${hop.index + 1} of ${hop.count})` : '';
  if (renewal) {
    const minutes = Math.max(1, Math.round(renewal.remainingMs / 60_000));
    const go = await vscode.window.showWarningMessage(
      `Your AWS session for ${roleLabel} ends in ${minutes} minute${minutes === 1 ? '' : 's'}. Enter an MFA code to renew it, or let it end.`,
      RENEW_WITH_MFA,
    );
    if (go !== RENEW_WITH_MFA) return undefined;
  }
  const code = await vscode.window.showInputBox({
    title: `${renewal ? 'Renew' : 'Assume'} ${roleLabel}${where}`,
    prompt: `MFA code for ${serial}`,
    placeHolder: '123456',
    ignoreFocusOut: true,
    validateInput: (v) => validateMfaCode(v),
  });
  return code?.trim();
}
