import { BROWSER_API_GUARDED_ENV } from '../http/api-event.ts';
import { lazyHandler } from '../lazy-handler.ts';
import { awsIngestDeps } from './aws-deps.ts';
import { createIngestEntry } from './handler.ts';

/** The Lambda entry point (`infra/bundling.ts`): the handler on its AWS ports. */
export const handler = lazyHandler(async () =>
  createIngestEntry(awsIngestDeps(), {
    browserApiGuarded: process.env[BROWSER_API_GUARDED_ENV] === 'true',
  }),
);
