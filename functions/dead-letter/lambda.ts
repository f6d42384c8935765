import { sqsSdk } from '../../shared/adapters/aws/sdk/sqs.ts';
import { lazyHandler } from '../lazy-handler.ts';
import { awsDeadLetterDeps } from './aws-deps.ts';
import { createDeadLetterHandler } from './handler.ts';

// Every dead letter fails its call, a transition that queues its status callback: the SDK client
// loads at import, in Lambda's init, not in the first request.
sqsSdk();

/** The Lambda entry point (`infra/bundling.ts`): the handler on its AWS ports. */
export const handler = lazyHandler(async () => createDeadLetterHandler(awsDeadLetterDeps()));
