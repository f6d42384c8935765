import { lazyHandler } from '../lazy-handler.ts';
import { awsDeadLetterDeps } from './aws-deps.ts';
import { createDeadLetterHandler } from './handler.ts';

/** The Lambda entry point (`infra/bundling.ts`): the handler on its AWS ports. */
export const handler = lazyHandler(async () => createDeadLetterHandler(awsDeadLetterDeps()));
