// The host side of endpoint mode (issue 11): TerminalEnvironment with roleSwitcher.terminal.mode,
// against the vscode fake and a real CredentialEndpoint on loopback.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FakeClock } from '../../src/core/clock';
import { SessionStore } from '../../src/core/session';
import { SHIM_PROFILE } from '../../src/core/terminalEnv';
import { Settings } from '../../src/host/settings';
import { TerminalEnvironment } from '../../src/host/terminalEnv';
import { role, session } from '../helpers/builders';
import { fake, FakeEnvCollection } from '../helpers/vscode';

function get(url: string, token: string): Promise<{ status: number; json: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { authorization: token }, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(body) as Record<string, string> }));
      })
      .on('error', reject);
  });
}

describe('TerminalEnvironment in endpoint mode', () => {
  let clock: FakeClock;
  let store: SessionStore;
  let dir: string;
  let coll: FakeEnvCollection;
  let t: TerminalEnvironment;

  beforeEach(() => {
    fake.reset();
    clock = new FakeClock(Date.now());
    store = new SessionStore(clock);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-endpoint-host-'));
    coll = new FakeEnvCollection();
    t = new TerminalEnvironment(coll as unknown as vscode.GlobalEnvironmentVariableCollection, store, new Settings(), dir, '/ext');
  });
  afterEach(() => {
    t.dispose();
    store.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('env mode (the default) never starts the endpoint', async () => {
    const s = session({}, clock.now());
    await t.prepare(s);
    store.replace([s]);
    assert.equal(t.endpoint.started, undefined);
    assert.equal(coll.get('AWS_SECRET_ACCESS_KEY'), s.secretAccessKey);
  });

  it('gives terminals only the endpoint; the endpoint serves whatever session is current at request time', async () => {
    fake.setConfig('terminal.mode', 'endpoint');
    const s1 = session({}, clock.now());
    await t.prepare(s1);
    store.replace([s1]);
    const url = coll.get('AWS_CONTAINER_CREDENTIALS_FULL_URI')!;
    const token = coll.get('AWS_CONTAINER_AUTHORIZATION_TOKEN')!;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/role-switcher\//);
    assert.equal(coll.get('AWS_PROFILE'), SHIM_PROFILE);
    for (const v of coll.values.values()) for (const secret of [s1.accessKeyId, s1.secretAccessKey, s1.sessionToken]) assert.ok(!v.includes(secret));
    const text = fs.readFileSync(coll.get('AWS_CONFIG_FILE')!, 'utf8');
    assert.match(text, /credential_process = env ELECTRON_RUN_AS_NODE=1 ".*" "\/ext\/dist\/credential-process.js" --endpoint/);
    assert.ok(!text.includes(token));
    assert.equal((await get(url, token)).json.AccessKeyId, s1.accessKeyId);

    // A switch: new terminals get the same address and token (so none is stale), and it serves the new session.
    const s2 = session({ role: role({ roleArn: 'arn:aws:iam::222222222222:role/other' }), accessKeyId: 'ASIAOTHEROTHEROTHER2' }, clock.now());
    await t.prepare(s2);
    store.replace([s2]);
    assert.equal(coll.get('AWS_CONTAINER_CREDENTIALS_FULL_URI'), url);
    assert.equal(coll.get('AWS_CONTAINER_AUTHORIZATION_TOKEN'), token);
    assert.equal((await get(url, token)).json.AccessKeyId, 'ASIAOTHEROTHEROTHER2');

    // Switch back to no role: the endpoint answers 503, terminals lose the variables.
    store.clear();
    assert.equal((await get(url, token)).status, 503);
    assert.equal(coll.values.size, 0);
  });

  it('stops serving when injection is turned off, and stops listening with the window', async () => {
    fake.setConfig('terminal.mode', 'endpoint');
    const s = session({}, clock.now());
    await t.prepare(s);
    store.replace([s]);
    const url = coll.get('AWS_CONTAINER_CREDENTIALS_FULL_URI')!;
    const token = coll.get('AWS_CONTAINER_AUTHORIZATION_TOKEN')!;
    fake.setConfig('terminal.injectCredentials', false);
    assert.equal((await get(url, token)).status, 503);
    fake.setConfig('terminal.injectCredentials', true);
    assert.equal((await get(url, token)).status, 200);
    t.dispose();
    await assert.rejects(
      new Promise((resolve, reject) => setImmediate(() => get(url, token).then(resolve, reject))),
      /ECONNREFUSED/,
    );
  });

  it('turning endpoint mode on with a session active starts the endpoint, then sets the variables', async () => {
    const s = session({}, clock.now());
    await t.prepare(s);
    store.replace([s]);
    assert.equal(coll.get('AWS_ACCESS_KEY_ID'), s.accessKeyId);
    fake.setConfig('terminal.mode', 'endpoint');
    // Until the endpoint listens, no variable at all (never the keys).
    assert.equal(coll.get('AWS_ACCESS_KEY_ID'), undefined);
    await t.endpoint.target();
    for (let i = 0; i < 100 && !coll.get('AWS_CONTAINER_CREDENTIALS_FULL_URI'); i++) await new Promise((r) => setTimeout(r, 10));
    const url = coll.get('AWS_CONTAINER_CREDENTIALS_FULL_URI')!;
    assert.equal((await get(url, coll.get('AWS_CONTAINER_AUTHORIZATION_TOKEN')!)).json.AccessKeyId, s.accessKeyId);
  });

  it('the server is in neither the activation bundle nor the features bundle: dist/endpoint.js is required on first need', function () {
    const inputsOf = (name: string): string[] | undefined => {
      const meta = path.join(__dirname, '..', '..', 'dist', `${name}.meta.json`);
      if (!fs.existsSync(meta)) return undefined;
      const outputs = (JSON.parse(fs.readFileSync(meta, 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> }).outputs;
      return Object.keys(outputs[`dist/${name}.js`].inputs);
    };
    const activation = inputsOf('extension');
    const features = inputsOf('features');
    if (!activation || !features) this.skip();
    assert.ok(features.some((i) => i.endsWith('src/host/terminalEndpoint.ts')), 'the meta file lists the host side (with the terminal environment)');
    for (const inputs of [activation, features]) assert.ok(!inputs.some((i) => i.endsWith('src/core/credentialEndpoint.ts')), 'the server was bundled into another bundle');
  });

  it('roleSwitcher.terminal.mode reads only env or endpoint', () => {
    const settings = new Settings();
    assert.equal(settings.terminalMode, 'env');
    fake.setConfig('terminal.mode', 'endpoint');
    assert.equal(settings.terminalMode, 'endpoint');
    fake.setConfig('terminal.mode', 'bogus');
    assert.equal(settings.terminalMode, 'env');
  });
});
