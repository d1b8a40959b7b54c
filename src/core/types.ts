// Shared shapes of the pure core. No vscode, no SDK runtime.

import type { SsoRoleRef } from './ssoTypes';

export type RoleOrigin = 'profile' | 'settings' | 'discovered' | 'organization' | 'sso';

/** One `sts:AssumeRole` step of a switch. */
export interface AssumeHop {
  readonly roleArn: string;
  /** Profile this hop comes from, for messages ("hop 2 of 3, profile 'deploy'"). */
  readonly profile?: string;
  readonly externalId?: string;
  readonly mfaSerial?: string;
  readonly durationSeconds?: number;
  readonly roleSessionName?: string;
}

/**
 * Where the first hop gets its credentials: the hop plan's base. It never holds a secret (roles are
 * shown, logged and compared); the switch turns it into gateway.ts's BaseCredentialSource.
 */
export type BaseSource =
  | { readonly kind: 'default' }
  /**
   * A profile the SDK resolves by name (`fromIni`): `credential_process`, login (IAM Identity Center
   * profiles are `sso` below). The hop plan
   * only hands the SDK a profile that has no access keys and no role_arn, so the SDK cannot take a
   * different route than the plan (assume a role on its own, or skip the profile's keys).
   */
  | { readonly kind: 'profile'; readonly profile: string }
  /**
   * The access keys of this profile, as the extension read them from the shared files. Every base
   * profile with keys resolves this way, whatever else it carries (role_arn, credential_source,
   * credential_process): as a source_profile its keys are what the AWS CLI and the SDKs use.
   */
  | { readonly kind: 'profileKeys'; readonly profile: string }
  | { readonly kind: 'environment' }
  /**
   * An IAM Identity Center permission set (an SSO profile's sso_account_id + sso_role_name, or a
   * permission set picked in the tree): GetRoleCredentials with the portal's token signs hop 0.
   */
  | { readonly kind: 'sso'; readonly sso: SsoRoleRef };

export interface RoleDefinition {
  /** Stable id: `profile:<name>`, `settings:<arn>`, `discovered:<arn>`, `org:<arn>`. */
  readonly id: string;
  readonly origin: RoleOrigin;
  readonly label: string;
  readonly roleArn: string;
  readonly accountId: string;
  readonly partition: string;
  readonly roleName: string;
  readonly region?: string;
  readonly color?: string;
  /** The hops to assume, in order; the last one is this role. */
  readonly hops: readonly AssumeHop[];
  readonly base: BaseSource;
  /** Set by discovery (issue 5). */
  readonly verdict?: Verdict;
  /** Profile name, when origin is 'profile'. */
  readonly profile?: string;
  /** Account display name, when known (organization candidates carry the Organizations account name). */
  readonly accountName?: string;
  /**
   * origin 'sso': the permission set this role is. It has no hops: switching to it calls
   * GetRoleCredentials (core/ssoTypes.ts explains the one session model).
   */
  readonly sso?: SsoRoleRef;
}

/**
 * - needsPermission: the trust policy lets you in only together with an identity policy of yours that allows
 *   sts:AssumeRole on the role (it trusts your account or "*", or the role is in another account), and that
 *   policy was not checked (no iam:SimulatePrincipalPolicy). A simulation turns it into allowed or denied.
 * - undecidable: the answer depends on something that can't be seen from here (a condition key such as
 *   aws:SourceIp, your role's path, an unreadable policy); `dependsOn` says what.
 * Words, icons and tooltips for each kind: core/verdictText.ts.
 */
export type VerdictKind =
  | 'assumable'
  | 'needsMfa'
  | 'needsExternalId'
  | 'needsPermission'
  | 'notTrusted'
  | 'undecidable'
  | 'unverified';

export interface Verdict {
  readonly kind: VerdictKind;
  /** One sentence that names the statement that decided it. */
  readonly reason: string;
  /** undecidable: what the answer depends on, e.g. "aws:SourceIp" or "your role's path". */
  readonly dependsOn?: string;
  /** needsPermission: how the trust policy covers you (your own ARN, your account, or "*"). */
  readonly trustedVia?: 'arn' | 'account' | 'any';
  /** needsPermission: what the trust policy asks for besides, e.g. ["MFA"]. */
  readonly alsoNeeds?: readonly ('MFA' | 'ExternalId')[];
}

/** An active assumed-role session. Secrets live only here, in memory. */
export interface Session {
  readonly role: RoleDefinition;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly assumedRoleArn: string;
  readonly sessionName: string;
  /** The identity that made the last hop's call (ARN). */
  readonly sourceIdentityArn: string;
  readonly region?: string;
  readonly accountAlias?: string;
  /** Assumed with role-session credentials (role chaining): AWS caps it at one hour. */
  readonly chained?: boolean;
  /** Assumed with an MFA session (sts:GetSessionToken) instead of a code of its own. */
  readonly viaMfaSession?: boolean;
  /**
   * On the last session of each switch: the role that switch assumed and whether it was chained from
   * the sessions below it. Renewal assumes the steps again, in order.
   */
  readonly step?: { readonly role: RoleDefinition; readonly chained: boolean };
  /** Obtained with sso:GetRoleCredentials (a permission set), not sts:AssumeRole. */
  readonly permissionSet?: SsoRoleRef;
}
