// The window's roleSwitcher.accounts, built on first need and again after a settings change. With no
// account entry this costs one settings read per change and loads nothing; with entries it builds
// AccountStyles from dist/features.js (host/accountStyle.ts). Part of the activation bundle: keep it tiny.
import type { AccountStyles } from './accountStyle';
import { loadFeatures } from './featuresLoader';
import type { Settings } from './settings';

export function accountStylesHolder(settings: Settings, warn: (line: string) => void): { get(): AccountStyles | undefined; dispose(): void } {
  let styles: AccountStyles | null | undefined;
  // Registered before the status bar's and the tree's listeners, so they see the new value.
  const sub = settings.onDidChange(() => (styles = undefined));
  return {
    get: () => {
      // null: read, and there is no entry (`??=` would read the settings again on every call).
      if (styles === undefined) styles = settings.hasAccounts ? new (loadFeatures().AccountStyles)(settings.accounts, settings.confirmByTyping, warn) : null;
      return styles ?? undefined;
    },
    dispose: () => sub.dispose(),
  };
}
