import { lazyHandler } from '../lazy-handler.ts';
import { awsDispatchDeps } from './aws-deps.ts';
import { createDispatchHandler } from './handler.ts';

/** The Lambda entry point (`infra/bundling.ts`): the handler on its AWS ports. */
export const handler = lazyHandler(async () => createDispatchHandler(awsDispatchDeps()));
