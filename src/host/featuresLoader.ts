// Loads dist/features.js (src/host/features.ts) on first use, like aws/lazy.ts loads the SDK bundle.
// Under tsx (tests) this runs from src/host/ and loads the TypeScript source. The path is computed:
// esbuild leaves the require alone, so dist/extension.js does not contain the features.
import { join } from 'node:path';

export type Features = typeof import('./features');

/** The SecretStorage key of the saved session (checked at activation before loading the restore code). */
export const SESSION_SECRET_KEY = 'roleSwitcher.session';

let loaded: Features | undefined;

/** Whether dist/features.js is loaded (then anything it remembers, such as this window's pins, may exist). */
export function featuresLoaded(): boolean {
  return loaded !== undefined;
}

export function loadFeatures(): Features {
  if (!loaded) {
    const file = __filename.endsWith('.ts') ? join(__dirname, 'features') : join(__dirname, 'features.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(file) as Features;
  }
  return loaded;
}
