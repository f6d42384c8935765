import { lazyHandler } from '../lazy-handler.ts';
import { awsIngestDeps } from './aws-deps.ts';
import { createIngestHandler } from './handler.ts';

/** The Lambda entry point (`infra/bundling.ts`): the handler on its AWS ports. */
export const handler = lazyHandler(async () => createIngestHandler(awsIngestDeps()));
