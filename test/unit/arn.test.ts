import * as assert from 'node:assert';
import { deriveSessionName, isAccountId, parseCallerArn, parseRoleArn, roleArn, sanitizeSessionName, validateSessionName } from '../../src/core/arn';
import { RoleValidationError } from '../../src/core/errors';

function ruleOf(fn: () => unknown): [string, string, string] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof RoleValidationError, `expected RoleValidationError, got ${String(e)}`);
    return [e.rule, e.field, e.message];
  }
  assert.fail('did not throw');
}

describe('arn: parseRoleArn', () => {
  it('parses role ARNs across partitions, with and without paths', () => {
    const cases: Array<[string, [string, string, string, string]]> = [
      ['arn:aws:iam::123456789012:role/Admin', ['aws', '123456789012', '/', 'Admin']],
      ['arn:aws-cn:iam::123456789012:role/CnAdmin', ['aws-cn', '123456789012', '/', 'CnAdmin']],
      ['arn:aws-us-gov:iam::123456789012:role/ops/team/GovOps', ['aws-us-gov', '123456789012', '/ops/team/', 'GovOps']],
      ['arn:aws-iso:iam::123456789012:role/a/Iso', ['aws-iso', '123456789012', '/a/', 'Iso']],
      ['arn:aws-iso-b:iam::123456789012:role/IsoB', ['aws-iso-b', '123456789012', '/', 'IsoB']],
      ['arn:aws:iam::123456789012:role/service-role/x+=,.@_-y', ['aws', '123456789012', '/service-role/', 'x+=,.@_-y']],
      [`arn:aws:iam::123456789012:role/${'n'.repeat(64)}`, ['aws', '123456789012', '/', 'n'.repeat(64)]],
    ];
    for (const [arn, [partition, accountId, path, roleName]] of cases) {
      assert.deepStrictEqual(parseRoleArn(arn), { partition, accountId, path, roleName, arn });
    }
  });

  it('names the rule each bad ARN breaks', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['', 'arn-format', /must start with "arn:"/],
      ['arn:aws:iam::123456789012', 'arn-format', /six parts/],
      ['arn:aws-mars:iam::123456789012:role/R', 'arn-partition', /Partition must be one of aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b/],
      ['arn:AWS:iam::123456789012:role/R', 'arn-partition', /Partition/],
      ['arn:aws:sts::123456789012:role/R', 'arn-service', /Service of a role ARN must be iam/],
      ['arn:aws:iam:us-east-1:123456789012:role/R', 'arn-region', /Region of a role ARN must be empty/],
      ['arn:aws:iam::12345678901:role/R', 'account-id', /^Account ID must be 12 digits$/],
      ['arn:aws:iam::1234567890123:role/R', 'account-id', /12 digits/],
      ['arn:aws:iam::12345678901a:role/R', 'account-id', /12 digits/],
      ['arn:aws:iam::123456789012:user/R', 'arn-resource', /must start with role\//],
      ['arn:aws:iam::123456789012:role//R', 'role-path', /Role path/],
      [`arn:aws:iam::123456789012:role/${'p/'.repeat(260)}R`, 'role-path', /at most 512/],
      ['arn:aws:iam::123456789012:role/a b/R', 'role-path', /Role path/],
      ['arn:aws:iam::123456789012:role/', 'role-name', /Role name must be 1 to 64/],
      [`arn:aws:iam::123456789012:role/${'n'.repeat(65)}`, 'role-name', /Role name/],
      ['arn:aws:iam::123456789012:role/Bad*Name', 'role-name', /Role name/],
      ['arn:aws:iam::123456789012:role/path/🙂', 'role-name', /Role name/],
    ];
    for (const [arn, rule, message] of cases) {
      const [r, field, m] = ruleOf(() => parseRoleArn(arn));
      assert.deepStrictEqual([r, field], [rule, 'roleArn'], arn);
      assert.match(m, message, arn);
    }
  });

  it('roleArn builds and validates', () => {
    assert.deepStrictEqual(
      [roleArn('aws', '123456789012', 'Admin'), roleArn('aws-cn', '123456789012', 'R', 'a/b'), roleArn('aws-us-gov', '123456789012', 'R', '/x/')],
      ['arn:aws:iam::123456789012:role/Admin', 'arn:aws-cn:iam::123456789012:role/a/b/R', 'arn:aws-us-gov:iam::123456789012:role/x/R'],
    );
    assert.deepStrictEqual(ruleOf(() => roleArn('aws', '1234', 'R')).slice(0, 2), ['account-id', 'accountId']);
    assert.deepStrictEqual(ruleOf(() => roleArn('aws', '123456789012', 'a b')).slice(0, 2), ['role-name', 'roleName']);
    assert.deepStrictEqual(ruleOf(() => roleArn('gcp', '123456789012', 'R')).slice(0, 2), ['arn-partition', 'partition']);
  });

  it('isAccountId', () => {
    assert.deepStrictEqual(['123456789012', '12345678901', '1234567890123', '12345678901a', ' 123456789012', '１２３４５６７８９０１２'].map(isAccountId), [true, false, false, false, false, false]);
  });
});

