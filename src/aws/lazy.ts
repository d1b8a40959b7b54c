// Loads the SDK-backed gateway (dist/aws.js) on first use, so activation never evaluates the AWS SDK.
// The path is computed at runtime: esbuild leaves a non-literal require alone, so dist/extension.js
// does not contain the SDK (test/unit/lazy.test.ts checks the metafile).
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import type { AwsGateway } from '../core/gateway';

let loaded: AwsModule | undefined;

/** Under tsx (tests, scripts) this file runs from src/aws/ and the entry is the TypeScript source. */
function modulePath(): string {
  return join(__dirname, __filename.endsWith('.ts') ? 'index' : 'aws.js');
}

let compileCacheDir: string | undefined;

/**
 * Where V8 may keep the compiled code of dist/aws.js between windows (Node >= 22's module compile
 * cache); set by the composition root, used at the first load. Holds compiled code only.
 */
export function useCompileCache(dir: string | undefined): void {
  compileCacheDir = dir;
}

export interface NodeModuleApi {
  enableCompileCache?(dir: string): { status?: number; message?: string } | undefined;
  flushCompileCache?(): void;
}

/**
 * Turns on Node's module compile cache in `dir` if this runtime has it (Node >= 22; the extension
 * host runs 22+, plain Node 20 does not). The cache is per process: modules required after this
 * (ours and any other extension's in the same host) are cached too. Never throws.
 */
export function enableCompileCache(mod: NodeModuleApi, dir: string): 'enabled' | 'unsupported' | 'failed' {
  if (typeof mod.enableCompileCache !== 'function') return 'unsupported';
  try {
    const r = mod.enableCompileCache(dir);
    // 0 FAILED, 1 ENABLED, 2 ALREADY_ENABLED, 3 DISABLED (NODE_DISABLE_COMPILE_CACHE).
    return r?.status === 0 || r?.status === 3 ? 'failed' : 'enabled';
  } catch {
    return 'failed';
  }
}

export function loadAwsModule(): AwsModule {
  if (!loaded) {
    const path = modulePath();
    const api = nodeModule as NodeModuleApi;
    const cached = compileCacheDir !== undefined && enableCompileCache(api, compileCacheDir) === 'enabled';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(path) as AwsModule;
    if (cached) {
      try {
        api.flushCompileCache?.();
      } catch {
        /* Node writes it at exit instead */
      }
    }
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
  warmUp: typeof import('../core/warmup').warmUp;
  primeSwitchPath: typeof import('./prime').primeSwitchPath;
  /** IAM Identity Center (SSO OIDC + SSO portal) over the SDK: src/aws/sso.ts. */
  createSsoGateway: typeof import('./sso').createSsoGateway;
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
