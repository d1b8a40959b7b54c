// `credential_process` helper (dist/credential-process.js). A terminal whose AWS_PROFILE points at the
// generated profile runs this; it prints the session the extension put in the terminal's environment,
// so the CLI and every SDK act as the session even though AWS_PROFILE is set (see FACTS.md).
// Output format: https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html

const REQUIRED = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;
/** The expiration: ROLE_SWITCHER_EXPIRATION, else AWS_CREDENTIAL_EXPIRATION (what core/terminalEnv.ts sets). */
const EXPIRATION = ['ROLE_SWITCHER_EXPIRATION', 'AWS_CREDENTIAL_EXPIRATION'] as const;

export interface ProcessCredentials {
  readonly Version: 1;
  readonly AccessKeyId: string;
  readonly SecretAccessKey: string;
  readonly SessionToken: string;
  readonly Expiration: string;
}

/** Pure: environment → credentials, or the names of what is missing or invalid (never values). */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): { ok: ProcessCredentials } | { error: string } {
  const missing: string[] = REQUIRED.filter((k) => !env[k]);
  const expName = EXPIRATION.find((k) => env[k]);
  if (!expName) missing.push(EXPIRATION.join(' or '));
  if (missing.length > 0 || !expName) {
    return { error: `role-switcher credential_process: missing ${missing.join(', ')}. Switch to a role in VS Code and open a new terminal.` };
  }
  const expiration = new Date(env[expName] as string);
  if (!Number.isFinite(expiration.getTime())) {
    return { error: `role-switcher credential_process: ${expName} is not a date.` };
  }
  return {
    ok: {
      Version: 1,
      AccessKeyId: env.AWS_ACCESS_KEY_ID as string,
      SecretAccessKey: env.AWS_SECRET_ACCESS_KEY as string,
      SessionToken: env.AWS_SESSION_TOKEN as string,
      Expiration: expiration.toISOString(),
    },
  };
}

if (require.main === module) {
  const result = credentialsFromEnv(process.env);
  if ('error' in result) {
    process.stderr.write(result.error + '\n');
    process.exitCode = 1;
  } else {
    process.stdout.write(JSON.stringify(result.ok) + '\n');
  }
}
