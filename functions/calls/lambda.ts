import { secretsManagerSdk } from '../../shared/adapters/aws/sdk/secrets-manager.ts';
import { lazyHandler } from '../lazy-handler.ts';
import { awsCallsDeps } from './aws-deps.ts';
import { createCallsHandler } from './handler.ts';

// Every request is checked against the admin key (the SQS client waits for the first call placed
// or called again): the SDK client loads at import, in Lambda's init, not in the first request.
secretsManagerSdk();

/** The Lambda entry point (`infra/bundling.ts`): the handler on its AWS ports. */
export const handler = lazyHandler(async () => createCallsHandler(awsCallsDeps()));
