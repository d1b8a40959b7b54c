// `npm start`: the extension in a real VS Code workbench (code-server) against a local fake AWS.
//   npm start                 build, start fake AWS + code-server, print one URL to open
//   npm start -- --port 8080  fixed port for code-server
//   npm start -- --desktop    desktop VS Code (`code` on PATH) with --extensionDevelopmentPath, same env
//   npm start -- --smoke      start everything, check the URL answers 200, stop cleanly, exit 0
//   npm start -- --no-build   skip the esbuild step
// Ctrl+C stops everything it started and removes its temp dir. Nothing touches your real ~/.aws or settings.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeAws, writeAwsHome, type FakeAws } from '../test/fake-aws/index';
// plain JS (types: scripts/code-server-setup.d.mts)
import { REPO } from './code-server-setup.mjs';
import { cleanEnv, copyExtension, isolatedDirs, killTree, startCodeServer, waitHttp, writeUserSettings, type CodeServerRun } from './code-server-launch';

interface Options {
  port?: number;
  desktop: boolean;
  smoke: boolean;
  build: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { desktop: false, smoke: false, build: true };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--desktop') o.desktop = true;
    else if (a === '--smoke') o.smoke = true;
    else if (a === '--no-build') o.build = false;
    else if (a === '--port' || a.startsWith('--port=')) {
      const v = a.includes('=') ? a.slice(7) : argv[++k];
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`--port needs a number 1..65535, got ${v}`);
      o.port = n;
    } else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: npm start -- [--port N] [--desktop] [--smoke] [--no-build]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${a} (try --help)`);
  }
  return o;
}

const say = (m: string) => process.stderr.write(`[demo] ${m}\n`);

const DEMO_README = `# Role Switcher for AWS: demo workspace

Everything here talks to a local fake AWS (STS, IAM, Organizations) started by \`npm start\`.
Your real ~/.aws and VS Code settings are not used.

1. Open the **Role Switcher** view in the activity bar (the shield).
2. Click **s3-Full-Access**: the status bar shows the role, the account and the minutes left.
3. Open a terminal and run \`node ${join(REPO, 'scripts', 'whoami.mjs')}\` or
   \`aws sts get-caller-identity --endpoint-url "$AWS_ENDPOINT_URL"\`: both print the assumed-role ARN.
4. **mfa-admin** asks for an MFA code: the fake accepts \`123456\`.
5. Command Palette: "Role Switcher: Switch Back" returns to the base identity (test-user).
6. IAM Identity Center: sign in to the \`demo\` sso-session (https://demo-org.awsapps.com/start); the fake
   approves the simulated sign-in after about a second and lists six accounts with their permission sets.
`;

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const started: { fake?: FakeAws; cs?: CodeServerRun; desktop?: ChildProcess; tmp?: string } = {};
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (started.desktop) await killTree(started.desktop);
      await started.cs?.stop();
      await started.fake?.close();
      if (started.tmp) rmSync(started.tmp, { recursive: true, force: true });
    })());
  const onSignal = (sig: NodeJS.Signals) => {
    say(`${sig}: stopping…`);
    void stop().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  try {
    if (opts.build) {
      say('building the extension (esbuild)…');
      const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, stdio: 'inherit' });
      if (b.status !== 0) throw new Error('build failed');
    }

    started.tmp = mkdtempSync(join(tmpdir(), 'role-switcher-demo-'));
    const dirs = isolatedDirs(started.tmp);
    say('starting the fake AWS (seeds scenario)…');
    started.fake = await startFakeAws();
    // IAM Identity Center: [sso-session demo] + profiles; device codes are approved ~1 s after sign-in starts.
    started.fake.sso.setAutoApprove(1000);
    const aws = writeAwsHome(dirs.home, started.fake, { sso: true });
    const env = { ...cleanEnv(process.env), ...dirs.env, ...aws.env };
    writeFileSync(join(dirs.workspace, 'README.md'), DEMO_README);
    mkdirSync(join(dirs.workspace, '.vscode'), { recursive: true });
    writeUserSettings(dirs.userDataDir, { 'workbench.startupEditor': 'readme' });
    say(`fake AWS at ${started.fake.endpoint}; AWS config in ${aws.configFile}`);

    if (opts.desktop) {
      const which = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' });
      const code = which.status === 0 ? which.stdout.trim() : '';
      if (!code) {
        say('--desktop needs the `code` command of desktop VS Code on PATH, and it is not there.');
        say('Install VS Code, then run "Shell Command: Install \'code\' command in PATH" from its Command Palette,');
        say('or run `npm start` without --desktop to get the same demo in the browser (code-server).');
        await stop();
        return 1;
      }
      const args = [
        '--new-window',
        '--wait',
        '--user-data-dir', dirs.userDataDir,
        '--extensions-dir', dirs.extsDir,
        `--extensionDevelopmentPath=${REPO}`,
        dirs.workspace,
      ];
      say(`launching ${code} ${args.join(' ')}`);
      started.desktop = spawn(code, args, { env, stdio: 'inherit', detached: true });
      const exit = await new Promise<number>((r) => started.desktop!.once('exit', (c) => r(c ?? 0)));
      await stop();
      return exit;
    }

    say('preparing code-server (installed once into .vscode-test/, then reused)…');
    copyExtension(REPO, dirs.extsDir);
    started.cs = await startCodeServer({
      tmp: started.tmp,
      userDataDir: dirs.userDataDir,
      extsDir: dirs.extsDir,
      workspace: dirs.workspace,
      env,
      port: opts.port,
      log: say,
    });
    const url = started.cs.url;
    if (opts.smoke) {
      await waitHttp(url, 60_000);
      process.stdout.write(`${url}\n`);
      say(`smoke: ${url} answered 200; stopping`);
      await stop();
      say(`smoke: ok (removed ${started.tmp})`);
      return 0;
    }
    process.stdout.write(`\nOpen ${url}\n\n`);
    say('Ctrl+C stops the demo and removes its temp files.');
    const code = await new Promise<number>((r) => started.cs!.proc.once('exit', (c) => r(c ?? 1)));
    say(`code-server exited (${code})`);
    await stop();
    return code === 0 ? 0 : 1;
  } catch (e) {
    say(`failed: ${e instanceof Error ? e.message : String(e)}`);
    await stop();
    return 1;
  }
}

main().then((code) => process.exit(code));