describe('arn: parseCallerArn', () => {
  it('parses users, assumed roles, roles, root and federated users', () => {
    assert.deepStrictEqual(
      [
        parseCallerArn('arn:aws:iam::111111111111:user/test-user'),
        parseCallerArn('arn:aws:iam::111111111111:user/division/team/alice'),
        parseCallerArn('arn:aws:sts::111111111111:assumed-role/s3-Full-Access/alice@example.com'),
        parseCallerArn('arn:aws-cn:iam::111111111111:role/path/R'),
        parseCallerArn('arn:aws-us-gov:iam::111111111111:root'),
        parseCallerArn('arn:aws:sts::111111111111:federated-user/bob'),
      ],
      [
        { kind: 'user', partition: 'aws', accountId: '111111111111', name: 'test-user' },
        { kind: 'user', partition: 'aws', accountId: '111111111111', name: 'alice' },
        { kind: 'assumedRole', partition: 'aws', accountId: '111111111111', name: 's3-Full-Access', sessionName: 'alice@example.com' },
        { kind: 'role', partition: 'aws-cn', accountId: '111111111111', name: 'R' },
        { kind: 'root', partition: 'aws-us-gov', accountId: '111111111111', name: 'root' },
        { kind: 'federatedUser', partition: 'aws', accountId: '111111111111', name: 'bob' },
      ],
    );
  });

  it('returns undefined for anything else', () => {
    for (const bad of ['', 'arn:aws:iam::111111111111:group/g', 'arn:aws:sts::111111111111:assumed-role/R', 'arn:aws:s3:::bucket', 'arn:aws:iam::1111:user/u', 'arn:aws:iam:us-east-1:111111111111:user/u', 'not an arn']) {
      assert.strictEqual(parseCallerArn(bad), undefined, bad);
    }
  });
});

describe('arn: session names', () => {
  it('sanitizeSessionName replaces characters, cuts to 64 and pads to 2', () => {
    assert.deepStrictEqual(
      [
        sanitizeSessionName('alice@example.com'),
        sanitizeSessionName('Jane Doe/ops'),
        sanitizeSessionName('ünï🙂'),
        sanitizeSessionName('x'),
        sanitizeSessionName(''),
        sanitizeSessionName('a'.repeat(100)).length,
        sanitizeSessionName('\u202eevil\u0000'),
      ],
      ['alice@example.com', 'Jane-Doe-ops', '-n--', 'x-', '--', 64, '-evil-'],
    );
    for (const s of ['', 'x', 'ünï🙂', 'a'.repeat(100), '\ud800', ' ']) assert.doesNotThrow(() => validateSessionName(sanitizeSessionName(s)), s);
  });

  it('deriveSessionName uses the user or session name, else the fallback', () => {
    assert.deepStrictEqual(
      [
        deriveSessionName('arn:aws:iam::111111111111:user/test-user'),
        deriveSessionName('arn:aws:sts::111111111111:assumed-role/R/alice@example.com'),
        deriveSessionName('arn:aws:sts::111111111111:federated-user/bob'),
        deriveSessionName('arn:aws:iam::111111111111:root'),
        deriveSessionName('garbage'),
        deriveSessionName(undefined, 'my fallback'),
      ],
      ['test-user', 'alice@example.com', 'bob', 'role-switcher', 'role-switcher', 'my-fallback'],
    );
  });

  it('validateSessionName throws the session-name rule', () => {
    assert.strictEqual(validateSessionName('ok-name'), 'ok-name');
    for (const bad of ['a', 'has space', 'x'.repeat(65), 'a/b', '']) {
      assert.deepStrictEqual(ruleOf(() => validateSessionName(bad)).slice(0, 2), ['session-name', 'sessionName'], bad);
    }
  });
});
