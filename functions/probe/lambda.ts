import { lazyHandler } from '../lazy-handler.ts';
import { loadSecretStoreSdk } from '../wiring/secrets.ts';
import { awsProbeDeps } from './aws-deps.ts';
import { createProbeHandler } from './handler.ts';

// Every probe reads the secrets: the SDK client loads at import, in Lambda's init, not in the
// first request.
loadSecretStoreSdk();

/** The Lambda entry point (`infra/bundling.ts`): the handler on its AWS ports. */
export const handler = lazyHandler(async () => createProbeHandler(awsProbeDeps()));
