// The warm-up's dry run: the switch path, run a few times against an in-memory STS, so the code the
// first click runs (the SDK's serializers, signer and XML parser, the gateway, the switcher, the
// session store) has been compiled and run before the user clicks. Nothing leaves the process: the
// HTTP handler answers from memory, the credentials are made up, and the session store is a
// throwaway one. It never touches the window's session, the UI, the files or the network.
import { Readable } from 'node:stream';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { systemClock } from '../core/clock';
import type { Profile } from '../core/profiles';
import { SessionStore } from '../core/session';
import { Switcher } from '../core/switcher';
import { computeTerminalEnv } from '../core/terminalEnv';
import type { RoleDefinition } from '../core/types';
import { createAwsGateway } from './gateway';

/** Dry switches the warm-up runs; enough for V8 to compile and tier up the hot path. */
export const PRIME_ROUNDS = 40;

const ACCOUNT = '000000000000';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/role-switcher-warm-up`;
const PROFILE = 'role-switcher-warm-up';
/** Made-up keys of the form AWS uses; they sign requests that never leave the process. */
const KEYS = { aws_access_key_id: 'AKIAWARMUPWARMUP0000', aws_secret_access_key: 'warm-up-secret-that-signs-nothing-real-0000' };

function xml(action: string, body: string): string {
  return `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>${body}</${action}Result><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></${action}Response>`;
}

function answer(requestBody: string): string {
  if (requestBody.includes('Action=GetCallerIdentity')) {
    return xml('GetCallerIdentity', `<Arn>arn:aws:iam::${ACCOUNT}:user/warm-up</Arn><UserId>AIDAWARMUP</UserId><Account>${ACCOUNT}</Account>`);
  }
  const expiration = new Date(Date.now() + 3600_000).toISOString();
  return xml(
    'AssumeRole',
    `<Credentials><AccessKeyId>ASIAWARMUPWARMUP0000</AccessKeyId><SecretAccessKey>warm-up-session-secret-0000</SecretAccessKey><SessionToken>warm-up-session-token-0000</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
      `<AssumedRoleUser><AssumedRoleId>AROAWARMUP:warm-up</AssumedRoleId><Arn>arn:aws:sts::${ACCOUNT}:assumed-role/role-switcher-warm-up/warm-up</Arn></AssumedRoleUser>`,
  );
}

/** An HTTP handler with NodeHttpHandler's shape that answers STS from memory. */
function inMemorySts(): NodeHttpHandler {
  const handler = {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: { body?: unknown }) {
      const text = Buffer.from(answer(typeof request.body === 'string' ? request.body : String(request.body ?? '')), 'utf8');
      return {
        response: { statusCode: 200, headers: { 'content-type': 'text/xml', 'content-length': String(text.length) }, body: Readable.from([text]) },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
  return handler as unknown as NodeHttpHandler;
}

/** Runs `rounds` dry switches; resolves with how many completed, never rejects. */
export async function primeSwitchPath(rounds = PRIME_ROUNDS): Promise<number> {
  const gateway = createAwsGateway({ maxAttempts: 1, httpHandler: inMemorySts });
  const store = new SessionStore(systemClock);
  const profiles = new Map<string, Profile>([[PROFILE, { name: PROFILE, file: '', line: 0, hasStaticKeys: true, raw: KEYS, where: new Map(), sdkResolvable: true }]]);
  const switcher = new Switcher({
    gateway: () => gateway,
    callOptions: () => ({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', timeoutMs: 5000, mfaSessionSeconds: 0 }),
    askMfaCode: async () => undefined,
    store,
    profiles: () => profiles,
  });
  const role: RoleDefinition = {
    id: 'warm-up', origin: 'settings', label: 'warm-up', roleArn: ROLE_ARN, accountId: ACCOUNT, partition: 'aws', roleName: 'role-switcher-warm-up',
    hops: [{ roleArn: ROLE_ARN }], base: { kind: 'profileKeys', profile: PROFILE },
  };
  let done = 0;
  try {
    for (; done < rounds; done++) {
      const r = await switcher.switchTo(role);
      computeTerminalEnv(r.session, { inherited: {} });
    }
  } catch {
    /* a dry run that fails costs the first click its warmth, nothing else */
  } finally {
    store.dispose();
    gateway.reset();
  }
  return done;
}
