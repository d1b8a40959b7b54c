// Per-terminal roles and debug sessions (issue 11): pure plans built on computeTerminalEnv.
//
// - A per-terminal role terminal is created with `strictEnv: true`, so VS Code applies neither the
//   window's environment variable collection nor `terminal.integrated.env.*` to it
//   (microsoft/vscode#96630): its whole environment is the one planned here, and the window's
//   session never leaks into it. Because the environment is complete, a variable can really be
//   unset (the collection can only replace), so no inherited credential variable survives.
// - A debug session gets the window's plan merged into its launch configuration's `env`.
// See docs/terminal-credentials.md.

import { computeTerminalEnv, MANAGED_VARIABLES, type TerminalEnvOptions } from './terminalEnv';
import type { RoleDefinition, Session } from './types';

/** Inherited variables that choose an identity: dropped from a role terminal's base environment. */
function identityVariables(): readonly string[] {
  return [
    ...MANAGED_VARIABLES.filter((n) => n !== 'AWS_CONFIG_FILE' && n !== 'AWS_REGION' && n !== 'AWS_DEFAULT_REGION'),
    'AWS_DEFAULT_PROFILE',
    'AWS_ROLE_ARN',
    'AWS_ROLE_SESSION_NAME',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
  ];
}

/**
 * What VS Code itself strips from a terminal's inherited environment (sanitizeProcessEnvironment),
 * which it skips for strictEnv terminals: the extension host's ELECTRON_RUN_AS_NODE would turn every
 * Electron app started from the terminal into Node, and VSCODE_* belong to the extension host.
 * VSCODE_IPC_HOOK_CLI stays (the `code` command uses it), as VS Code keeps it for its own terminals.
 */
function isHostOnly(name: string): boolean {
  return /^ELECTRON_.+$/i.test(name) || (/^VSCODE_.+$/i.test(name) && !/^VSCODE_(IPC_HOOK_CLI|PORTABLE|SHELL_LOGIN)$/i.test(name)) || /^(SNAP|SNAP_.*)$/.test(name) || /^GDK_PIXBUF_.+$/.test(name);
}

/** The variable that lets the host recognise its own terminals (a random id, no secret). */
export const ROLE_TERMINAL_MARKER = 'ROLE_SWITCHER_TERMINAL';

/**
 * The complete environment of a role terminal (for `strictEnv: true`): the inherited environment
 * without any variable that chooses an identity (nor the extension host's own), plus the role's plan. In env mode the plan is
 * computed as if nothing were inherited (AWS_PROFILE is gone, so no shim profile is needed); in
 * endpoint mode the plan names the terminal's own binding and shim profile. A variable the plan
 * blanks (endpoint mode) is simply left out. Empty when there is no plan: never a half environment.
 */
export function roleTerminalEnv(
  session: Session,
  opts: Omit<TerminalEnvOptions, 'inherited'> & { readonly inherited: Readonly<Record<string, string | undefined>>; readonly marker?: string },
): Record<string, string> | undefined {
  const plan = computeTerminalEnv(session, { ...opts, inherited: {} });
  if (!plan.variables.length) return undefined;
  const env: Record<string, string> = {};
  const identity = identityVariables();
  // On a remote (opts.remote) the shell starts from the remote's own environment (the terminal is not
  // strictEnv there): this host's PATH, HOME, … would be wrong on that machine, so none is copied.
  for (const [k, v] of opts.remote ? [] : Object.entries(opts.inherited)) {
    if (typeof v === 'string' && !identity.includes(k.toUpperCase()) && !isHostOnly(k)) env[k] = v;
  }
  for (const [k, v] of plan.variables) {
    if (v === '') delete env[k];
    else env[k] = v;
  }
  if (opts.marker) env[ROLE_TERMINAL_MARKER] = opts.marker;
  return env;
}

/** Variables a role terminal's launch sets or unsets itself, whatever the window's collection did. */
const CONTAINER_VARIABLES = ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'];

/**
 * How a role terminal's shell is started on POSIX: through `/usr/bin/env`, which sets the role's own
 * values of every credential variable and unsets the rest, then runs the user's shell. Checked in
 * code-server 4.139: VS Code still applies the window's environment variable collection to a
 * `strictEnv` terminal, and its values (the window's keys, endpoint token, shim profile) would win over
 * the terminal's own. The wrapper runs after the collection, so the terminal acts as its own role.
 * The values are in the wrapper's argument list, which only processes of the same user can read, as
 * they can the environment. Undefined on Windows (no `env`): there the terminal relies on strictEnv.
 */
