import { lazyHandler } from '../lazy-handler.ts';
import { awsCallsDeps } from './aws-deps.ts';
import { createCallsHandler } from './handler.ts';

/** The Lambda entry point (`infra/bundling.ts`): the handler on its AWS ports. */
export const handler = lazyHandler(async () => createCallsHandler(awsCallsDeps()));
