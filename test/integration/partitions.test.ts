// Every partition and endpoint: aws-cn and aws-us-gov roles assumed through the fake bound as the
// endpoint override (signed for the partition's region, answered with the partition's ARNs, signed in
// to the console with the partition's identity), and the SDK's own endpoint resolution given
// AWS_USE_FIPS_ENDPOINT, use_fips_endpoint and sts_regional_endpoints, recorded by an in-memory HTTP
// handler (no network).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { createAwsGateway } from '../../src/aws/gateway';
import type { AwsGateway, CallOptions } from '../../src/core/gateway';
import { systemClock } from '../../src/core/clock';
import { consoleSignin, type FetchLike } from '../../src/core/consoleSignin';
import { loadProfiles, readAwsFiles } from '../../src/core/profiles';
import { Redactor } from '../../src/core/redact';
import { rolesFromProfiles } from '../../src/core/roles';
import { SessionStore } from '../../src/core/session';
import { Switcher } from '../../src/core/switcher';
import type { RoleDefinition } from '../../src/core/types';
import { startFakeAws, type FakeAws, type ScenarioDoc } from '../fake-aws/index';

const CN = { account: '333333333333', key: 'AKIACNUSER0000000001', secret: 'cn-user-secret-0000000000000000000000001' };
const GOV = { account: '444444444444', key: 'AKIAGOVUSER000000001', secret: 'gov-user-secret-000000000000000000000001' };

function partitionAccount(partition: string, a: typeof CN, user: string, role: string) {
  return {
    id: a.account,
    partition,
    alias: `${partition}-demo`,
    users: [{ name: user, accessKeys: [{ accessKeyId: a.key, secretAccessKey: a.secret }], inlinePolicies: { assume: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] } } }],
    roles: [{ name: role, trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${a.account}:root` }, Action: 'sts:AssumeRole' }] } }],
  };
}

const SCENARIO: ScenarioDoc = {
  description: 'one account in aws-cn, one in aws-us-gov',
  accounts: [partitionAccount('aws-cn', CN, 'cn-user', 'cn-admin'), partitionAccount('aws-us-gov', GOV, 'gov-user', 'gov-admin')],
};

describe('partitions against the fake bound as the endpoint override', function () {
  this.timeout(30_000);
  let fake: FakeAws;
  let proxy: http.Server;
  let proxyUrl: string;
  const seen: { region: string; service: string }[] = [];
  let dir: string;
  let roles: Map<string, RoleDefinition>;
  let profiles: ReturnType<typeof loadProfiles>['profiles'];
  let gateway: AwsGateway;
  let store: SessionStore;
  let switcher: Switcher;
  const savedEnv = { ...process.env };

  before(async () => {
    fake = await startFakeAws({ scenario: SCENARIO });
    // A pass-through in front of the fake that records each request's SigV4 credential scope.
    const target = new URL(fake.endpoint);
    proxy = http.createServer((req, res) => {
      const m = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(String(req.headers.authorization ?? ''));
      if (m) seen.push({ region: m[1], service: m[2] });
      const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(up);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-partitions-'));
    fs.mkdirSync(path.join(dir, '.aws'));
    fs.writeFileSync(path.join(dir, '.aws', 'credentials'), `[cn]\naws_access_key_id = ${CN.key}\naws_secret_access_key = ${CN.secret}\n[gov]\naws_access_key_id = ${GOV.key}\naws_secret_access_key = ${GOV.secret}\n`, { mode: 0o600 });
    fs.writeFileSync(
      path.join(dir, '.aws', 'config'),
      ['[default]', 'region = us-east-1', '[profile cn-admin]', `role_arn = arn:aws-cn:iam::${CN.account}:role/cn-admin`, 'source_profile = cn', '[profile gov-admin]', `role_arn = arn:aws-us-gov:iam::${GOV.account}:role/gov-admin`, 'source_profile = gov', ''].join('\n'),
    );
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    process.env.AWS_CONFIG_FILE = path.join(dir, '.aws', 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, '.aws', 'credentials');
    const loaded = loadProfiles(await readAwsFiles(process.env, dir));
    profiles = loaded.profiles;
    roles = new Map(rolesFromProfiles(loaded.profiles).roles.map((x) => [x.label, x]));
  });

  after(async () => {
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    proxy.closeAllConnections();
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
  });

  beforeEach(() => {
    seen.length = 0;
    gateway = createAwsGateway({ maxAttempts: 1 });
    store = new SessionStore(systemClock);
    switcher = new Switcher({
      gateway: () => gateway,
      // The window's region is us-east-1: the roles' partitions must still win.
      callOptions: () => ({ region: 'us-east-1', endpoint: proxyUrl, timeoutMs: 5000 }),
      askMfaCode: async () => undefined,
      store,
      redactor: new Redactor(),
      profiles: () => profiles,
    });
  });
  afterEach(() => {
    store.dispose();
    gateway.reset();
  });

  for (const [label, partition, account, region] of [
    ['cn-admin', 'aws-cn', CN.account, 'cn-north-1'],
    ['gov-admin', 'aws-us-gov', GOV.account, 'us-gov-west-1'],
  ] as const) {
    it(`assumes an ${partition} role at its partition's regional STS (${region}) and signs in to its console`, async () => {
      const role = roles.get(label)!;
      assert.equal(role.partition, partition);
      const { session } = await switcher.switchTo(role);
      assert.equal(session.region, region);
      assert.match(session.assumedRoleArn, new RegExp(`^arn:${partition}:sts::${account}:assumed-role/${label}/`));
      assert.ok(seen.length > 0);
      for (const s of seen) assert.deepEqual(s, { region, service: 'sts' }, 'every request is signed for the partition region');

      const r = await consoleSignin(session, { fetch: globalThis.fetch as unknown as FetchLike, reassume: () => switcher.assumeForConsole(), federationEndpointSetting: `${fake.endpoint}/federation`, configuredRegion: 'us-east-1' });
      const dest = new URL(r.url).searchParams.get('Destination')!;
      assert.equal(new URL(dest).hostname, partition === 'aws-cn' ? 'console.amazonaws.cn' : 'console.amazonaws-us-gov.com');
      const res = await globalThis.fetch(r.url, { redirect: 'manual' });
      await res.text();
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-fake-federated-identity'), session.assumedRoleArn);
    });
  }
});

