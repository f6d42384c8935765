import { lazyHandler } from '../lazy-handler.ts';
import { awsEventsDeps } from './aws-deps.ts';
import { createEventsHandler } from './handler.ts';

/** The Lambda entry point (`infra/bundling.ts`): the handler on its AWS ports. */
export const handler = lazyHandler(async () => createEventsHandler(awsEventsDeps()));
