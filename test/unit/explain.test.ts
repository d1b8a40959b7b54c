import * as assert from 'node:assert/strict';
import { escapeMarkdown, explainAccess } from '../../src/core/explain';
import { callerContext, evaluateTrust } from '../../src/core/trust';

const A = '111111111111';
const B = '222222222222';
const USER = `arn:aws:iam::${A}:user/test-user`;
const ROLE = `arn:aws:iam::${A}:role/s3-Full-Access`;
const caller = callerContext(USER);

const CONDITION_1 = 'your identity must be allowed `sts:AssumeRole` on this role (an IAM policy on the caller)';
const CONDITION_2 = "the role's trust policy must name you (or your account)";

const trust = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** Lines of a section, from its heading to the next one. */
function section(md: string, heading: string): string {
  const start = md.indexOf(`## ${heading}\n`);
  assert.ok(start >= 0, `no section ${heading}`);
  const end = md.indexOf('\n## ', start + 1);
  return md.slice(start, end < 0 ? undefined : end);
}

describe('explain', () => {
  it('reports the caller, the role, both conditions and the statements', () => {
    const md = explainAccess({
      caller,
      roleArn: ROLE,
      trustPolicy: trust({ Sid: 'Account', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' }),
      simulation: { resourceArn: ROLE, decision: 'allowed' },
    });
    assert.ok(md.startsWith('# Explain Access: s3\\-Full\\-Access\n'));
    assert.match(md, /\*\*You can assume this role\.\*\* Policy simulation: your IAM policy allows sts:AssumeRole on this role, and statement &quot;Account&quot; trusts your account\./);
    assert.ok(section(md, 'You').includes(`- Identity: \`${USER}\` (IAM user)`));
    assert.ok(section(md, 'The role').includes(`- ARN: \`${ROLE}\``));
    assert.ok(section(md, 'The role').includes('(your own account)'));
    const conditions = section(md, 'The two conditions');
    assert.ok(conditions.includes(`1. ${CONDITION_1[0]!.toUpperCase()}${CONDITION_1.slice(1)}: **Met.**`));
    assert.ok(conditions.includes(`2. ${CONDITION_2[0]!.toUpperCase()}${CONDITION_2.slice(1)}: **Met.**`));
    const statements = section(md, 'Trust policy statements');
    assert.ok(statements.includes('### Statement &quot;Account&quot;: Allow, allows you'));
    assert.ok(statements.includes('- Action: covers sts:AssumeRole'));
    assert.ok(section(md, 'Your IAM policy').includes('**allowed**'));
    assert.deepStrictEqual(section(md, 'What to change').trim().split('\n').slice(2), ['- Nothing: both conditions hold.']);
    assert.ok(section(md, 'Trust policy').includes('```json\n{\n  "Version": "2012-10-17",'));
  });

  it('trusted via account, not simulated: needs your IAM permission, with the exact statement to add', () => {
    const md = explainAccess({
      caller,
      roleArn: ROLE,
      trustPolicy: trust({ Effect: 'Allow', Principal: { AWS: A }, Action: 'sts:AssumeRole' }),
    });
    assert.match(md, /^\*\*The trust policy lets you in, but you also need an IAM policy allowing sts:AssumeRole on this role\.\*\* Statement 1 trusts your account, so you also need an IAM policy/m);
    assert.ok(section(md, 'The two conditions').includes('**Needs your IAM permission, not checked.** It depends on your IAM policy'));
    assert.ok(section(md, 'Your IAM policy').includes('Not checked'));
    const change = section(md, 'What to change');
    assert.ok(change.includes('Your identity must be allowed sts:AssumeRole on this role \\(an IAM policy on the caller\\)'));
    assert.ok(change.includes(`to an IAM policy attached to ${USER.replace(/-/g, '\\-')}`));
    // the statement, ready to copy: a JSON block that parses to exactly the statement to add
    const block = /Identity policy statement to add \(ready to copy\):\n\n```json\n([\s\S]*?)\n```/.exec(change);
    assert.ok(block, change);
    assert.deepStrictEqual(JSON.parse(block[1]!), { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE });
  });

  it('a simulation replaces "needs your IAM permission" in the report, and says it decided', () => {
    const denied = explainAccess({
      caller,
      roleArn: ROLE,
      trustPolicy: trust({ Effect: 'Allow', Principal: { AWS: A }, Action: 'sts:AssumeRole' }),
      simulation: { resourceArn: ROLE, decision: 'implicitDeny' },
    });
    assert.match(denied, /^\*\*You cannot assume this role\.\*\* Policy simulation: your IAM policy does not allow sts:AssumeRole on this role/m);
    assert.equal(denied.includes('needs your IAM permission'), false);
    assert.ok(section(denied, 'What to change').includes('"Resource": "' + ROLE + '"'));
  });

  it('undecidable: names what it depends on, in the headline and in what to change', () => {
    const md = explainAccess({
      caller,
      roleArn: ROLE,
      trustPolicy: trust({ Sid: 'Office', Effect: 'Allow', Principal: { AWS: USER }, Action: 'sts:AssumeRole', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
    });
    assert.match(md, /^\*\*Can&#39;t tell from here whether you can assume this role: it depends on aws:SourceIp\.\*\*/m);
    assert.ok(section(md, 'The two conditions').includes("2. The role's trust policy must name you (or your account): **Can't tell here.**"));
    assert.ok(section(md, 'What to change').includes('Statement &quot;Office&quot; depends on aws:SourceIp that this extension cannot see from here'));
    assert.ok(section(md, 'Trust policy statements').includes("- Condition `IpAddress` `aws:SourceIp`: can't tell here."));
  });

  it('never says "unknown" in a report', () => {
    const session = callerContext(`arn:aws:sts::${A}:assumed-role/Dev/s`);
    const policies = [
      trust({ Effect: 'Allow', Principal: { AWS: A }, Action: 'sts:AssumeRole' }),
      trust({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }),
      trust({ Effect: 'Allow', Principal: { AWS: USER }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'x' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
      trust({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:role/Dev` }, Action: 'sts:AssumeRole' }, { Effect: 'Deny', NotPrincipal: { AWS: USER }, Action: 'sts:AssumeRole' }),
      trust({ Effect: 'Maybe', Principal: { AWS: USER }, Action: 'sts:AssumeRole' }),
      '{"Statement": [',
    ];
    for (const who of [caller, session]) {
      for (const p of policies) {
        for (const sim of [undefined, 'allowed', 'implicitDeny', 'explicitDeny'] as const) {
          const md = explainAccess({ caller: who, roleArn: ROLE, trustPolicy: p, ...(sim ? { simulation: { resourceArn: ROLE, decision: sim } } : {}) });
          const outsidePolicy = md.slice(0, md.indexOf('## Trust policy\n'));
          assert.doesNotMatch(outsidePolicy, /unknown/i, `${who.arn} ${p} ${sim}`);
        }
      }
    }
    assert.doesNotMatch(explainAccess({ caller, roleArn: ROLE }), /unknown/i);
  });

  it('a trust policy that does not name you: condition 2 and a trust statement to add', () => {
    const md = explainAccess({
      caller,
      roleArn: `arn:aws:iam::${B}:role/prod`,
      trustPolicy: trust({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:user/someone` }, Action: 'sts:AssumeRole' }),
    });
    assert.match(md, /\*\*You cannot assume this role\.\*\*/);
    assert.ok(section(md, 'The role').includes('(another account)'));
    assert.ok(section(md, 'The two conditions').includes(': **Not met.** No statement of the trust policy allows you'));
    const change = section(md, 'What to change');
    assert.ok(change.includes("The role&#39;s trust policy must name you \\(or your account\\): ask the administrator of account 222222222222"));
    assert.ok(change.includes(`"AWS": "${USER}"`));
    // cross-account: the identity policy is needed too
    assert.ok(change.includes('"Action": "sts:AssumeRole",\n  "Resource": "arn:aws:iam::222222222222:role/prod"'));
  });

  it('explicit Deny, MFA and ExternalId advice', () => {
    const deny = explainAccess({
      caller,
      roleArn: ROLE,
      evaluation: evaluateTrust(
        trust(
          { Effect: 'Allow', Principal: { AWS: USER }, Action: 'sts:AssumeRole' },
          { Sid: 'NoTestUser', Effect: 'Deny', Principal: { AWS: USER }, Action: 'sts:AssumeRole' },
        ),
        ROLE,
        caller,
      ),
    });
    assert.ok(section(deny, 'What to change').includes('change statement &quot;NoTestUser&quot;: it explicitly denies you'));
    const mfa = explainAccess({
      caller,
      roleArn: ROLE,
      trustPolicy: trust({ Effect: 'Allow', Principal: { AWS: USER }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'sts:ExternalId': 'x-1' } } }),
    });
    assert.match(mfa, /\*\*You can assume this role with MFA\.\*\*/);
    assert.ok(section(mfa, 'Trust policy statements').includes('- Condition `Bool` `aws:MultiFactorAuthPresent`: depends on MFA.'));
    assert.ok(section(mfa, 'Trust policy statements').includes('- Condition `StringEquals` `sts:ExternalId`: depends on the ExternalId.'));
    const change = section(mfa, 'What to change');
    assert.ok(change.includes('with your MFA device'));
    assert.ok(change.includes('with the ExternalId'));
  });

  it('root callers are told to use an IAM identity', () => {
    const md = explainAccess({
      caller: callerContext(`arn:aws:iam::${A}:root`),
      roleArn: ROLE,
      trustPolicy: trust({ Effect: 'Allow', Principal: { AWS: A }, Action: 'sts:AssumeRole' }),
    });
    assert.match(md, /Roles may not be assumed by root accounts/);
    assert.ok(section(md, 'What to change').includes('Sign in as an IAM user or role'));
  });

  it('works without a trust policy, and shows the last error', () => {
    const md = explainAccess({ caller, roleArn: ROLE, error: { code: 'AccessDenied', message: `User: ${USER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}` } });
    assert.match(md, /The trust policy is not available/);
    assert.ok(section(md, 'Last attempt').includes('`AccessDenied`: User: arn:aws:iam::111111111111:user/test\\-user is not authorized'));
    assert.equal(md.includes('## Trust policy\n'), false);
  });

  it('shows a malformed policy as an escaped JSON string', () => {
    const md = explainAccess({ caller, roleArn: ROLE, trustPolicy: '{"Statement": [<script>' });
    assert.match(md, /cannot be evaluated/);
    assert.ok(section(md, 'Trust policy').includes('"{\\"Statement\\": [\\u003cscript\\u003e"'));
  });

  describe('escaping', () => {
    const evil = '<script>alert(1)</script>';
    const md = explainAccess({
      caller,
      roleArn: ROLE,
      roleDescription: `Prod ${evil} [click](javascript:alert(1)) <img src=x onerror=alert(1)>`,
      trustPolicy: trust(
        { Sid: evil, Effect: 'Allow', Principal: { AWS: USER }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalTag/x': '</code><b>```' } } },
        { Sid: '`````', Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::111111111111:user/<b>x</b>' }, Action: 'sts:AssumeRole' },
      ),
      error: { code: '<b>Denied</b>', message: '<iframe src="x">' },
    });

    it('never lets raw HTML through', () => {
      assert.equal(/<[a-z!/]/i.test(md), false, md);
      assert.equal(md.includes('<'), false);
      assert.equal(md.includes('>'), false);
    });

    it('shows the escaped text', () => {
      assert.ok(md.includes('&lt;script&gt;alert\\(1\\)&lt;/script&gt;'));
      assert.ok(section(md, 'The role').includes('- Description: Prod &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\[click\\]\\(javascript:alert\\(1\\)\\)'));
      assert.ok(md.includes('"Sid": "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"'));
      assert.ok(md.includes('&lt;b&gt;Denied&lt;/b&gt;'));
    });

    it('cannot break out of a code fence', () => {
      const fences = md.split('\n').filter((l) => l.startsWith('```'));
      assert.ok(fences.every((l) => l === '```json' || l === '```'));
      assert.equal(fences.length % 2, 0);
      assert.equal(md.includes('``````'), false);
      assert.ok(md.includes('"Sid": "\\u0060\\u0060\\u0060\\u0060\\u0060"'));
    });

    it('the embedded JSON is still the same policy', () => {
      const blocks = [...md.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1]!) as unknown);
      const whole = blocks.at(-1) as { Statement: Array<{ Sid: string }> };
      assert.equal(whole.Statement[0]!.Sid, evil);
    });
  });

  it('escapeMarkdown', () => {
    assert.equal(escapeMarkdown('a*b_c `d` <e> & "f" [g](h)\nnext'), 'a\\*b\\_c \\`d\\` &lt;e&gt; &amp; &quot;f&quot; \\[g\\]\\(h\\) next');
  });
});
