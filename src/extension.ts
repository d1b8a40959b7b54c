// Composition root: builds the objects and registers their disposables. No logic lives here.
import * as vscode from 'vscode';
import type { AwsGateway } from './core/gateway';
import { loadAwsModule, useCompileCache } from './aws/lazy';
import { systemClock } from './core/clock';
import { Redactor } from './core/redact';
import { SessionStore } from './core/session';
import type { SavedMfaSession, Switcher, SwitcherDeps } from './core/switcher';
import { RoleCatalog } from './host/catalog';
import { DebugCredentials } from './host/debugCredentials';
import type { RoleTerminals } from './host/roleTerminals';
import { loadRoleTerminals } from './host/roleTerminalsLoader';
import { Commands } from './host/commands';
import { Logger } from './host/logger';
import { Settings } from './host/settings';
import { StatusBar } from './host/statusBar';
import type { TerminalEnvironment } from './host/terminalEnv';
import { RoleTreeProvider } from './host/tree';
import { groupItemId } from './host/treeMemory';
import { LazyTreeMemory } from './host/lazyTreeMemory';
import { wireContextKeys } from './host/wiring';
import { loadFeatures, SESSION_SECRET_KEY } from './host/featuresLoader';
import { startWarmUp } from './host/warmup';
import { accountStylesHolder } from './host/accountsLoader';
import type { SsoHost } from './host/sso/ssoHost';
import type { Session } from './core/types';

export function activate(context: vscode.ExtensionContext): void {
  try {
    compose(context);
  } catch (e) {
    // Never fail activation silently: say what broke and where to look.
    void vscode.window.showErrorMessage(`Role Switcher for AWS could not start: ${(e as Error)?.message ?? String(e)}`);
    throw e;
  }
}

