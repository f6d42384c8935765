import { lazyHandler } from '../lazy-handler.ts';
import { awsSweeperDeps } from './aws-deps.ts';
import { createSweeperHandler } from './handler.ts';

// Unlike the other functions' entries, this one loads neither SQS nor Secrets Manager at import:
// the sweeper needs them only for a due call (a lost message re-sent, a backend asked, a redial
// counted), and most sweeps find none; its queues and secrets load them on first use.

/** The Lambda entry point (`infra/bundling.ts`): the handler on its AWS ports. */
export const handler = lazyHandler(async () => createSweeperHandler(awsSweeperDeps()));
