// Endpoint settings of the shared config the SDK v3 does not read on its own.
//
// FIPS and dual-stack: the SDK's clients read AWS_USE_FIPS_ENDPOINT / use_fips_endpoint and
// AWS_USE_DUALSTACK_ENDPOINT / use_dualstack_endpoint themselves (loadConfig in each client's runtime
// config, from the profile AWS_PROFILE names, else [default]); the gateway never sets
// useFipsEndpoint, so they reach it untouched (test/integration/partitions.test.ts).
//
// sts_regional_endpoints / AWS_STS_REGIONAL_ENDPOINTS: SDK v3's STS is regional by default and reads
// neither; its endpoint rules take the `useGlobalEndpoint` built-in instead. `legacy` means what it
// means to the AWS CLI: the global endpoint (sts.amazonaws.com, signed for us-east-1) for the regions
// that used it, which is what the rules do with useGlobalEndpoint = true. `regional` (the default) or
// anything else keeps the regional endpoint. Ignored when an explicit endpoint is configured.
import { loadConfig } from '@smithy/core/config';

const ENV = 'AWS_STS_REGIONAL_ENDPOINTS';
const KEY = 'sts_regional_endpoints';

function isLegacy(v: unknown): boolean | undefined {
  if (typeof v !== 'string' || !v.trim()) return undefined;
  return v.trim().toLowerCase() === 'legacy';
}

/**
 * A new STS client's useGlobalEndpoint: a provider the SDK calls when it resolves the endpoint (once per
 * client: the value is memoized, and clients are rebuilt when settings change).
 */
export function stsUseGlobalEndpoint(): () => Promise<boolean> {
  return loadConfig<boolean>({
    environmentVariableSelector: (env) => isLegacy(env[ENV]),
    configFileSelector: (profile) => isLegacy(profile[KEY]),
    default: false,
  });
}
