// Builders for core objects used across unit tests.
import type { RoleDefinition, Session } from '../../src/core/types';

export function role(over: Partial<RoleDefinition> = {}): RoleDefinition {
  const roleArn = over.roleArn ?? 'arn:aws:iam::111111111111:role/s3-Full-Access';
  const name = roleArn.split('/').pop()!;
  return {
    id: `profile:${name}`,
    origin: 'profile',
    label: name,
    roleArn,
    accountId: roleArn.split(':')[4],
    partition: 'aws',
    roleName: name,
    hops: [{ roleArn }],
    base: { kind: 'profile', profile: 'default' },
    ...over,
  };
}

export function session(over: Partial<Session> = {}, now = Date.UTC(2026, 10, 23, 12, 0, 0)): Session {
  const r = over.role ?? role();
  return {
    role: r,
    accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
    secretAccessKey: 'secretsecretsecretsecretsecretsecret0001',
    sessionToken: 'token-'.padEnd(200, 'x'),
    expiration: new Date(now + 3600_000),
    assumedRoleArn: `arn:aws:sts::${r.accountId}:assumed-role/${r.roleName}/test-user`,
    sessionName: 'test-user',
    sourceIdentityArn: 'arn:aws:iam::111111111111:user/test-user',
    ...over,
  };
}
