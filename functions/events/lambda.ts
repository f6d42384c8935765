import { sqsSdk } from '../../shared/adapters/aws/sdk/sqs.ts';
import { lazyHandler } from '../lazy-handler.ts';
import { loadSecretStoreSdk } from '../wiring/secrets.ts';
import { awsEventsDeps } from './aws-deps.ts';
import { createEventsHandler } from './handler.ts';

// Every provider event is checked with a secret, and its transitions queue status callbacks: the
// SDK clients load at import, in Lambda's init, not in the first request.
loadSecretStoreSdk();
sqsSdk();

/** The Lambda entry point (`infra/bundling.ts`): the handler on its AWS ports. */
export const handler = lazyHandler(async () => createEventsHandler(awsEventsDeps()));
