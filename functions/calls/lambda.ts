import { lazyHandler } from '../lazy-handler.ts';
import { loadSecretStoreSdk } from '../wiring/secrets.ts';
import { awsCallsDeps } from './aws-deps.ts';
import { createCallsHandler } from './handler.ts';

// Every request is checked against the admin key: Secrets Manager loads at import, in Lambda's
// init, not in the first request. SQS waits for the first action that sends (a retry, a status
// callback); the reads the console makes most never do.
loadSecretStoreSdk();

/** The Lambda entry point (`infra/bundling.ts`): the handler on its AWS ports. */
export const handler = lazyHandler(async () => createCallsHandler(awsCallsDeps()));
