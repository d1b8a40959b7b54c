// Packaging: in a fresh clone, the README's commands (`npm run package`, `npx @vscode/vsce package`) build
// and package the bundled extension with only the files it needs; code-server installs the .vsix and the
// extension activates in the browser (the Role Switcher view lists the seed roles).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import { Instance, log, repoRoot } from './harness';

/** File names in a zip (a .vsix), from its central directory. */
export function zipEntries(buf: Buffer): string[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** The README's packaging commands, run as written. Test 11 checks that the README still documents them. */
const PACKAGE_COMMANDS = ['npm run package', 'npx @vscode/vsce package'];

function sh(cmd: string, cwd: string, timeoutMs = 180_000): { ok: boolean; out: string; secs: number } {
  const t0 = Date.now();
  // stdin closed: a vsce prompt ("Do you want to continue? [y/N]") aborts instead of waiting
  const r = spawnSync(cmd, { cwd, shell: true, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
  const secs = (Date.now() - t0) / 1000;
  log(`[${cwd}] ${cmd}: exit ${r.status ?? r.signal} in ${secs.toFixed(1)} s`);
  return { ok: r.status === 0, out: `${r.stdout ?? ''}\n${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`, secs };
}

/**
 * A fresh clone of the repository at HEAD (so nothing built or packaged: no dist/, no .vsix, no
 * dist-package/), with its dependencies installed from package-lock.json. The packaging commands run
 * here, not in the working tree, so a step that only works because of leftovers cannot pass.
 * Uncommitted changes are not in the clone: commit before relying on this test.
 */
function cleanClone(dir: string): void {
  const c = sh(`git clone --quiet "${repoRoot}" "${dir}"`, tmpdir(), 60_000);
  assert.ok(c.ok, `git clone failed:\n${c.out}`);
  // npm ci from the local cache (the working tree's `npm install` filled it); the symlink is a
  // fallback for a machine whose cache lacks a package, so packaging is still tested there.
  const ci = sh('npm ci --offline --no-audit --no-fund', dir, 120_000);
  if (!ci.ok) {
    log(`npm ci --offline failed, symlinking the working tree's node_modules instead:\n${ci.out.slice(-2000)}`);
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  }
}

/** Only the bundles, media/ and the docs vsce always wants: no sources, tests, maps or node_modules. */
function checkVsixContents(file: string, label: string): void {
  const names = zipEntries(readFileSync(file)).sort();
  log(`vsix (${label}): ${names.join(', ')}`);
  const allowed = [
    /^extension\.vsixmanifest$/,
    /^\[Content_Types\]\.xml$/,
    /^extension\/package\.json$/,
    /^extension\/readme\.md$/i,
    /^extension\/changelog\.md$/i,
    /^extension\/LICENSE(\.txt)?$/i,
    /^extension\/dist\/[^/]+\.js$/,
    /^extension\/media\/.+/,
  ];
  const unexpected = names.filter((n) => !allowed.some((re) => re.test(n)));
  assert.deepEqual(unexpected, [], `${label}: files that should not be packaged`);
  for (const needed of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/aws.js', 'extension/readme.md', 'extension/changelog.md']) {
    assert.ok(names.includes(needed), `${label}: ${needed} is in the .vsix`);
  }
  assert.ok(names.some((n) => /^extension\/LICENSE/i.test(n)), `${label}: a license is in the .vsix`);
  assert.ok(names.some((n) => n.startsWith('extension/media/')), `${label}: media/ is in the .vsix`);
  assert.ok(!names.some((n) => /\.map$|\.meta\.json$|\.ts$|node_modules/.test(n)), `${label}: no maps, metafiles, sources or node_modules`);
}

describe('Packaging (.vsix)', function () {
  let tmp: string;
  let vsix: string;
  let inst: Instance | undefined;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'rs-e2e-vsix-'));
    vsix = join(tmp, 'role-switcher-aws.vsix');
  });
  after(async () => {
    await inst?.close();
    rmSync(tmp, { recursive: true, force: true });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && inst) await inst.saveFailure('11-packaging');
  });

  it("11 the README's packaging commands work in a fresh clone; the .vsix holds only dist/*.js, media/, package.json, readme, license, changelog", function () {
    this.timeout(300_000);
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const install = /^## Install\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
    for (const cmd of PACKAGE_COMMANDS) assert.ok(install.includes(`\`${cmd}\``), `README's Install section documents \`${cmd}\``);

    const clone = join(tmp, 'clone');
    cleanClone(clone);
    const pkg = JSON.parse(readFileSync(join(clone, 'package.json'), 'utf8'));
    const built = join(clone, `${pkg.name}-${pkg.version}.vsix`); // vsce's default output path
    for (const [k, cmd] of PACKAGE_COMMANDS.entries()) {
      // each command from the clean state: nothing built, nothing packaged
      rmSync(join(clone, 'dist'), { recursive: true, force: true });
      rmSync(built, { force: true });
      const r = sh(cmd, clone);
      assert.ok(r.ok, `\`${cmd}\` failed in a fresh clone:\n${r.out.slice(-4000)}`);
      assert.ok(existsSync(built), `\`${cmd}\` wrote ${built}:\n${r.out.slice(-2000)}`);
      checkVsixContents(built, cmd);
      if (k === 0) copyFileSync(built, vsix); // test 12 installs what `npm run package` made
    }
  });

  it('11b no file in the .vsix carries the AGPL policy simulator (@cloud-copilot/iam-simulate, a dev dependency for tests only)', function () {
    assert.ok(existsSync(vsix), 'no .vsix: packaging (test 11) failed');
    // Each entry's bytes, from the zip's central directory and local headers (stored or deflated).
    const buf = readFileSync(vsix);
    const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    let p = buf.readUInt32LE(eocd + 16);
    const files: Array<[string, Buffer]> = [];
    for (let n = buf.readUInt16LE(eocd + 10); n > 0; n--) {
      const method = buf.readUInt16LE(p + 10);
      const size = buf.readUInt32LE(p + 20);
      const nameLen = buf.readUInt16LE(p + 28);
      const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
      const local = buf.readUInt32LE(p + 42);
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + size);
      files.push([name, method === 8 ? inflateRawSync(data) : data]);
      p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    }
    assert.ok(files.some(([n]) => n === 'extension/dist/extension.js') && files.some(([n]) => n === 'extension/dist/aws.js'), 'both bundles are in the .vsix');
    // The manifest may name it as a dev dependency (a name, not its code), and nowhere else.
    const manifest = files.find(([n]) => n === 'extension/package.json');
    assert.ok(manifest, 'the .vsix has its package.json');
    const pkg = JSON.parse(manifest[1].toString('utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    assert.ok(!Object.keys(pkg.dependencies ?? {}).some((d) => d.startsWith('@cloud-copilot/')), 'a runtime dependency on the simulator');
    const { devDependencies: _dev, ...rest } = pkg;
    assert.ok(!JSON.stringify(rest).includes('@cloud-copilot'), 'the manifest names the simulator outside devDependencies');
    // the package name, and identifiers only the simulator's code has, in every other file
    for (const [name, data] of files) {
      if (name === 'extension/package.json') continue;
      const text = data.toString('utf8');
      for (const marker of ['@cloud-copilot', 'iam-simulate', 'SessionRoleMatch', 'AccountLevelMatch']) {
        assert.ok(!text.includes(marker), `${name} in the .vsix contains ${marker}`);
      }
    }
  });

  it('12 code-server --install-extension installs the .vsix and it activates in the browser', async function () {
    this.timeout(180_000);
    assert.ok(existsSync(vsix), 'no .vsix: packaging (test 11) failed');
    inst = await Instance.start({ name: 'vsix', aws: 'seeds', extension: { vsix } });
    const installLog = readFileSync(join(inst.tmp, 'install-extension.log'), 'utf8');
    assert.match(installLog, /successfully installed/i, installLog);
    assert.ok(existsSync(join(inst.extsDir, 'role-switcher.role-switcher-aws-0.1.0', 'dist', 'extension.js')), 'installed under <publisher>.<name>-<version>');
    await inst.openRoleSwitcherView();
    await inst.roleRow('s3-Full-Access').waitFor({ state: 'visible' });
    await inst.roleStatus().first().waitFor({ state: 'visible' });
    await inst.shot('12-installed-from-vsix');
  });
});
