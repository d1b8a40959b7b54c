/**
 * Run the fake AWS as a process:
 *   npx tsx test/fake-aws/cli.ts [--port 4566] [--host 127.0.0.1] [--scenario file.json] [--generate N] [--sso-auto-approve MS] [--quiet]
 * Prints the endpoint and `export` lines for test-user, then serves until SIGINT/SIGTERM.
 */
import { generateScenario, startFakeAws, type StartOptions } from './index';

function parseArgs(argv: string[]): StartOptions & { user: string; ssoAutoApproveMs?: number } {
  const out: StartOptions & { user: string; ssoAutoApproveMs?: number } = { port: 4566, quiet: false, user: 'test-user' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--port') out.port = Number(next());
    else if (a === '--host') out.host = next();
    else if (a === '--scenario') out.scenario = next();
    else if (a === '--generate') out.scenario = generateScenario({ roles: Number(next()) });
    else if (a === '--user') out.user = next();
    else if (a === '--sso-auto-approve') out.ssoAutoApproveMs = Number(next());
    else if (a === '--quiet') out.quiet = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: tsx test/fake-aws/cli.ts [--port 4566] [--host 127.0.0.1] [--scenario file.json] [--generate N] [--user test-user] [--sso-auto-approve MS] [--quiet]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(out.port) || out.port! < 0 || out.port! > 65535) throw new Error('--port must be 0..65535');
  return out;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const fake = await startFakeAws(opts);
  const keys = fake.userKeys(opts.user);
  if (opts.ssoAutoApproveMs !== undefined) fake.sso.setAutoApprove(opts.ssoAutoApproveMs);
  process.stdout.write(
    [
      `fake-aws listening on ${fake.endpoint}`,
      `# demo credentials for ${opts.user} (fake values, accepted only by this server):`,
      `export AWS_ACCESS_KEY_ID=${keys.accessKeyId}`,
      `export AWS_SECRET_ACCESS_KEY=${keys.secretAccessKey}`,
      `export AWS_ENDPOINT_URL=${fake.endpoint}`,
      'export AWS_REGION=us-east-1',
      `# admin API: ${fake.endpoint}/__admin/ (faults, lifetime, skew, user-policy, calls; sso/approve, sso/pending, sso/load, …)`,
      ...fake.sso.startUrls.map((u) => `# IAM Identity Center start URL: ${u} (region ${fake.sso.regionOf(u)})`),
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`fake-aws: ${signal}, shutting down\n`);
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`fake-aws: ${String((e as Error)?.message ?? e)}\n`);
  process.exit(2);
});
