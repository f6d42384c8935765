import { sqsSdk } from '../../shared/adapters/aws/sdk/sqs.ts';
import { BROWSER_API_GUARDED_ENV } from '../http/api-event.ts';
import { lazyHandler } from '../lazy-handler.ts';
import { loadSecretStoreSdk } from '../wiring/secrets.ts';
import { awsIngestDeps } from './aws-deps.ts';
import { createIngestEntry } from './handler.ts';

// Every webhook reads a secret (the contact hash key, most routes' sender secrets) and enqueues:
// the SDK clients load at import, in Lambda's init, not in the first request.
loadSecretStoreSdk();
sqsSdk();

/** The Lambda entry point (`infra/bundling.ts`): the handler on its AWS ports. */
export const handler = lazyHandler(async () =>
  createIngestEntry(awsIngestDeps(), {
    browserApiGuarded: process.env[BROWSER_API_GUARDED_ENV] === 'true',
  }),
);
