// Makes the first click as fast as the tenth: once the Roles view is visible and the window has been
// idle for a moment, load dist/aws.js, build the switcher and the STS clients, and (only when it cannot
// prompt or start a process) learn the base identity with one GetCallerIdentity (core/warmup.ts decides).
// Never during activation: `activate()` returns before any of this runs. See docs/architecture.md.
import type { AwsModule } from '../aws/lazy';
import { toCredentialSource } from '../core/baseCredentials';
import type { AwsGateway } from '../core/gateway';
import type { Switcher } from '../core/switcher';
import type { BaseSource } from '../core/types';
import type { RoleCatalog } from './catalog';
import type { Settings } from './settings';

export const WARM_UP_DELAY_MS = 1000;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ViewVisibility {
  readonly visible: boolean;
  onDidChangeVisibility(listener: (e: { readonly visible: boolean }) => unknown): { dispose(): void };
}

/**
 * Runs `warm` once, `delayMs` after the view is (or first becomes) visible. The returned disposable
 * cancels a pending warm-up. `warm` is never called synchronously.
 */
export function scheduleWarmUp(view: ViewVisibility, warm: () => unknown, timers: Timers = globalThis, delayMs = WARM_UP_DELAY_MS): { dispose(): void } {
  let handle: unknown;
  let done = false;
  const arm = () => {
    if (done || handle !== undefined) return;
    handle = timers.setTimeout(() => {
      done = true;
      sub?.dispose();
      void Promise.resolve().then(warm).catch(() => undefined);
    }, delayMs);
    (handle as { unref?(): void })?.unref?.();
  };
  let sub: { dispose(): void } | undefined;
  if (view.visible) arm();
  else sub = view.onDidChangeVisibility((e) => e.visible && arm());
  return {
    dispose: () => {
      done = true;
      sub?.dispose();
      if (handle !== undefined) timers.clearTimeout(handle);
    },
  };
}

/** What the composition root hands over; everything is built lazily, nothing runs before the timer. */
export interface WarmUpHost {
  view: ViewVisibility;
  aws(): Pick<AwsModule, 'warmUp' | 'primeSwitchPath'>;
  catalog: Pick<RoleCatalog, 'loaded' | 'reload' | 'roles' | 'profiles'>;
  settings: Pick<Settings, 'region' | 'endpointUrl' | 'requestTimeoutMs'>;
  switcher(): Pick<Switcher, 'callerOf'>;
  gateway(): Pick<AwsGateway, 'warm'>;
  /** Loads dist/features.js (the command implementations) ahead of the first click too. */
  features?(): unknown;
  log(line: string): void;
  timers?: Timers;
}

export function startWarmUp(h: WarmUpHost): { dispose(): void } {
  return scheduleWarmUp(
    h.view,
    async () => {
      h.features?.();
      await h.aws().warmUp({
        roles: async () => {
          if (!h.catalog.loaded) await h.catalog.reload();
          return h.catalog.roles;
        },
        profiles: () => h.catalog.profiles,
        env: process.env,
        region: () => h.settings.region,
        visible: () => h.view.visible,
        load: () => void h.switcher(),
        // The client the switch will use: a base of profile keys signs with those keys (static credentials).
        buildClient: (base, region) =>
          h.gateway().warm?.({ region, endpoint: h.settings.endpointUrl, timeoutMs: h.settings.requestTimeoutMs, credentials: toCredentialSource(base as BaseSource, h.catalog.profiles) }),
        identify: (base) => h.switcher().callerOf(base as BaseSource),
        log: h.log,
      });
      // Then the switch path itself, dry, against an in-memory STS (src/aws/prime.ts): nothing leaves the process.
      if (h.view.visible) await h.aws().primeSwitchPath();
    },
    h.timers,
  );
}
