// What an integrated terminal's environment must contain for the active session: a pure plan,
// computed from the session and the environment terminals inherit. See docs/terminal-credentials.md.

import * as nodePath from 'node:path';
import { remoteLabel } from './remotePlacement';
import type { Session } from './types';

export const SHIM_PROFILE = 'role-switcher-session';

/**
 * `env`: the session's keys go into the terminal environment (frozen at terminal start).
 * `endpoint`: only variables pointing at the local credential endpoint; running processes follow a
 * renewal or a switch at their next credential refresh. See docs/terminal-credentials.md.
 */
export type TerminalMode = 'env' | 'endpoint';

/** Where an endpoint-mode terminal asks for credentials (one binding of core/credentialEndpoint.ts). */
export interface EndpointTarget {
  readonly url: string;
  readonly token: string;
}

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
  /** Default `env`. `endpoint` needs `endpoint` and `shim` (its credentialProcess from endpointShim()). */
  readonly mode?: TerminalMode;
  readonly endpoint?: EndpointTarget;
  /**
   * vscode.env.remoteName when terminals run on another machine than this extension host (a remote
   * window with the extension on the local side, docs/remote.md). The local credential endpoint and
   * the local shim file are out of their reach, so the plan is env mode's, without the shim.
   */
  readonly remote?: string;
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
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_SECURITY_TOKEN',
] as const;

/**
 * Inherited variables that would win over the shim profile in some client (botocore reads
 * environment keys before any profile) or over the endpoint URL (a RELATIVE_URI or a token file
 * takes precedence in the SDKs). In endpoint mode each one that is set is replaced with an empty
 * value, which every client treats as unset (VS Code cannot unset a variable).
 */
const ENDPOINT_BLANKED = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
] as const;

export function computeTerminalEnv(session: Session | undefined, opts: TerminalEnvOptions): TerminalEnvPlan {
  if (!session) return { variables: [], description: '' };
  if (opts.mode === 'endpoint' && !opts.remote) return endpointTerminalEnv(session, opts);
  const expires = session.expiration.toISOString();
  const vars: Array<readonly [string, string]> = [
    ['AWS_ACCESS_KEY_ID', session.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', session.secretAccessKey],
    ['AWS_SESSION_TOKEN', session.sessionToken],
    ['AWS_CREDENTIAL_EXPIRATION', expires],
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
  // On a remote the shim file (a local path) does not exist, and the remote's own AWS_PROFILE is not
  // in `inherited` (the local environment): no shim there.
  if (nonEmpty(opts.inherited.AWS_PROFILE) && opts.shim && !opts.remote) {
    shimConfig = shimConfigText(opts.shim.credentialProcess, region);
    vars.push(['AWS_PROFILE', SHIM_PROFILE], ['AWS_CONFIG_FILE', opts.shim.configFile]);
  }
  let description =
    `Role Switcher for AWS: credentials of ${session.role.label} (${session.assumedRoleArn}), ` +
    `valid until ${expires}.`;
  if (opts.remote && opts.mode === 'endpoint') description += ` Terminals on ${remoteLabel(opts.remote)} get the keys: this computer's credential endpoint is not reachable from there.`;
  return { variables: vars, description, shimConfig };
}

/**
 * Endpoint mode: never a key. AWS_PROFILE names the shim profile (so a [default] with keys in the
 * user's credentials file cannot win, see FACTS.md), whose credential_process asks the endpoint
 * with the terminal's token; the container variables also serve clients that read them directly.
 * Without an endpoint or a shim the plan is empty: fail closed rather than fall back to keys.
 */
function endpointTerminalEnv(session: Session, opts: TerminalEnvOptions): TerminalEnvPlan {
  if (!opts.endpoint || !opts.shim) return { variables: [], description: '' };
  const vars: Array<readonly [string, string]> = [
    ['AWS_CONTAINER_CREDENTIALS_FULL_URI', opts.endpoint.url],
    ['AWS_CONTAINER_AUTHORIZATION_TOKEN', opts.endpoint.token],
    ['AWS_PROFILE', SHIM_PROFILE],
    ['AWS_CONFIG_FILE', opts.shim.configFile],
  ];
  const region = session.region ?? opts.defaultRegion;
  if (region) vars.push(['AWS_REGION', region], ['AWS_DEFAULT_REGION', region]);
  for (const name of ENDPOINT_BLANKED) if (nonEmpty(opts.inherited[name])) vars.push([name, '']);
  const description =
    `Role Switcher for AWS: credentials of the active role, now ${session.role.label} (${session.assumedRoleArn}), ` +
    'served by the extension; running processes follow a switch or renewal at their next credential refresh.';
  return { variables: vars, description, shimConfig: shimConfigText(opts.shim.credentialProcess, region, 'endpoint') };
}

export function shimConfigText(credentialProcess: string, region: string | undefined, mode: TerminalMode = 'env'): string {
  const lines = [
    mode === 'endpoint'
      ? '# Written by Role Switcher for AWS. It holds no credentials: the profile below asks the\n' +
        "# extension's local endpoint, with the token in the environment of the terminal that runs it."
      : '# Written by Role Switcher for AWS. It holds no credentials: the profile below reads the\n' +
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

export type ShimPlatform = 'posix' | 'win32';

/** The endpoint-mode credential_process, plus any file it needs (Windows: a .cmd wrapper). No secret. */
export interface EndpointShim {
  readonly credentialProcess: string;
  readonly files: ReadonlyArray<{ readonly path: string; readonly content: string }>;
}

/**
 * credential_process is never run by the terminal's shell: the JS SDK runs it with
 * child_process.exec (/bin/sh -c on POSIX, `cmd.exe /d /s /c` on Windows), botocore splits it
 * (shlex on POSIX, its CommandLineToArgvW-like splitter on Windows) and spawns without a shell, the
 * Go SDK runs `sh -c` / `cmd.exe /C`. So the command depends on the platform, never on whether the
 * terminal is bash, fish, PowerShell or cmd.
 * - POSIX: `env ELECTRON_RUN_AS_NODE=1 "<node>" "<script>" --endpoint`.
 * - Windows has no `env`: a generated `credential-process.cmd` sets ELECTRON_RUN_AS_NODE for that
 *   one process and runs the script; the command is the quoted path of the wrapper, which cmd.exe
 *   runs (JS SDK, Go) and CreateProcess starts through cmd.exe when handed a .cmd (botocore).
 *   Setting ELECTRON_RUN_AS_NODE in the terminal itself instead would turn every Electron app
 *   started from that terminal into Node.
 */
export function endpointShim(platform: ShimPlatform, nodeExecutable: string, script: string, dir: string): EndpointShim {
  if (platform === 'posix') return { credentialProcess: `${credentialProcessCommand(nodeExecutable, script)} --endpoint`, files: [] };
  const wrapper = nodePath.win32.join(dir, 'credential-process.cmd');
  // In a batch file `%` expands even inside quotes; `"` cannot occur in a Windows path.
  const bat = (s: string) => `"${s.replace(/%/g, '%%')}"`;
  const content = ['@echo off', 'set ELECTRON_RUN_AS_NODE=1', `${bat(nodeExecutable)} ${bat(script)} --endpoint`, ''].join('\r\n');
  return { credentialProcess: `"${wrapper}"`, files: [{ path: wrapper, content }] };
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
