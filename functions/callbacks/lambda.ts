import { lazyHandler } from '../lazy-handler.ts';
import { awsCallbacksDeps } from './aws-deps.ts';
import { createCallbacksHandler } from './handler.ts';

/** The Lambda entry point (`infra/bundling.ts`): the handler on its AWS ports. */
export const handler = lazyHandler(async () => createCallbacksHandler(awsCallbacksDeps()));
