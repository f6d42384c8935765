import { lazyHandler } from '../lazy-handler.ts';
import { awsProbeDeps } from './aws-deps.ts';
import { createProbeHandler } from './handler.ts';

/** The Lambda entry point (`infra/bundling.ts`): the handler on its AWS ports. */
export const handler = lazyHandler(async () => createProbeHandler(awsProbeDeps()));
