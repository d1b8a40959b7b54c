// `npm start -- --smoke`: the demo starts the fake AWS and code-server, answers 200, and leaves nothing behind.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { log, repoRoot } from './harness';

describe('Demo (npm start)', function () {
  it('13 --smoke: starts, the URL answers 200, stops cleanly and removes its temp dir', async function () {
    this.timeout(180_000);
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'demo.mjs'), '--smoke', '--no-build'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    log(`demo printed: ${out.trim()}`);
    assert.equal(code, 0, `demo --smoke exit code\n${out}\n${err}`);
    const urls = out.trim().split('\n').filter((l) => /^http:\/\/127\.0\.0\.1:\d+\/\?folder=/.test(l));
    assert.equal(urls.length, 1, `one URL printed:\n${out}`);
    const tmp = /removed (\S+)\)/.exec(err)?.[1];
    assert.ok(tmp, `the demo names its temp dir:\n${err}`);
    assert.ok(!existsSync(tmp), `${tmp} was removed`);
    const port = Number(new URL(urls[0]).port);
    const stillUp = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => true, () => false);
    assert.equal(stillUp, false, 'code-server is stopped');
  });
});
