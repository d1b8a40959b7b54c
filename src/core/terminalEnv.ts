// What an integrated terminal's environment must contain for the active session: a pure plan,
// computed from the session and the environment terminals inherit. See docs/terminal-credentials.md.

import type { Session } from './types';

export const SHIM_PROFILE = 'role-switcher-session';

export interface TerminalEnvOptions {
  /** Environment that new terminals inherit (the extension host's process.env is a good proxy). */
  readonly inherited: Readonly<Record<string, string | undefined>>;
  /**
   * Path of the generated, secret-free config file holding the shim profile, and the command the
   * shim profile runs. Needed only when the inherited environment sets AWS_PROFILE.
   */
  readonly shim?: { readonly configFile: string; readonly credentialProcess: string };
  /** Region used when the role has none (from settings or the profile). */
  readonly defaultRegion?: string;
}

export interface TerminalEnvPlan {
  /** Variables to replace, in a stable order. Empty when there is no session. */
  readonly variables: ReadonlyArray<readonly [string, string]>;
  /** Shown in VS Code's terminal environment hover. Holds no secret. */
  readonly description: string;
  /** Content of the shim config file, when one is needed; holds no secret. */
  readonly shimConfig?: string;
}

/** Names this extension may set; clearing the collection removes all of them. */
export const MANAGED_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
] as const;

export function computeTerminalEnv(session: Session | undefined, opts: TerminalEnvOptions): TerminalEnvPlan {
  if (!session) return { variables: [], description: '' };
  const vars: Array<readonly [string, string]> = [
    ['AWS_ACCESS_KEY_ID', session.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', session.secretAccessKey],
    ['AWS_SESSION_TOKEN', session.sessionToken],
    ['AWS_CREDENTIAL_EXPIRATION', session.expiration.toISOString()],
  ];
  const region = session.region ?? opts.defaultRegion;
  if (region) {
    vars.push(['AWS_REGION', region], ['AWS_DEFAULT_REGION', region]);
  }
  let shimConfig: string | undefined;
  // An inherited AWS_PROFILE makes the JavaScript SDK v3 ignore the key variables (the CLI does
  // the reverse), and VS Code cannot unset a variable. So AWS_PROFILE is pointed at a profile of a
  // generated config file whose credential_process reads the keys back from the terminal's own
  // environment: the CLI uses the keys, the SDK uses the profile, and both act as the session.
  if (nonEmpty(opts.inherited.AWS_PROFILE) && opts.shim) {
    shimConfig = shimConfigText(opts.shim.credentialProcess, region);
    vars.push(['AWS_PROFILE', SHIM_PROFILE], ['AWS_CONFIG_FILE', opts.shim.configFile]);
  }
  const description =
    `Role Switcher for AWS: credentials of ${session.role.label} (${session.assumedRoleArn}), ` +
    `valid until ${session.expiration.toISOString()}.`;
  return { variables: vars, description, shimConfig };
}

export function shimConfigText(credentialProcess: string, region: string | undefined): string {
  const lines = [
    '# Written by Role Switcher for AWS. It holds no credentials: the profile below reads the',
    '# session keys back from the environment of the terminal that runs it.',
    `[profile ${SHIM_PROFILE}]`,
    `credential_process = ${credentialProcess}`,
  ];
  if (region) lines.push(`region = ${region}`);
  return lines.join('\n') + '\n';
}

/**
 * The credential_process command line. `env` sets ELECTRON_RUN_AS_NODE so the editor's own runtime
 * acts as Node in desktop VS Code; it works the same under the CLI (no shell) and the SDK (a shell).
 */
export function credentialProcessCommand(nodeExecutable: string, script: string): string {
  return `env ELECTRON_RUN_AS_NODE=1 ${quote(nodeExecutable)} ${quote(script)}`;
}

function quote(s: string): string {
  return `"${s.replace(/(["\\$`])/g, '\\$1')}"`;
}

function nonEmpty(v: string | undefined): boolean {
  return typeof v === 'string' && v.length > 0;
}

/** `export` lines for "Copy credentials"; the caller puts them on the clipboard, nowhere else. */
export function exportLines(session: Session, shell: 'posix' | 'powershell' | 'fish' = 'posix'): string {
  const plan = computeTerminalEnv(session, { inherited: {} });
  return plan.variables
    .map(([k, v]) =>
      shell === 'powershell' ? `$Env:${k}="${v}"` : shell === 'fish' ? `set -gx ${k} '${v}'` : `export ${k}='${v}'`,
    )
    .join('\n');
}
