// Entry of dist/aws.js: everything that is only needed once the user talks to AWS. Keeping the switch
// path, error texts, discovery, trust evaluation and the Explain report here (not in
// dist/extension.js) keeps activation small; lazy.ts loads this on the first AWS call.
import type { AwsModule } from './lazy';
import { createAwsGateway } from './gateway';
import { discoverRoles, DiscoveryCache } from '../core/discovery';
import { explainAccess } from '../core/explain';
import { callerContext } from '../core/trust';
import { translateError } from '../core/errorText';
import { Switcher } from '../core/switcher';
import { warmUp } from '../core/warmup';
import { primeSwitchPath } from './prime';
import { createSsoGateway } from './sso';

// The benchmark's baselines: bare clients from this same SDK build, so the comparisons measure the
// extension's own work and not two builds of the SDK.
export { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
export { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
export { SSOClient, GetRoleCredentialsCommand } from '@aws-sdk/client-sso';
export { createAwsGateway, discoverRoles, DiscoveryCache, explainAccess, callerContext, translateError, Switcher, warmUp, primeSwitchPath, createSsoGateway };

// Compile-time check that this module is what lazy.ts promises.
const _shape: AwsModule = { createAwsGateway, discoverRoles, DiscoveryCache, explainAccess, callerContext, translateError, Switcher, warmUp, primeSwitchPath, createSsoGateway };
void _shape;
