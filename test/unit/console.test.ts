import { strict as assert } from 'node:assert';
import {
  ConsoleSigninError,
  consoleHomeUrl,
  consoleRoute,
  federationEndpoint,
  loginUrl,
  parseSigninTokenAnswer,
  resolveDestination,
  sessionPlace,
  signinTokenRequestUrl,
  ssoConsoleUrl,
} from '../../src/core/console';
import { consoleSignin, type FetchLike } from '../../src/core/consoleSignin';
import { partitionOfArn, partitionOfRegion, regionForRole } from '../../src/core/partitions';
import { Redactor } from '../../src/core/redact';
import type { AwsGateway } from '../../src/core/gateway';
import { FakeClock } from '../../src/core/clock';
import { SessionStore } from '../../src/core/session';
import { Switcher } from '../../src/core/switcher';
import { FakeGateway } from '../helpers/fakeGateway';
import { role, session } from '../helpers/builders';

const CREDS = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'a+b/c=d', sessionToken: 'tok+en/==' };

describe('console sign-in: hosts per partition', () => {
  it('maps each partition to its sign-in and console host', () => {
    assert.equal(federationEndpoint('aws'), 'https://signin.aws.amazon.com/federation');
    assert.equal(federationEndpoint('aws-cn'), 'https://signin.amazonaws.cn/federation');
    assert.equal(federationEndpoint('aws-us-gov'), 'https://signin.amazonaws-us-gov.com/federation');
    assert.equal(consoleHomeUrl('aws', 'eu-west-1'), 'https://console.aws.amazon.com/console/home?region=eu-west-1');
    assert.equal(consoleHomeUrl('aws-cn', 'cn-north-1'), 'https://console.amazonaws.cn/console/home?region=cn-north-1');
    assert.equal(consoleHomeUrl('aws-us-gov', 'us-gov-west-1'), 'https://console.amazonaws-us-gov.com/console/home?region=us-gov-west-1');
  });

  it('knows the partition of regions and ARNs, and picks the partition default region', () => {
    assert.equal(partitionOfRegion('cn-northwest-1'), 'aws-cn');
    assert.equal(partitionOfRegion('us-gov-east-1'), 'aws-us-gov');
    assert.equal(partitionOfRegion('us-east-1'), 'aws');
    assert.equal(partitionOfArn('arn:aws-cn:iam::111111111111:role/x'), 'aws-cn');
    assert.equal(partitionOfArn('arn:aws-iso:iam::111111111111:role/x'), undefined);
    assert.equal(regionForRole('aws-cn', undefined, 'us-east-1'), 'cn-north-1');
    assert.equal(regionForRole('aws-us-gov', undefined, 'eu-west-1'), 'us-gov-west-1');
    assert.equal(regionForRole('aws-cn', undefined, 'cn-northwest-1'), 'cn-northwest-1');
    assert.equal(regionForRole('aws-cn', 'cn-northwest-1', 'us-east-1'), 'cn-northwest-1');
    assert.equal(regionForRole('aws', undefined, 'eu-west-1'), 'eu-west-1');
  });

  it('takes an override endpoint only over https or to loopback', () => {
    assert.equal(federationEndpoint('aws', 'http://127.0.0.1:4566/federation?x=1'), 'http://127.0.0.1:4566/federation');
    assert.throws(() => federationEndpoint('aws', 'http://example.com/federation'), (e: Error) => e instanceof ConsoleSigninError && /must be https/.test(e.message) && /roleSwitcher\.console\.federationEndpoint/.test(e.message));
    assert.throws(() => federationEndpoint('aws', 'not a url'), /is not a URL/);
  });
});

