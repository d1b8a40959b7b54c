// AWS partitions: which partition a region or ARN is in, each partition's default region, and its
// console and sign-in hosts. Pure; the SDK resolves the STS endpoint itself from the region (so
// `sts.cn-north-1.amazonaws.com.cn`, `sts.us-gov-west-1.amazonaws.com`, FIPS variants and so on come
// from its endpoint rules, never from here).

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

export interface PartitionInfo {
  readonly partition: Partition;
  /** Where a role of this partition is assumed when neither the role nor the settings name a region of it. */
  readonly defaultRegion: string;
  /** The federation endpoint's host (getSigninToken, login). */
  readonly signinHost: string;
  /** The console's host (the default Destination). */
  readonly consoleHost: string;
}

export const PARTITIONS: Readonly<Record<Partition, PartitionInfo>> = {
  aws: { partition: 'aws', defaultRegion: 'us-east-1', signinHost: 'signin.aws.amazon.com', consoleHost: 'console.aws.amazon.com' },
  'aws-cn': { partition: 'aws-cn', defaultRegion: 'cn-north-1', signinHost: 'signin.amazonaws.cn', consoleHost: 'console.amazonaws.cn' },
  'aws-us-gov': { partition: 'aws-us-gov', defaultRegion: 'us-gov-west-1', signinHost: 'signin.amazonaws-us-gov.com', consoleHost: 'console.amazonaws-us-gov.com' },
};

export function isPartition(p: string | undefined): p is Partition {
  return p === 'aws' || p === 'aws-cn' || p === 'aws-us-gov';
}

/** The partition of a region name: cn-* is aws-cn, us-gov-* is aws-us-gov, anything else aws. */
export function partitionOfRegion(region: string): Partition {
  if (/^cn-/.test(region)) return 'aws-cn';
  if (/^us-gov-/.test(region)) return 'aws-us-gov';
  return 'aws';
}

/** The partition named by an ARN (`arn:<partition>:…`), or undefined for one this extension does not know. */
export function partitionOfArn(arn: string): Partition | undefined {
  const p = /^arn:([a-z-]+):/.exec(arn)?.[1];
  return isPartition(p) ? p : undefined;
}

/**
 * The region a role is assumed in: the role's own, else the configured one when it is in the role's
 * partition, else the partition's default (cn-north-1, us-gov-west-1). A role in aws-cn is never sent
 * to a us-east-1 STS endpoint just because that is the window's default region.
 */
export function regionForRole(partition: string | undefined, roleRegion: string | undefined, configuredRegion: string): string {
  if (roleRegion) return roleRegion;
  if (!isPartition(partition) || partitionOfRegion(configuredRegion) === partition) return configuredRegion;
  return PARTITIONS[partition].defaultRegion;
}

/** The partition's info; unknown partitions get the aws one (its hosts are the documented default). */
export function partitionInfo(partition: string | undefined): PartitionInfo {
  return isPartition(partition) ? PARTITIONS[partition] : PARTITIONS.aws;
}
