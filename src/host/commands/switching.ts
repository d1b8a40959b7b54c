// What happens when you click a role: pick (Command Palette), assume with progress and Cancel, explain a
// failure with the buttons that fix it, switch back, and the status bar's session menu.
import * as vscode from 'vscode';
import type { ErrorAction } from '../../core/errorText';
import { CancelledError, isCancelled } from '../../core/errors';
import type { HopError } from '../../core/switcher';
import type { RoleDefinition, Session } from '../../core/types';
import { confirmSwitch } from '../confirmSwitch';
import type { Node } from '../tree';
import { addRole, openConfig } from './config';
import type { CommandContext, Handlers } from './context';
import { explain } from './discovery';
import { favoritesOf } from './favorites';
import { recentMenuItems, rolePickEntries } from '../rolePick';
import { copyCredentials, showIdentity } from './identity';

export function switchingCommands(ctx: CommandContext): Handlers {
  return {
    'roleSwitcher.assumeRole': () => pickAndAssume(ctx),
    'roleSwitcher.assumeItem': (n?: Node) => (n?.kind === 'role' ? assume(ctx, n.role) : pickAndAssume(ctx)),
    'roleSwitcher.switchBack': () => switchBack(ctx),
    'roleSwitcher.sessionMenu': () => sessionMenu(ctx),
  };
}

async function pickAndAssume(ctx: CommandContext): Promise<void> {
  const role = await pickRole(ctx, 'Role Switcher: Assume Role');
  if (role) await assume(ctx, role);
}

/**
 * The role QuickPick (Assume Role, New Terminal as Role…, the terminal profile); with an empty
 * catalog it offers Add Role / Open AWS Config File instead and returns undefined.
 */
export async function pickRole(ctx: CommandContext, title: string): Promise<RoleDefinition | undefined> {
  const { catalog, store } = ctx.d;
  if (!catalog.loaded) await catalog.reload();
  const roles = catalog.roles;
  if (roles.length === 0) {
    const a = await vscode.window.showInformationMessage('No roles to assume yet. Add one, or add a profile with role_arn to your AWS config file.', 'Add Role…', 'Open AWS Config File');
    if (a === 'Add Role…') await addRole(ctx);
    if (a === 'Open AWS Config File') await openConfig(ctx);
    return undefined;
  }
  // The items are built once per role list (the catalog keeps the same array until something
  // changes); only the active role's item differs from one pick to the next. Favorites, then Recent.
  const fav = favoritesOf(ctx);
  const accounts = ctx.d.accounts?.();
  const items = rolePickEntries({
    roles, activeId: store.current?.role.id, pinned: fav?.pinned(), recents: fav?.recents(),
    aliasOf: (id) => accounts?.get(id)?.label ?? catalog.aliases.get(id),
  });
  const pick = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: 'Type a label, account or ARN',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return pick?.role;
}

/**
 * The Cancel button's signal for one switch, free until pressed. It has the shape the AWS SDK also
 * accepts (`aborted` + `onabort`, as in @smithy/types' AbortSignal): the SDK then sets one handler
 * property, instead of the EventTarget listeners and races a real AbortSignal costs on every request
 * (about 6% of a switch on loopback, measured). The switcher only reads `aborted`.
 */
export class CancelSignal {
  aborted = false;
  onabort: ((ev?: unknown) => unknown) | null = null;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.onabort?.();
  }

  throwIfAborted(): void {
    if (this.aborted) throw new CancelledError();
  }
}

/** Assumes `role` (or chains it from the current session) with a cancellable progress notification. */
export async function assume(ctx: CommandContext, role: RoleDefinition, chain = false): Promise<Session | undefined> {
  const { d } = ctx;
  const result = await withAssumeProgress(
    ctx,
    role,
    (signal) => (chain ? d.switcher().chainFrom(role, signal) : d.switcher().switchTo(role, signal)),
    () => assume(ctx, role),
  );
  if (!result) return undefined;
  for (const n of result.notices) void vscode.window.showInformationMessage(d.redactor.redact(n));
  vscode.window.setStatusBarMessage(`$(shield) Assumed ${role.label}`, 3000);
  return result.session;
}

/**
 * Runs an assume of `role` under a cancellable progress notification. Cancelled: undefined, quietly;
 * failed: the error report with its buttons (Try Again runs `retry`), then undefined.
 */
