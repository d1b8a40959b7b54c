// The seam between the VS Code side of IAM Identity Center (host/sso/ssoHost.ts) and the core's token
// lifecycle, device flow and discovery (core/ssoTokens.ts, core/ssoDiscovery.ts) plus the SDK gateway
// (aws/sso.ts, inside dist/aws.js). The host codes against these small interfaces; createSsoPorts
// adapts the landed modules to them, so the host and its unit tests do not depend on their details.
import type { SsoAccount, SsoGateway, SsoPortal, SsoTokenStore } from '../../core/ssoTypes';
import * as os from 'node:os';
import type { AwsModule } from '../../aws/lazy';
import { systemClock } from '../../core/clock';
import { SsoCliCache } from '../../core/ssoCache';
import { discoverSso } from '../../core/ssoDiscovery';
import { SsoTokenManager } from '../../core/ssoTokens';
import type { RoleDefinition } from '../../core/types';

export type PortalState = 'signedIn' | 'expired' | 'signedOut';

/** What the sign-in shows while it polls. */
export interface SignInUi {
  showCode(auth: { readonly userCode: string; readonly verificationUri: string; readonly verificationUriComplete: string; readonly expiresIn: number }): void;
}

export interface SsoTokensPort {
  /** A valid access token (refreshed if needed); throws SsoSignInRequiredError when the user must sign in. */
  token(portal: SsoPortal, signal?: AbortSignal): Promise<string>;
  /** The device flow; stores the token. Throws a kind-tagged error on denied / expired / cancelled. */
  signIn(portal: SsoPortal, ui: SignInUi, signal: AbortSignal): Promise<void>;
  /** Logout, delete the stored tokens, tell the sign-out listeners. */
  signOut(portal: SsoPortal): Promise<void>;
  /** Without network. */
  state(portal: SsoPortal): Promise<PortalState>;
}

export interface DiscoveryCallbacks {
  onAccounts(accounts: readonly SsoAccount[]): void;
  onRoles(account: SsoAccount, roles: readonly RoleDefinition[]): void;
  onProgress(done: number, total: number): void;
}

export interface SsoDiscoveryPort {
  /** Every account, then each account's permission sets as they arrive; AbortSignal cancels. */
  discover(portal: SsoPortal, accessToken: string, concurrency: number, cb: DiscoveryCallbacks, signal: AbortSignal): Promise<void>;
}

export interface SsoPorts {
  readonly gateway: SsoGateway;
  readonly tokens: SsoTokensPort;
  readonly discovery: SsoDiscoveryPort;
}

export interface SsoPortsArgs {
  readonly store: SsoTokenStore;
  /** The lazily loaded AWS module (dist/aws.js), which carries the SDK gateway. */
  readonly aws: () => AwsModule;
  readonly callOptions: (portal: SsoPortal, signal?: AbortSignal) => { region: string; endpoint?: string; timeoutMs?: number; abortSignal?: AbortSignal };
  readonly shareWithCli: () => boolean;
  /** The home directory of ~/.aws/sso/cache (default: os.homedir()). */
  readonly home?: string;
  readonly log: (line: string) => void;
}

/**
 * Builds the ports from core/ssoTokens.ts, core/ssoDiscovery.ts, core/ssoCache.ts and the AWS module's SSO
 * gateway (aws/sso.ts in dist/aws.js, loaded on the first SSO call).
 */
export function createSsoPorts(args: SsoPortsArgs): SsoPorts {
  // The SDK (dist/aws.js) loads on the first SSO call, not for the tree's sign-in state (no network).
  let sdk: SsoGateway | undefined;
  const g = (): SsoGateway => {
    if (sdk) return sdk;
    return (sdk = args.aws().createSsoGateway({ logger: (line) => args.log(line) }));
  };
  const gateway: SsoGateway = {
    registerClient: (o, p) => g().registerClient(o, p),
    startDeviceAuthorization: (o, p) => g().startDeviceAuthorization(o, p),
    createToken: (o, p) => g().createToken(o, p),
    listAccounts: (o, t) => g().listAccounts(o, t),
    listAccountRoles: (o, t, a) => g().listAccountRoles(o, t, a),
    getRoleCredentials: (o, t, a, r) => g().getRoleCredentials(o, t, a, r),
    logout: (o, t) => g().logout(o, t),
  };
  const cliCache = new SsoCliCache({ home: args.home ?? os.homedir(), log: args.log });
  const manager = new SsoTokenManager(args.store, gateway, systemClock, {
    callOptions: (portal, signal) => args.callOptions(portal, signal),
    cliCache,
    writeCliCache: args.shareWithCli,
    log: args.log,
  });
  const tokens: SsoTokensPort & { manager: SsoTokenManager } = {
    manager,
    token: (portal, signal) => manager.token(portal, signal),
    signIn: async (portal, ui, signal) => {
      await manager.signIn(portal, { showCode: (prompt) => ui.showCode(prompt) }, signal);
    },
    signOut: (portal) => manager.signOut(portal),
    state: (portal) => manager.state(portal),
  };
  const discovery: SsoDiscoveryPort = {
    discover: async (portal, accessToken, concurrency, cb, signal) => {
      await discoverSso({
        gateway,
        portal,
        accessToken,
        concurrency,
        signal,
        callOptions: (p, s) => args.callOptions(p, s),
        forceRefresh: true,
        onAccounts: (accounts) => cb.onAccounts(accounts),
        onRoles: (_id, _names, roles, account) => cb.onRoles(account, roles),
        onProgress: (done, total) => cb.onProgress(done, total),
        log: args.log,
      });
    },
  };
  return { gateway, tokens, discovery };
}
