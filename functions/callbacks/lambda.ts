import { sqsSdk } from '../../shared/adapters/aws/sdk/sqs.ts';
import { lazyHandler } from '../lazy-handler.ts';
import { loadSecretStoreSdk } from '../wiring/secrets.ts';
import { awsCallbacksDeps } from './aws-deps.ts';
import { createCallbacksHandler } from './handler.ts';

// Every delivery signs with a secret, and a failed one is queued again: the SDK clients load at
// import, in Lambda's init, not in the first request.
loadSecretStoreSdk();
sqsSdk();

/** The Lambda entry point (`infra/bundling.ts`): the handler on its AWS ports. */
export const handler = lazyHandler(async () => createCallbacksHandler(awsCallbacksDeps()));