function compose(context: vscode.ExtensionContext): void {
  const bag = context.subscriptions;
  const redactor = new Redactor();
  const logger = new Logger(redactor);
  bag.push(logger);
  const settings = new Settings();
  bag.push(settings);
  // roleSwitcher.accounts (labels, colors, confirm): made before the listeners that read it on a settings change.
  const accounts = accountStylesHolder(settings, (line) => logger.write('warn', 'accounts', line));
  bag.push(accounts);
  const store = new SessionStore(systemClock);
  bag.push({ dispose: () => store.dispose() });

  let gateway: AwsGateway | undefined;
  const getGateway = (): AwsGateway =>
    (gateway ??= loadAwsModule().createAwsGateway({
      logger: (line) => logger.write('debug', 'aws', line),
      // Rare (a wrong system clock): its warning is in dist/features.js.
      onClockSkew: (offsetMs) => loadFeatures().warnClockSkew(offsetMs),
    }));
  bag.push({ dispose: () => gateway?.reset() });

  const catalog = new RoleCatalog(settings, logger.scoped('catalog'));
  bag.push(catalog);
  // Terminals: the collection never persists and starts empty; what goes in it is computed from the
  // first session on (TerminalEnvironment, in dist/features.js), so activation carries none of it.
  context.environmentVariableCollection.persistent = false;
  context.environmentVariableCollection.clear();
  // A remote window with this extension on the local side: terminals run on the remote (docs/remote.md).
  const terminalsRemote = () => (vscode.env.remoteName && context.extension.extensionKind === vscode.ExtensionKind.UI ? vscode.env.remoteName : undefined);
  let terminals: TerminalEnvironment | undefined;
  const getTerminals = (): TerminalEnvironment => {
    if (!terminals) {
      terminals = new (loadFeatures().TerminalEnvironment)(context.environmentVariableCollection, store, settings, context.globalStorageUri.fsPath, context.extensionPath, terminalsRemote());
      bag.push(terminals);
      terminals.sync();
    }
    return terminals;
  };

  let switcher: Switcher | undefined;
  // The window's switcher, and (per-terminal roles) one per role terminal over that terminal's own store.
  const switcherDeps = (own: SessionStore, forWindow: boolean): SwitcherDeps => ({
    gateway: getGateway,
    callOptions: () => ({
      region: settings.region, endpoint: settings.endpointUrl, timeoutMs: settings.requestTimeoutMs,
      defaultDurationSeconds: settings.defaultDurationSeconds, mfaSessionSeconds: settings.mfaSessionSeconds,
    }),
    askMfaCode: (serial, hop, renewal) => loadFeatures().askMfaCode(serial, hop, renewal),
    store: own,
    redactor,
    // The status bar names the account by its roleSwitcher.accounts label first, then its alias.
    aliasFor: (id) => accounts.get()?.get(id)?.label ?? catalog.aliases.get(id),
    profiles: () => catalog.profiles,
    beforeCommit: forWindow ? (s) => getTerminals().prepare(s) : undefined,
    log: (line) => logger.write('info', 'switch', line),
    ssoCredentials: (ref, signal) => getSso().credentials(ref, signal),
  });
  // MFA sessions restored from SecretStorage wait here until the switcher (dist/aws.js) is built.
  let restoredMfa: readonly unknown[] = [];
  const getSwitcher = (): Switcher => {
    if (!switcher) {
      switcher = new (loadAwsModule().Switcher)(switcherDeps(store, true));
      if (restoredMfa.length) switcher.importMfaSessions(restoredMfa as SavedMfaSession[]);
      restoredMfa = [];
    }
    return switcher;
  };
  const resetAwsCaches = () => {
    gateway?.reset();
    switcher?.resetCaches();
  };
  bag.push(settings.onDidChange(resetAwsCaches));

  // The tree and status bar read view state that Commands owns; Commands is built after them.
  const late: { commands?: Commands } = {};
  const baseIdentity = () => late.commands?.baseCallerArn ?? describeBase(catalog.defaultBase);
  // IAM Identity Center (host/sso, in dist/features.js): built when a portal is configured or a command needs it.
  let sso: SsoHost | undefined;
  const getSso = (): SsoHost => {
    if (!sso) {
      sso = loadFeatures().createSsoHost({ secrets: context.secrets, catalog, settings, store, redactor, logger, aws: loadAwsModule, endSessions: () => getSwitcher().clear(), assume: (role) => late.commands!.assume(role) });
      bag.push(sso, sso.onDidChange(() => tree.refresh()));
    }
    return sso;
  };
  const hasSso = () => Boolean(sso) || catalog.ssoPortals.length > 0 || Boolean(vscode.workspace.getConfiguration('roleSwitcher').inspect<unknown[]>('sso.startUrls')?.globalValue?.length);
  // Favorites, recents and collapse state (globalState, ids only), and roleSwitcher.tree.groupBy.
  const treeMemory = new LazyTreeMemory(context.globalState, () => settings.treeGroupBy);
  const tree = new RoleTreeProvider(catalog, store, {
    baseIdentity: () => ({ text: `Base: ${describeBase(catalog.defaultBase)}`, detail: late.commands?.baseCallerArn }),
    assumableOnly: () => late.commands?.filterAssumableOnly ?? false,
    accounts: accounts.get,
    sso: { roots: () => (hasSso() ? getSso().roots() : []), children: (n) => getSso().children(n), item: (n) => getSso().item(n) },
    layout: treeMemory,
  });
  bag.push(tree);
  const view = vscode.window.createTreeView('roleSwitcher.roles', { treeDataProvider: tree, showCollapseAll: true });
  bag.push(view, ...treeMemory.track(view, groupItemId, store));
  const statusBar = new StatusBar(store, settings, systemClock, baseIdentity, accounts.get);
  bag.push(statusBar);

  // A renewal that failed (the window's session or a role terminal's): the notice, with the error in words.
  const warnRenewalFailed = (e: unknown, s: Session, renewNow: () => unknown): void =>
    loadFeatures().warnRenewalFailed(e, s, (err) => loadAwsModule().translateError(err, { roleLabel: s.role.label, roleArn: s.role.roleArn })?.message, (t) => redactor.redact(t), renewNow, () => logger.show());
  // Per-terminal roles: each its own store, switcher and renewal; their bundle loads when the first opens.
  let roleTerminals: RoleTerminals | undefined;
  const getRoleTerminals = (): RoleTerminals => (roleTerminals ??= new (loadRoleTerminals().RoleTerminals)({
    clock: systemClock,
    switcherFor: (own) => new (loadAwsModule().Switcher)(switcherDeps(own, false)),
    mode: () => settings.terminalMode,
    renewLeadMs: () => settings.renewBeforeMinutes * 60_000,
    endpoint: () => getTerminals().endpoint,
    onRenewFailure: warnRenewalFailed,
    log: (line) => logger.write('info', 'roleTerminal', line),
    inherited: process.env,
    shimDir: `${context.globalStorageUri.fsPath}/terminal/roles`,
    credentialScript: `${context.extensionPath}/dist/credential-process.js`,
    nodeExecutable: process.execPath,
    terminalColor: (role) => accounts.get()?.terminalColor(role),
    remote: terminalsRemote(),
  }));
  bag.push({ dispose: () => roleTerminals?.dispose() });

  const commands = (late.commands = new Commands({
    catalog, store, switcher: getSwitcher, resetAwsCaches, settings, statusBar, tree, redactor,
    log: logger.scoped('commands'),
    gateway: getGateway,
    aws: loadAwsModule,
    showLog: () => logger.show(),
    roleTerminals: getRoleTerminals,
    accounts: accounts.get,
    sso: getSso,
    globalState: context.globalState,
  }));
  bag.push(commands);

  // Session events (log lines, the expiry warning: host/wiring.ts) follow a session, which dist/features.js made.
  const sessionLog = logger.scoped('session');
  bag.push(store.onDidChange((change) => change.kind !== 'switched' && loadFeatures().sessionEventNotice(change, sessionLog, (role) => commands.assume(role))));
  bag.push(...wireContextKeys(catalog, store, view));
  // Debug sessions get the window's session, as new terminals do (tasks' terminals get the collection).
  bag.push(DebugCredentials.register({
    variables: () => (settings.injectCredentials && store.current ? getTerminals().plan(store.current).variables : []),
    roleLabel: () => store.current?.role.label,
    log: (line) => logger.write('info', 'debug', line),
  }));
  // The workspace role is offered once the catalog has the roles; its code loads only if a folder names one.
  let workspaceRole: { dispose(): void } | undefined;
  const offerWorkspaceRole = () => {
    if (workspaceRole || !(vscode.workspace.workspaceFolders ?? []).some((f) => settings.workspaceRole(f.uri))) return;
    workspaceRole = new (loadFeatures().WorkspaceRoleOffer)({
      roleFor: (folder) => settings.workspaceRole(folder),
      roles: () => catalog.roles,
      loaded: () => catalog.loaded,
      onCatalogChange: catalog.onDidChange,
      activeRoleId: () => store.current?.role.id,
      assume: (role) => commands.assume(role),
      log: (line) => logger.write('info', 'workspaceRole', line),
    });
  };
  bag.push(catalog.onDidChange(offerWorkspaceRole), vscode.workspace.onDidChangeWorkspaceFolders(offerWorkspaceRole), vscode.workspace.onDidGrantWorkspaceTrust(offerWorkspaceRole));
  bag.push({ dispose: () => workspaceRole?.dispose() });

  // Sessions that live: renewed a few minutes before they end, and kept in SecretStorage across reloads.
  // Both are built on the first session (or a saved one), from dist/features.js.
  type Persistence = InstanceType<ReturnType<typeof loadFeatures>['SessionPersistence']>;
  type Renewal = InstanceType<ReturnType<typeof loadFeatures>['RenewalScheduler']>;
  let persistence: Persistence | undefined;
  let renewal: Renewal | undefined;
  const getPersistence = (): Persistence => (persistence ??= new (loadFeatures().SessionPersistence)({
    secrets: context.secrets, store, catalog, redactor, log: logger.scoped('restore'),
    enabled: () => settings.restoreSessions,
    beforeCommit: (s) => getTerminals().prepare(s),
    mfaSessions: () => switcher?.exportMfaSessions() ?? [],
    restoreMfa: (saved) => (switcher ? switcher.importMfaSessions(saved as SavedMfaSession[]) : (restoredMfa = saved)),
  }));
  const startRenewal = (): void => {
    renewal ??= new (loadFeatures().RenewalScheduler)({
      store,
      clock: systemClock,
      leadMs: () => settings.renewBeforeMinutes * 60_000,
      renew: () => getSwitcher().renew(),
      onFailure: (e, s) => warnRenewalFailed(e, s, () => renewal?.renewNow()),
      log: (line) => logger.write('info', 'renewal', line),
    });
  };
  bag.push(store.onDidChange((change) => {
    if (store.current) {
      getTerminals();
      startRenewal();
    }
    getPersistence().onChange(change);
  }));
  bag.push({ dispose: () => { renewal?.dispose(); persistence?.dispose(); } });
  void catalog.reload().then(async () => {
    offerWorkspaceRole();
    if (await context.secrets.get(SESSION_SECRET_KEY)) await getPersistence().restore();
  });
  // The first click as fast as the tenth: compiled code of dist/aws.js is kept with the extension's
  // global storage (Node >= 22), and the bundle is loaded once the Roles view has been idle a moment.
  useCompileCache(`${context.globalStorageUri.fsPath}/compile-cache`);
  // The warm-up also builds what the first session would otherwise build on the click: the terminal
  // environment, restore and renewal (none of them does anything before there is a session).
  const prepareFeatures = () => {
    loadFeatures();
    getTerminals();
    getPersistence();
    startRenewal();
  };
  bag.push(startWarmUp({ view, aws: loadAwsModule, features: prepareFeatures, catalog, settings, switcher: getSwitcher, gateway: getGateway, log: (line) => logger.write('debug', 'warmup', line) }));
  // Desktop VS Code running it on a remote because it is installed only there: say so once (docs/remote.md).
  if (vscode.env.remoteName && context.extension.extensionKind === vscode.ExtensionKind.Workspace && vscode.env.uiKind === vscode.UIKind.Desktop) {
    void loadFeatures().warnRunningOnRemote(context.globalState, { remoteName: vscode.env.remoteName, runsInRemoteHost: true, desktop: true });
  }
  logger.write('info', 'main', `activated (${vscode.workspace.isTrusted ? 'trusted' : 'restricted'} workspace)`);
}

export function deactivate(): void {
  /* everything is disposed through context.subscriptions */
}

function describeBase(base: { kind: string; profile?: string }): string {
  return base.kind === 'profile' || base.kind === 'profileKeys' ? `profile ${base.profile}` : base.kind === 'environment' ? 'environment variables' : 'default credential chain';
}
