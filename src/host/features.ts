// Entry of dist/features.js: everything the window needs after activation that does not need the AWS
// SDK: the command implementations, restore after reload, renewal, the workspace-role offer, the MFA
// prompt and the verdict words. Activation registers ids and listeners only; featuresLoader.ts requires
// this bundle on first use, and the warm-up loads it ahead of the first click, so dist/extension.js
// stays within its activation budget.
export { assume, switchingCommands } from './commands/switching';
export { discoveryCommands } from './commands/discovery';
export { identityCommands } from './commands/identity';
export { configCommands } from './commands/config';
export { roleTerminalCommands, roleTerminalProfileProvider } from './commands/roleTerminal';
export { SessionPersistence } from './sessionPersistence';
export { WorkspaceRoleOffer } from './workspaceRole';
export { RenewalScheduler } from '../core/renewal';
export { askMfaCode } from './prompts';
export { verdictPresentation } from '../core/verdictText';
export { warnRenewalFailed } from './renewalNotice';
export { TerminalEnvironment } from './terminalEnv';
export { ssoCommands } from './commands/sso';
export { consoleCommands } from './commands/console';
export { createSsoHost } from './sso/create';
export { ssoCatalog } from '../core/ssoConfigFile';
export { AccountStyles } from './accountStyle';
export { importAccountsCommands } from './commands/importAccounts';
export { favoritesCommands } from './commands/favorites';
export { arrangeTreeGroups, groupItem } from './treeArrange';
export { warnRunningOnRemote } from './remoteNotice';
export { rolesFromSettings } from '../core/roles';
export { statusModel } from '../core/statusModel';
export { TreeMemory } from './treeMemory';
export { debugConfigWithCredentials } from './debugMerge';
export { sessionEventNotice, warnClockSkew } from './wiring';