describe('console sign-in: URLs', () => {
  it('encodes the Session JSON so every secret character survives', () => {
    const url = new URL(signinTokenRequestUrl('https://signin.aws.amazon.com/federation', CREDS));
    assert.equal(url.searchParams.get('Action'), 'getSigninToken');
    assert.deepEqual(JSON.parse(url.searchParams.get('Session')!), { sessionId: 'ASIAEXAMPLE', sessionKey: 'a+b/c=d', sessionToken: 'tok+en/==' });
    assert.equal(url.searchParams.get('SessionDuration'), null);
    assert.ok(!url.search.includes('a+b/c'), 'the raw secret is not in the query unencoded');
  });

  it('adds SessionDuration only when asked, within 900..43200', () => {
    const url = new URL(signinTokenRequestUrl('https://x/federation', CREDS, { sessionDurationSeconds: 7200 }));
    assert.equal(url.searchParams.get('SessionDuration'), '7200');
    assert.throws(() => signinTokenRequestUrl('https://x/federation', CREDS, { sessionDurationSeconds: 100 }), ConsoleSigninError);
  });

  it('builds the login URL with Issuer, Destination and the token, each encoded', () => {
    const u = new URL(loginUrl('https://signin.aws.amazon.com/federation', { signinToken: 'T+k/=', destination: 'https://console.aws.amazon.com/s3/home?region=eu-west-1&x=1', issuer: 'https://issuer.example/' }));
    assert.equal(u.searchParams.get('Action'), 'login');
    assert.equal(u.searchParams.get('SigninToken'), 'T+k/=');
    assert.equal(u.searchParams.get('Destination'), 'https://console.aws.amazon.com/s3/home?region=eu-west-1&x=1');
    assert.equal(u.searchParams.get('Issuer'), 'https://issuer.example/');
  });

  it('reads the getSigninToken answer', () => {
    assert.deepEqual(parseSigninTokenAnswer(200, '{"SigninToken":"abc"}'), { ok: true, signinToken: 'abc' });
    assert.deepEqual(parseSigninTokenAnswer(400, ''), { ok: false, refused: true, status: 400 });
    assert.deepEqual(parseSigninTokenAnswer(200, '<html>'), { ok: false, refused: false, status: 200 });
    assert.deepEqual(parseSigninTokenAnswer(503, ''), { ok: false, refused: false, status: 503 });
  });
});

describe('console sign-in: the Destination setting', () => {
  it('defaults to the console home of the region', () => {
    assert.equal(resolveDestination('', 'aws', 'eu-central-1'), 'https://console.aws.amazon.com/console/home?region=eu-central-1');
  });
  it('takes a console path with {region}, or a URL on the partition console host or a subdomain', () => {
    assert.equal(resolveDestination('/s3/home?region={region}', 'aws-cn', 'cn-north-1'), 'https://console.amazonaws.cn/s3/home?region=cn-north-1');
    assert.equal(resolveDestination('https://s3.console.aws.amazon.com/s3/buckets', 'aws', 'us-east-1'), 'https://s3.console.aws.amazon.com/s3/buckets');
  });
  it('refuses other hosts, other partitions and http, naming the setting', () => {
    for (const bad of ['https://evil.example/', 'https://console.aws.amazon.com.evil.example/', 'http://console.aws.amazon.com/']) {
      assert.throws(() => resolveDestination(bad, 'aws', 'us-east-1'), (e: Error) => e instanceof ConsoleSigninError && e.setting === 'roleSwitcher.console.destination');
    }
    assert.throws(() => resolveDestination('https://console.aws.amazon.com/', 'aws-cn', 'cn-north-1'), /aws-cn console/);
  });
  it('places a session by its assumed-role ARN partition and region', () => {
    const r = role({ roleArn: 'arn:aws-us-gov:iam::111111111111:role/Gov', partition: 'aws-us-gov' });
    assert.deepEqual(sessionPlace(session({ role: r, assumedRoleArn: 'arn:aws-us-gov:sts::111111111111:assumed-role/Gov/u' }), 'us-east-1'), { partition: 'aws-us-gov', region: 'us-gov-west-1' });
  });
});

describe('console sign-in: the refusal rule', () => {
  it('re-assumes chained and MFA-session sessions, federates the rest, uses the portal for permission sets', () => {
    assert.deepEqual(consoleRoute(session()), { kind: 'federation' });
    assert.equal(consoleRoute(session({ chained: true })).kind, 'reassume');
    assert.match((consoleRoute(session({ viaMfaSession: true })) as { why: string }).why, /GetSessionToken/);
    assert.equal(consoleRoute(session({ permissionSet: { portalId: 'p', accountId: '111111111111', roleName: 'Admin' } })).kind, 'portal');
  });

  it('builds the access portal shortcut URL', () => {
    assert.equal(ssoConsoleUrl('https://my.awsapps.com/start/', '111111111111', 'Admin Set'), 'https://my.awsapps.com/start/#/console?account_id=111111111111&role_name=Admin%20Set');
    assert.equal(
      ssoConsoleUrl('https://my.awsapps.com/start', '111111111111', 'Admin', 'https://console.aws.amazon.com/s3/home'),
      'https://my.awsapps.com/start/#/console?account_id=111111111111&role_name=Admin&destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fs3%2Fhome',
    );
    assert.throws(() => ssoConsoleUrl('http://my.awsapps.com/start', '111111111111', 'Admin'), /https/);
    assert.throws(() => ssoConsoleUrl('https://my.awsapps.com/start', '12', 'Admin'), /12-digit/);
  });
});

