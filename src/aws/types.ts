// Types only: the one seam between the extension and AWS. Safe to import from core/ and host/;
// the implementation (gateway.ts) is bundled separately into dist/aws.js and loaded on first use.

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** Absent for long-term keys. */
  readonly expiration?: Date;
}

/** Where the first hop's credentials come from. */
export type BaseCredentialSource =
  /** The SDK's default provider chain (env, ini default, sso, process, container, IMDS). */
  | { readonly kind: 'default' }
  /** A named profile of the shared config/credentials files (must not itself be a role profile). */
  | { readonly kind: 'profile'; readonly profile: string }
  /** `credential_source = Environment`: the AWS_ACCESS_KEY_ID family of this process. */
  | { readonly kind: 'environment' }
  /** Credentials already in hand (a previous hop's session). */
  | { readonly kind: 'static'; readonly credentials: AwsCredentials };

export interface CallOptions {
  readonly region: string;
  /** Explicit endpoint from the roleSwitcher.endpointUrl setting; otherwise the SDK's own resolution. */
  readonly endpoint?: string;
  readonly credentials: BaseCredentialSource;
  /** Per-attempt request timeout. */
  readonly timeoutMs?: number;
  readonly abortSignal?: AbortSignal;
}

export interface CallerIdentity {
  readonly arn: string;
  readonly account: string;
  readonly userId: string;
}

export interface AssumeRoleParams {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly durationSeconds?: number;
  readonly externalId?: string;
  readonly serialNumber?: string;
  readonly tokenCode?: string;
  readonly sourceIdentity?: string;
}

export interface AssumeRoleOutput {
  readonly credentials: Required<Pick<AwsCredentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>> & { readonly expiration: Date };
  /** arn:aws:sts::<acct>:assumed-role/<RoleName>/<session> */
  readonly assumedRoleArn: string;
  readonly assumedRoleId: string;
}

export interface IamRoleSummary {
  readonly arn: string;
  readonly roleName: string;
  readonly path: string;
  readonly roleId: string;
  /** Already URL-decoded JSON text; absent if IAM did not return one. */
  readonly trustPolicy?: string;
  readonly maxSessionDuration?: number;
  readonly description?: string;
}

export interface SimulationResult {
  readonly resourceArn: string;
  /** 'allowed' | 'explicitDeny' | 'implicitDeny' as IAM returns them. */
  readonly decision: 'allowed' | 'explicitDeny' | 'implicitDeny';
}

export interface OrgAccount {
  readonly id: string;
  readonly name: string;
  readonly status?: string;
}

/**
 * Errors from the gateway are the SDK's own errors, untouched: `name` is the AWS error code
 * (AccessDenied, ExpiredToken, ...), `$metadata.httpStatusCode` is set, `$retryable` may be set.
 * core/errorText.ts turns them into words.
 */
export interface AwsGateway {
  getCallerIdentity(opts: CallOptions): Promise<CallerIdentity>;
  assumeRole(opts: CallOptions, params: AssumeRoleParams): Promise<AssumeRoleOutput>;
  /** Pages of ListRoles (Marker / IsTruncated), trust policies decoded. */
  listRoles(opts: CallOptions, pageSize?: number): AsyncIterable<IamRoleSummary[]>;
  listAccountAliases(opts: CallOptions): Promise<string[]>;
  /** iam:SimulatePrincipalPolicy for sts:AssumeRole, batched over resource ARNs. */
  simulateAssumeRole(opts: CallOptions, policySourceArn: string, roleArns: readonly string[]): Promise<SimulationResult[]>;
  /** organizations:ListAccounts, all pages. */
  listAccounts(opts: CallOptions): AsyncIterable<OrgAccount[]>;
  /** Drop cached clients (settings changed, or switch back). */
  reset(): void;
  /** Number of cached SDK clients (tests and the benchmark). */
  clientCount?(): number;
}

/** What dist/aws.js exports (src/aws/index.ts). */
export interface AwsModule {
  discoverRoles: typeof import('../core/discovery').discoverRoles;
  DiscoveryCache: typeof import('../core/discovery').DiscoveryCache;
  explainAccess: typeof import('../core/explain').explainAccess;
  callerContext: typeof import('../core/trust').callerContext;
  translateError: typeof import('../core/errorText').translateError;
  Switcher: typeof import('../core/switcher').Switcher;
  createAwsGateway(options?: {
    maxAttempts?: number;
    logger?: (line: string) => void;
    /** Told when the SDK corrected its clock by more than a minute. */
    onClockSkew?: (offsetMs: number) => void;
    /** Default per-attempt timeout when CallOptions.timeoutMs is absent (10000). */
    timeoutMs?: number;
    /** Larger response bodies fail with `ResponseTooLarge` (16 MiB). */
    maxResponseBytes?: number;
  }): AwsGateway;
}
