import * as vscode from 'vscode';
import type { HopInfo } from '../core/switcher';

export const MFA_VALIDATION = 'Enter the 6-digit code from your MFA device';

export function validateMfaCode(value: string): string | undefined {
  return /^\d{6}$/.test(value.trim()) ? undefined : MFA_VALIDATION;
}

/** The MFA prompt: accepts exactly six digits; Escape cancels the switch silently. */
export async function askMfaCode(serial: string, hop: HopInfo): Promise<string | undefined> {
  const roleLabel = hop.profile ?? hop.roleArn.split('/').pop() ?? hop.roleArn;
  const where = hop.count > 1 ? ` (hop ${hop.index + 1} of ${hop.count})` : '';
  const code = await vscode.window.showInputBox({
    title: `Assume ${roleLabel}${where}`,
    prompt: `MFA code for ${serial}`,
    placeHolder: '123456',
    ignoreFocusOut: true,
    validateInput: (v) => validateMfaCode(v),
  });
  return code?.trim();
}
