import { lazyHandler } from '../lazy-handler.ts';
import { awsSweeperDeps } from './aws-deps.ts';
import { createSweeperHandler } from './handler.ts';

/** The Lambda entry point (`infra/bundling.ts`): the handler on its AWS ports. */
export const handler = lazyHandler(async () => createSweeperHandler(awsSweeperDeps()));
