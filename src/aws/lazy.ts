// Loads the SDK-backed gateway (dist/aws.js) on first use, so activation never evaluates the AWS SDK.
// The path is computed at runtime: esbuild leaves a non-literal require alone, so dist/extension.js
// does not contain the SDK (test/unit/lazy.test.ts checks the metafile).
import { join } from 'node:path';
import type { AwsGateway } from '../core/gateway';

let loaded: AwsModule | undefined;

/** Under tsx (tests, scripts) this file runs from src/aws/ and the entry is the TypeScript source. */
function modulePath(): string {
  return join(__dirname, __filename.endsWith('.ts') ? 'index' : 'aws.js');
}

export function loadAwsModule(): AwsModule {
  if (!loaded) {
    const path = modulePath();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(path) as AwsModule;
  }
  return loaded;
}

/** Whether dist/aws.js (or the gateway source) has been required yet. */
export function awsLoaded(): boolean {
  return loaded !== undefined;
}

/** What dist/aws.js exports (src/aws/index.ts), next to the loader that requires it. */
export interface AwsModule {
  discoverRoles: typeof import('../core/discovery').discoverRoles;
  DiscoveryCache: typeof import('../core/discovery').DiscoveryCache;
  explainAccess: typeof import('../core/explain').explainAccess;
  callerContext: typeof import('../core/trust').callerContext;
  translateError: typeof import('../core/errorText').translateError;
  Switcher: typeof import('../core/switcher').Switcher;
  createAwsGateway(options?: {
    maxAttempts?: number;
    logger?: (line: string) => void;
    /** Told when the SDK corrected its clock by more than a minute. */
    onClockSkew?: (offsetMs: number) => void;
    /** Default per-attempt timeout when CallOptions.timeoutMs is absent (10000). */
    timeoutMs?: number;
    /** Larger response bodies fail with `ResponseTooLarge` (16 MiB). */
    maxResponseBytes?: number;
  }): AwsGateway;
}