export function roleTerminalLaunch(env: Readonly<Record<string, string>>, shell: string | undefined, platform: 'posix' | 'win32', remote?: string): { shellPath: string; shellArgs: string[] } | undefined {
  // A remote (SSH, WSL, containers, Codespaces) is taken as POSIX whatever this host runs on (WSL
  // from Windows); its shell is the remote user's own $SHELL, which only the remote knows.
  if (platform === 'win32' && !remote) return undefined;
  const controlled = [...new Set([...MANAGED_VARIABLES, ...identityVariables(), ...CONTAINER_VARIABLES, ROLE_TERMINAL_MARKER])];
  const args: string[] = [];
  for (const name of controlled) if (env[name] === undefined) args.push('-u', name);
  for (const name of controlled) if (env[name] !== undefined) args.push(`${name}=${env[name]}`);
  const run = remote ? ['/bin/sh', '-c', 'exec "${SHELL:-/bin/sh}"'] : [shell || env.SHELL || '/bin/sh'];
  return { shellPath: '/usr/bin/env', shellArgs: [...args, ...run] };
}

/** How a role terminal's tab looks. Holds no secret. */
export interface RoleTerminalLook {
  readonly name: string;
  /** A theme color id for TerminalOptions.color. */
  readonly color: string;
  /** Written to the terminal (not to the shell) on first launch: what this terminal acts as. */
  readonly message: string;
}

export const DEFAULT_TERMINAL_COLOR = 'terminal.ansiYellow';

/**
 * Tab name `AWS: <label>`, the role's color when it is a theme color id (TerminalOptions.color takes
 * only theme colors; a `#rrggbb` role color falls back to terminal.ansiYellow), and a first line
 * saying which role and until when.
 */
export function roleTerminalLook(role: RoleDefinition, session: Session, mode: 'env' | 'endpoint'): RoleTerminalLook {
  const color = role.color && !role.color.startsWith('#') ? role.color : DEFAULT_TERMINAL_COLOR;
  const until =
    mode === 'endpoint'
      ? 'renewed by the extension while this window is open'
      : `valid until ${session.expiration.toISOString()} (a renewal cannot reach a running shell; open a new one then)`;
  // \x1b[1m … \x1b[0m: bold; \r\n because the message goes to the terminal emulator as is.
  const message = `\x1b[1mRole Switcher: this terminal acts as ${role.label}\x1b[0m (${session.assumedRoleArn}), ${until}.\r\n`;
  return { name: `AWS: ${role.label}`, color, message };
}

/**
 * Variables in a launch configuration's own `env` that choose an identity. When the configuration
 * sets any of them (even to an empty value), it picked its own credentials: the session is not
 * added at all, since half of one identity and half of another is worse than either.
 */
const DEBUG_IDENTITY_VARIABLES: readonly string[] = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
];

export type DebugEnvResult =
  | { readonly kind: 'added'; readonly env: Record<string, string | null> }
  /** Nothing to add (no session), the config chose its own identity, or its env is not an object. */
  | { readonly kind: 'unchanged'; readonly reason: 'noSession' | 'configIdentity' | 'notAnObject' };

/**
 * Merges the window's terminal plan into a launch configuration's `env`. The configuration's own
 * values win: any variable it sets is kept; if it sets an identity variable, nothing is added.
 */
export function mergeDebugEnv(configEnv: unknown, variables: ReadonlyArray<readonly [string, string]>): DebugEnvResult {
  if (!variables.length) return { kind: 'unchanged', reason: 'noSession' };
  if (configEnv !== undefined && configEnv !== null && (typeof configEnv !== 'object' || Array.isArray(configEnv))) {
    return { kind: 'unchanged', reason: 'notAnObject' };
  }
  const own = (configEnv ?? {}) as Record<string, string | null>;
  if (Object.keys(own).some((k) => DEBUG_IDENTITY_VARIABLES.includes(k.toUpperCase()))) return { kind: 'unchanged', reason: 'configIdentity' };
  const env: Record<string, string | null> = {};
  for (const [k, v] of variables) env[k] = v;
  return { kind: 'added', env: { ...env, ...own } };
}

/**
 * The role a `roleSwitcher.workspaceRole` value names: a profile name, a role ARN, or a label, in
 * that order of preference.
 */
export function findWorkspaceRole(roles: readonly RoleDefinition[], value: string): RoleDefinition | undefined {
  const v = value.trim();
  if (!v) return undefined;
  return roles.find((r) => r.profile === v) ?? roles.find((r) => r.roleArn === v) ?? roles.find((r) => r.label === v);
}