export async function withAssumeProgress<T>(ctx: CommandContext, role: RoleDefinition, run: (signal: AbortSignal) => Promise<T>, retry: () => unknown): Promise<T | undefined> {
  // roleSwitcher.accounts "confirm": true asks first (host/confirmSwitch.ts); any other account costs a Map lookup.
  const accounts = ctx.d.accounts?.();
  if (accounts?.needsConfirm(role.accountId) && !(await confirmSwitch(accounts, role, (line) => ctx.d.log.info(line)))) return undefined;
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Assuming ${role.label}…`, cancellable: true },
      async (_p, token) => {
        const cancel = new CancelSignal();
        const sub = token.onCancellationRequested(() => cancel.abort());
        try {
          return await run(cancel as unknown as AbortSignal);
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (e) {
    if (isCancelled(e)) {
      ctx.d.log.info(`assume of ${role.roleArn} cancelled`);
      return undefined;
    }
    await reportAssumeError(ctx, role, e, retry);
    return undefined;
  }
}

const ACTION_LABELS: Partial<Record<ErrorAction, string>> = {
  copyCallerArn: 'Copy Caller ARN',
  explain: 'Explain',
  openConfig: 'Open AWS Config File',
  openSettings: 'Open Settings',
  retry: 'Try Again',
  showLog: 'Show Log',
};

async function reportAssumeError(ctx: CommandContext, role: RoleDefinition, e: unknown, retry: () => unknown): Promise<void> {
  const { d } = ctx;
  const hopError = (e as Error)?.name === 'HopError' ? (e as HopError) : undefined;
  const cause = hopError ? hopError.cause : e;
  const callerArn = hopError?.callerArn;
  const hop = hopError?.hop;
  // IAM Identity Center: sign in again (and retry), or a permission set no longer assigned (host/sso/ssoHost.ts).
  if ((role.sso || role.base.kind === 'sso') && (await d.sso?.().reportAssumeError(role, cause, retry))) return;
  const ev = ctx.discoveryCacheIfBuilt?.get(callerArn ?? '')?.evaluations.get(hop?.roleArn ?? role.roleArn);
  const trustVerdict = ev ? (ev.verdict.kind === 'notTrusted' ? 'notTrusted' : ev.delegatesToIdentityPolicy ? 'delegates' : 'trusted') : undefined;
  const baseProfile = role.base.kind === 'profile' || role.base.kind === 'profileKeys' ? role.base.profile : undefined;
  const baseIsSso = baseProfile ? Boolean(d.catalog.profiles.get(baseProfile)?.sso_session || d.catalog.profiles.get(baseProfile)?.sso_start_url) : false;
  const t = d.aws().translateError(cause, {
    roleLabel: role.label,
    roleArn: role.roleArn,
    callerArn,
    hop,
    endpoint: d.settings.endpointUrl ?? process.env.AWS_ENDPOINT_URL_STS ?? process.env.AWS_ENDPOINT_URL,
    region: role.region ?? d.settings.region,
    baseProfile,
    baseIsSso,
    trustVerdict,
  });
  if (!t) return;
  d.log.error(`assume of ${role.roleArn} failed [${t.kind}]`, cause);
  const buttons = t.actions.filter((a) => (a === 'copyCallerArn' ? Boolean(callerArn) : ACTION_LABELS[a])).map((a) => ACTION_LABELS[a]!);
  const choice = await vscode.window.showErrorMessage(d.redactor.redact(t.message), ...buttons);
  const action = (Object.keys(ACTION_LABELS) as ErrorAction[]).find((k) => ACTION_LABELS[k] === choice);
  switch (action) {
    case 'copyCallerArn':
      if (callerArn) await ctx.copy(callerArn, 'Caller ARN copied.');
      break;
    case 'explain':
      await explain(ctx, hop?.roleArn ?? role.roleArn, { code: (cause as Error)?.name ?? 'Error', message: d.redactor.redact((cause as Error)?.message ?? '') });
      break;
    case 'openConfig':
      await openConfig(ctx);
      break;
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'roleSwitcher');
      break;
    case 'retry':
      await retry();
      break;
    case 'showLog':
      d.showLog();
      break;
  }
}

async function switchBack(ctx: CommandContext): Promise<void> {
  if (!ctx.d.store.current) {
    void vscode.window.showInformationMessage('No role is assumed; you are already using your base identity.');
    return;
  }
  const now = await ctx.d.switcher().switchBack();
  vscode.window.setStatusBarMessage(now ? `$(debug-step-back) Back to ${now.role.label}` : '$(debug-step-back) Back to the base identity', 3000);
}

async function sessionMenu(ctx: CommandContext): Promise<void> {
  const { store } = ctx.d;
  const s = store.current;
  type Item = vscode.QuickPickItem & { run: () => unknown };
  const items: Item[] = [{ label: '$(arrow-swap) Switch Role…', run: () => pickAndAssume(ctx) }];
  if (s) {
    const back = store.depth > 1 ? store.sessions[store.depth - 2].role.label : 'base identity';
    items.push(
      { label: `$(debug-step-back) Switch Back`, description: `to ${back}`, run: () => switchBack(ctx) },
      { label: '$(link) Chain: Assume a Role from This Session…', run: () => pickAndChain(ctx) },
      { label: '$(copy) Copy Credentials…', run: () => copyCredentials(ctx) },
      { label: '$(link-external) Open AWS Console as Role', description: s.role.label, run: () => vscode.commands.executeCommand('roleSwitcher.openConsole') },
    );
  }
  items.push({ label: '$(account) Show Identity', run: () => showIdentity(ctx) }, { label: '$(output) Show Log', run: () => ctx.d.showLog() });
  items.push(...recentMenuItems(ctx, (role) => assume(ctx, role)));
  const pick = await vscode.window.showQuickPick(items, { title: s ? `Session: ${s.role.label}` : 'Role Switcher', placeHolder: 'Choose an action' });
  if (pick) await pick.run();
}

async function pickAndChain(ctx: CommandContext): Promise<void> {
  const roles = ctx.d.catalog.roles.filter((r) => r.id !== ctx.d.store.current?.role.id);
  const pick = await vscode.window.showQuickPick(
    roles.map((role) => ({ role, label: role.label, description: role.accountId, detail: role.roleArn })),
    { title: 'Assume a role with the current session (role chaining, at most 1 hour)', matchOnDescription: true, matchOnDetail: true },
  );
  if (pick) await assume(ctx, { ...pick.role, hops: [pick.role.hops[pick.role.hops.length - 1] ?? { roleArn: pick.role.roleArn }] }, true);
}
