import { sqsSdk } from '../../shared/adapters/aws/sdk/sqs.ts';
import { lazyHandler } from '../lazy-handler.ts';
import { loadSecretStoreSdk } from '../wiring/secrets.ts';
import { awsDispatchDeps } from './aws-deps.ts';
import { createDispatchHandler } from './handler.ts';

// Every call reads its backend's credentials, and its transitions queue status callbacks: the
// SDK clients load at import, in Lambda's init, not in the first request.
loadSecretStoreSdk();
sqsSdk();

/** The Lambda entry point (`infra/bundling.ts`): the handler on its AWS ports. */
export const handler = lazyHandler(async () => createDispatchHandler(awsDispatchDeps()));
