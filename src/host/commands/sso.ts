// IAM Identity Center commands (issue 12): Sign In, Sign Out, Add IAM Identity Center…, Refresh a portal.
// The work is in host/sso/ssoHost.ts; the window builds one SsoHost (CommandDeps.sso).
import * as vscode from 'vscode';
import type { CommandContext, Handlers } from './context';

export const SSO_COMMAND_IDS = ['roleSwitcher.sso.signIn', 'roleSwitcher.sso.signOut', 'roleSwitcher.sso.addPortal', 'roleSwitcher.sso.refresh'] as const;

export function ssoCommands(ctx: CommandContext): Handlers {
  const host = () => {
    const h = ctx.d.sso?.();
    if (!h) throw new Error('IAM Identity Center is not available in this window');
    return h;
  };
  return {
    'roleSwitcher.sso.signIn': (arg?: unknown) => host().signIn(arg),
    'roleSwitcher.sso.signOut': (arg?: unknown) => host().signOut(arg),
    'roleSwitcher.sso.addPortal': () => host().addPortal(),
    'roleSwitcher.sso.refresh': async (arg?: unknown) => {
      await host().refresh(arg);
      vscode.window.setStatusBarMessage('$(refresh) IAM Identity Center refreshed', 2500);
    },
  };
}