describe('console sign-in: the flow', () => {
  function fetchFrom(answers: Array<{ status: number; body: string }>, seen: string[]): FetchLike {
    return async (url) => {
      seen.push(url);
      const a = answers.shift() ?? { status: 500, body: '' };
      return { status: a.status, text: async () => a.body };
    };
  }

  it('federates a plain session and redacts the token', async () => {
    const seen: string[] = [];
    const redactor = new Redactor();
    let reassumed = 0;
    const r = await consoleSignin(session(), {
      fetch: fetchFrom([{ status: 200, body: '{"SigninToken":"TOKEN-abc"}' }], seen),
      reassume: async () => (reassumed++, session()),
      configuredRegion: 'eu-west-1',
      redactor,
    });
    assert.equal(reassumed, 0);
    assert.equal(r.via, 'federation');
    assert.equal(new URL(r.url).searchParams.get('SigninToken'), 'TOKEN-abc');
    assert.equal(new URL(r.url).searchParams.get('Destination'), 'https://console.aws.amazon.com/console/home?region=eu-west-1');
    assert.ok(!redactor.redact(`opened ${r.url}`).includes('TOKEN-abc'), 'the token is redacted wherever it appears');
    assert.equal(seen.length, 1);
  });

  it('re-assumes a chained session first and signs in with the new credentials', async () => {
    const seen: string[] = [];
    const fresh = session({ accessKeyId: 'ASIAFRESH', chained: true });
    const r = await consoleSignin(session({ chained: true }), {
      fetch: fetchFrom([{ status: 200, body: '{"SigninToken":"T"}' }], seen),
      reassume: async () => fresh,
      configuredRegion: 'us-east-1',
    });
    assert.equal(r.via, 'reassumed');
    assert.equal(JSON.parse(new URL(seen[0]).searchParams.get('Session')!).sessionId, 'ASIAFRESH');
  });

  it('retries once with a re-assumed session when the endpoint refuses unexpectedly, then explains', async () => {
    const seen: string[] = [];
    let reassumed = 0;
    await assert.rejects(
      consoleSignin(session(), { fetch: fetchFrom([{ status: 400, body: '' }, { status: 400, body: '' }], seen), reassume: async () => (reassumed++, session()), configuredRegion: 'us-east-1' }),
      (e: Error) => e instanceof ConsoleSigninError && /refused/.test(e.message) && /Switch to the role again/.test(e.message),
    );
    assert.equal(reassumed, 1);
    assert.equal(seen.length, 2);
  });

  it('says why when the re-assume fails, without a blank message', async () => {
    await assert.rejects(
      consoleSignin(session({ viaMfaSession: true }), {
        fetch: fetchFrom([], []),
        reassume: async () => {
          throw Object.assign(new Error('hop failed'), { name: 'HopError', cause: Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken' }) });
        },
        configuredRegion: 'us-east-1',
      }),
      (e: Error) => /MFA session/.test(e.message) && /ExpiredToken/.test(e.message) && /assume .* again/.test(e.message),
    );
  });

  it('never puts the request URL (the session) into a network error', async () => {
    await assert.rejects(
      consoleSignin(session(), {
        fetch: async (url) => {
          throw Object.assign(new TypeError(`fetch failed ${url}`), { cause: { code: 'ECONNREFUSED' } });
        },
        reassume: async () => session(),
        configuredRegion: 'us-east-1',
      }),
      (e: Error) => /ECONNREFUSED/.test(e.message) && !e.message.includes('Session') && !e.message.includes('secret'),
    );
  });

  it('uses the access portal for a permission set, without any federation call', async () => {
    const seen: string[] = [];
    const r = await consoleSignin(session({ permissionSet: { portalId: 'session:corp', accountId: '111111111111', roleName: 'Admin' } }), {
      fetch: fetchFrom([], seen),
      reassume: async () => session(),
      configuredRegion: 'us-east-1',
      portalStartUrl: (id) => (id === 'session:corp' ? 'https://corp.awsapps.com/start' : undefined),
    });
    assert.equal(r.via, 'portal');
    assert.equal(r.url, 'https://corp.awsapps.com/start/#/console?account_id=111111111111&role_name=Admin');
    assert.equal(seen.length, 0);
  });
});

describe('Switcher.assumeForConsole', () => {
  function setup() {
    const gw = new FakeGateway();
    const store = new SessionStore(new FakeClock(Date.now()));
    const switcher = new Switcher({
      gateway: () => gw as unknown as AwsGateway,
      callOptions: () => ({ region: 'us-east-1', timeoutMs: 5000 }),
      askMfaCode: async () => '123456',
      store,
      profiles: () => new Map(),
    });
    return { gw, store, switcher };
  }

  it('assumes the last hop again with the session below it, without DurationSeconds, and commits nothing', async () => {
    const { gw, store, switcher } = setup();
    const chain = role({ roleArn: 'arn:aws:iam::222222222222:role/Target', hops: [{ roleArn: 'arn:aws:iam::111111111111:role/Jump' }, { roleArn: 'arn:aws:iam::222222222222:role/Target' }] });
    const r = await switcher.switchTo(chain);
    assert.equal(r.session.chained, true);
    const before = store.current;
    const calls = gw.calls.length;
    const c = await switcher.assumeForConsole();
    assert.equal(store.current, before, "the editor's session is unchanged");
    const call = gw.calls[calls];
    assert.equal(call.op, 'AssumeRole');
    assert.equal(call.params!.roleArn, 'arn:aws:iam::222222222222:role/Target');
    assert.equal(call.params!.durationSeconds, undefined);
    assert.equal(call.params!.roleSessionName, before!.sessionName);
    assert.deepEqual(call.creds, { kind: 'static', credentials: { accessKeyId: store.sessions[0].accessKeyId, secretAccessKey: store.sessions[0].secretAccessKey, sessionToken: store.sessions[0].sessionToken, expiration: store.sessions[0].expiration } });
    assert.notEqual(c.accessKeyId, before!.accessKeyId);
  });

  it('assumes an aws-cn role in cn-north-1 when the window region is us-east-1', async () => {
    const { switcher } = setup();
    const r = await switcher.switchTo(role({ roleArn: 'arn:aws-cn:iam::111111111111:role/Cn', partition: 'aws-cn', hops: [{ roleArn: 'arn:aws-cn:iam::111111111111:role/Cn' }] }));
    assert.equal(r.session.region, 'cn-north-1');
    const g = await switcher.switchTo(role({ roleArn: 'arn:aws-us-gov:iam::111111111111:role/Gov', partition: 'aws-us-gov', hops: [{ roleArn: 'arn:aws-us-gov:iam::111111111111:role/Gov' }] }));
    assert.equal(g.session.region, 'us-gov-west-1');
    const a = await switcher.switchTo(role());
    assert.equal(a.session.region, 'us-east-1');
  });
});

describe('status bar tooltip per partition', () => {
  it('names the partition, region and console host of aws-cn and aws-us-gov sessions only', async () => {
    const { statusModel } = await import('../../src/core/statusModel');
    const now = Date.UTC(2026, 10, 23, 12, 0, 0);
    const cn = role({ roleArn: 'arn:aws-cn:iam::111111111111:role/Cn', partition: 'aws-cn' });
    const m = statusModel({ session: session({ role: cn, region: 'cn-north-1', assumedRoleArn: 'arn:aws-cn:sts::111111111111:assumed-role/Cn/u' }, now), depth: 1, showBaseIdentity: true, warningMinutes: 5, now });
    assert.match(m.tooltip, /Partition: aws-cn · region cn-north-1 · console console\.amazonaws\.cn/);
    const gov = role({ roleArn: 'arn:aws-us-gov:iam::111111111111:role/Gov', partition: 'aws-us-gov' });
    const g = statusModel({ session: session({ role: gov, region: 'us-gov-west-1', assumedRoleArn: 'arn:aws-us-gov:sts::111111111111:assumed-role/Gov/u' }, now), depth: 1, showBaseIdentity: true, warningMinutes: 5, now });
    assert.match(g.tooltip, /Partition: aws-us-gov · region us-gov-west-1 · console console\.amazonaws-us-gov\.com/);
    const a = statusModel({ session: session({}, now), depth: 1, showBaseIdentity: true, warningMinutes: 5, now });
    assert.doesNotMatch(a.tooltip, /Partition:/);
  });
});
