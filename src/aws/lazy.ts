// Loads the SDK-backed gateway (dist/aws.js) on first use, so activation never evaluates the AWS SDK.
// The path is computed at runtime: esbuild leaves a non-literal require alone, so dist/extension.js
// does not contain the SDK (test/unit/lazy.test.ts checks the metafile).
import { join } from 'node:path';
import type { AwsModule } from './types';

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
