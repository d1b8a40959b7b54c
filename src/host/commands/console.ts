// Open AWS Console as Role / Copy Console URL: the VS Code side of core/consoleSignin.ts. The URL holds a
// sign-in token: it goes to vscode.env.openExternal, or to the clipboard when the user asks for it
// ("Copy Console URL"), and nowhere else (never a log line, a message, a setting or a file).
import * as vscode from 'vscode';
import { ConsoleSigninError, describeConsoleTarget } from '../../core/console';
import { consoleSignin, type ConsoleSignin, type FetchLike } from '../../core/consoleSignin';
import { isCancelled } from '../../core/errors';
import type { RoleDefinition, Session } from '../../core/types';
import type { Node } from '../tree';
import type { CommandContext, Handlers } from './context';
import { assume, pickRole } from './switching';

export const CONSOLE_SETTINGS = {
  destination: 'console.destination',
  federationEndpoint: 'console.federationEndpoint',
} as const;

export function consoleCommands(ctx: CommandContext): Handlers {
  return {
    'roleSwitcher.openConsole': (n?: Node) => openConsole(ctx, n, 'open'),
    'roleSwitcher.copyConsoleUrl': (n?: Node) => openConsole(ctx, n, 'copy'),
  };
}

/** The session to sign in with: the active one, or (for another role) the role assumed first, if the user agrees. */
async function sessionFor(ctx: CommandContext, role: RoleDefinition | undefined, verb: string): Promise<Session | undefined> {
  const { store } = ctx.d;
  const current = store.current;
  if (role && current?.role.id !== role.id) {
    const go = `Assume and ${verb}`;
    const a = await vscode.window.showInformationMessage(
      `${role.label} is not the active role. The console signs in with the active session, so Role Switcher assumes ${role.label} first (it becomes the editor's role too).`,
      { modal: true },
      go,
    );
    if (a !== go) return undefined;
    return assume(ctx, role);
  }
  if (current) return current;
  const a = await vscode.window.showInformationMessage('No role is assumed. The console signs in with the active session: assume a role first.', 'Assume Role…');
  if (a !== 'Assume Role…') return undefined;
  const picked = await pickRole(ctx, `Role Switcher: Assume a Role to ${verb}`);
  return picked ? assume(ctx, picked) : undefined;
}

async function openConsole(ctx: CommandContext, n: Node | undefined, mode: 'open' | 'copy'): Promise<void> {
  const { d } = ctx;
  const verb = mode === 'open' ? 'Open Console' : 'Copy Console URL';
  const session = await sessionFor(ctx, n?.kind === 'role' ? n.role : undefined, verb);
  if (!session) return;
  const cfg = vscode.workspace.getConfiguration('roleSwitcher');
  let result: ConsoleSignin;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Signing in to the AWS console as ${session.role.label}…`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          return await consoleSignin(session, {
            fetch: globalThis.fetch as unknown as FetchLike,
            reassume: (signal) => d.switcher().assumeForConsole(signal),
            destinationSetting: cfg.get<string>(CONSOLE_SETTINGS.destination, ''),
            federationEndpointSetting: federationEndpointSetting(cfg),
            configuredRegion: d.settings.region,
            portalStartUrl: (id) => d.sso?.().portal(id)?.startUrl,
            redactor: d.redactor,
            timeoutMs: d.settings.requestTimeoutMs,
            signal: abort.signal,
            onReassume: (why) => progress.report({ message: `assuming the role again for the console, because ${why}…` }),
          });
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (e) {
    if (isCancelled(e)) return;
    d.log.error(`console sign-in as ${session.role.roleArn} failed`, e);
    const setting = e instanceof ConsoleSigninError ? e.setting : undefined;
    const buttons = setting ? ['Open Settings', 'Show Log'] : ['Show Log'];
    const message = e instanceof ConsoleSigninError ? e.message : `Could not open the AWS console as ${session.role.label}: ${(e as Error)?.message ?? String(e)}. Show Log has the details.`;
    const a = await vscode.window.showErrorMessage(d.redactor.redact(message), ...buttons);
    if (a === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', setting);
    if (a === 'Show Log') d.showLog();
    return;
  }
  const where = describeConsoleTarget(result.destination);
  const until = result.expiration ? ` until ${result.expiration.toLocaleTimeString()}` : '';
  d.log.info(`console sign-in as ${result.identityArn} via ${result.via}${result.reassumeReason ? ` (${result.reassumeReason})` : ''}, destination ${where}`);
  if (mode === 'copy') {
    await vscode.env.clipboard.writeText(result.url);
    void vscode.window.showInformationMessage(
      result.via === 'portal'
        ? `Console URL for ${session.role.label} copied (the access portal signs you in).`
        : `Console URL for ${session.role.label} copied. Anyone with it can use the console as ${result.identityArn}${until}; it stays on the clipboard until you copy something else.`,
    );
    return;
  }
  // The string, not vscode.Uri.parse(url): a Uri re-encodes the query (the sign-in token and the
  // Destination), which breaks the link; openExternal takes the string as it is.
  const opened = await vscode.env.openExternal(result.url as unknown as vscode.Uri);
  if (opened) {
    vscode.window.setStatusBarMessage(`$(link-external) AWS console as ${session.role.label}${result.via === 'reassumed' ? ' (a 1-hour console session)' : ''}`, 4000);
  } else {
    const a = await vscode.window.showWarningMessage(`The browser did not open the AWS console for ${session.role.label}. Copy the console URL and paste it into a browser instead?`, 'Copy Console URL');
    if (a) await vscode.env.clipboard.writeText(result.url);
  }
}

/** roleSwitcher.console.federationEndpoint; in an untrusted workspace only the user's own value counts. */
function federationEndpointSetting(cfg: vscode.WorkspaceConfiguration): string {
  if (vscode.workspace.isTrusted) return cfg.get<string>(CONSOLE_SETTINGS.federationEndpoint, '');
  return cfg.inspect<string>(CONSOLE_SETTINGS.federationEndpoint)?.globalValue ?? '';
}
