// Where this extension host runs in a remote window, and what to tell the user (docs/remote.md).
// Pure: the host passes what VS Code reports (env.remoteName, extension.extensionKind, env.uiKind).
//
// The manifest says `"extensionKind": ["ui", "workspace"]`: desktop VS Code runs the extension on the
// local machine whenever it is installed there, and a web client (no local Node host) runs it on the
// server. The one case worth a word is desktop VS Code running it on the remote because it is installed
// only there: then the remote's ~/.aws is read and AWS is called from the remote, which the user may
// not expect.

export type Placement =
  /** No remote, or a remote window with the extension on the local (UI) side: the intended split. */
  | { readonly kind: 'local' }
  /** Desktop VS Code, remote window, extension installed only on the remote. */
  | { readonly kind: 'remoteOnly'; readonly message: string }
  /** A web client: the server is the only place a Node extension can run. */
  | { readonly kind: 'web' };

export interface PlacementInputs {
  /** vscode.env.remoteName: 'ssh-remote', 'wsl', 'dev-container', 'codespaces', …; undefined locally. */
  readonly remoteName: string | undefined;
  /** context.extension.extensionKind === ExtensionKind.Workspace (runs in the remote host). */
  readonly runsInRemoteHost: boolean;
  /** vscode.env.uiKind === UIKind.Desktop. */
  readonly desktop: boolean;
}

const REMOTE_LABELS: Record<string, string> = {
  'ssh-remote': 'the SSH host',
  wsl: 'WSL',
  'dev-container': 'the dev container',
  'attached-container': 'the container',
  codespaces: 'the codespace',
  tunnel: 'the tunnel host',
};

/** How a message names the remote: "the SSH host", "WSL", … */
export function remoteLabel(remoteName: string): string {
  return REMOTE_LABELS[remoteName] ?? `the remote (${remoteName})`;
}

export function remotePlacement(i: PlacementInputs): Placement {
  if (!i.remoteName || !i.runsInRemoteHost) return { kind: 'local' };
  if (!i.desktop) return { kind: 'web' };
  const where = remoteLabel(i.remoteName);
  return {
    kind: 'remoteOnly',
    message:
      `Role Switcher for AWS is running on ${where} because it is installed only there: it reads that machine's ~/.aws ` +
      `and calls AWS from there. To keep your AWS credentials on this computer, install it locally ` +
      `(Extensions view, "Install Locally"); it then runs here and remote terminals still get the session.`,
  };
}