/** An HTTP handler that records the host of each request and answers GetCallerIdentity from memory. */
function recordingHandler(hosts: string[]): () => NodeHttpHandler {
  return () =>
    ({
      metadata: { handlerProtocol: 'http/1.1' },
      async handle(request: { hostname?: string; headers?: Record<string, string> }) {
        hosts.push(`${request.hostname}|${/Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(request.headers?.authorization ?? '')?.[1]}`);
        const body = Buffer.from(
          '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:user/u</Arn><UserId>AIDA</UserId><Account>111111111111</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
        );
        return { response: { statusCode: 200, headers: { 'content-type': 'text/xml', 'content-length': String(body.length) }, body: Readable.from([body]) } };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
      destroy() {},
    }) as unknown as NodeHttpHandler;
}

describe('endpoint settings reach the SDK (no network)', () => {
  const savedEnv = { ...process.env };
  let dir: string;
  let n = 0;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-endpoints-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
  });

  /** The host (and signing region) the gateway's STS client sends GetCallerIdentity to, with this env and config. */
  async function hostFor(region: string, env: Record<string, string>, config = '', endpoint?: string): Promise<string> {
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    // A new file per case: the SDK caches the shared files by path.
    const file = path.join(dir, `config-${++n}`);
    fs.writeFileSync(file, `[default]\n${config}\n`);
    Object.assign(process.env, { AWS_CONFIG_FILE: file, AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'), ...env });
    const hosts: string[] = [];
    const gw = createAwsGateway({ maxAttempts: 1, httpHandler: recordingHandler(hosts) });
    const opts: CallOptions = { region, endpoint, credentials: { kind: 'static', credentials: { accessKeyId: 'AKIAEXAMPLE000000001', secretAccessKey: 'example-secret' } } };
    await gw.getCallerIdentity(opts);
    gw.reset();
    assert.equal(hosts.length, 1);
    return hosts[0];
  }

  it('uses the regional STS endpoint of each partition by default', async () => {
    assert.equal(await hostFor('us-east-1', {}), 'sts.us-east-1.amazonaws.com|us-east-1');
    assert.equal(await hostFor('eu-west-1', {}), 'sts.eu-west-1.amazonaws.com|eu-west-1');
    assert.equal(await hostFor('cn-north-1', {}), 'sts.cn-north-1.amazonaws.com.cn|cn-north-1');
    assert.equal(await hostFor('us-gov-west-1', {}), 'sts.us-gov-west-1.amazonaws.com|us-gov-west-1');
  });

  it('honours AWS_USE_FIPS_ENDPOINT and use_fips_endpoint', async () => {
    assert.equal(await hostFor('us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true' }), 'sts-fips.us-east-1.amazonaws.com|us-east-1');
    assert.equal(await hostFor('us-west-2', {}, 'use_fips_endpoint = true'), 'sts-fips.us-west-2.amazonaws.com|us-west-2');
    assert.equal(await hostFor('us-west-2', { AWS_PROFILE: 'fips' }, '[profile fips]\nuse_fips_endpoint = true'), 'sts-fips.us-west-2.amazonaws.com|us-west-2');
    assert.equal(await hostFor('us-west-2', {}, 'use_fips_endpoint = false'), 'sts.us-west-2.amazonaws.com|us-west-2');
  });

  it('honours sts_regional_endpoints = legacy (global endpoint) and AWS_STS_REGIONAL_ENDPOINTS', async () => {
    assert.equal(await hostFor('us-west-2', { AWS_STS_REGIONAL_ENDPOINTS: 'legacy' }), 'sts.amazonaws.com|us-east-1');
    assert.equal(await hostFor('eu-west-1', {}, 'sts_regional_endpoints = legacy'), 'sts.amazonaws.com|us-east-1');
    assert.equal(await hostFor('eu-west-1', {}, 'sts_regional_endpoints = regional'), 'sts.eu-west-1.amazonaws.com|eu-west-1');
    assert.equal(await hostFor('eu-west-1', { AWS_STS_REGIONAL_ENDPOINTS: 'regional' }, 'sts_regional_endpoints = legacy'), 'sts.eu-west-1.amazonaws.com|eu-west-1', 'the variable wins over the file');
  });

  it('lets the roleSwitcher.endpointUrl override win over FIPS and legacy settings', async () => {
    assert.equal(await hostFor('us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true', AWS_STS_REGIONAL_ENDPOINTS: 'legacy' }, '', 'http://127.0.0.1:4566'), '127.0.0.1|us-east-1');
  });
});
