import middy from '@middy/core';
import { sweep } from '../../shared/dispatch/sweep.ts';
import type { SweepDeps, SweepReport } from '../../shared/dispatch/sweep-deps.ts';

/** Run by a schedule (EventBridge on AWS, a timer locally); the event carries nothing we need. */
export const createSweeperHandler = (deps: SweepDeps) =>
  middy<unknown, SweepReport>().handler(async () => {
    const report = await sweep(deps);
    // Quiet when there was nothing to do: it runs every minute.
    if (Object.values(report).some((count) => count > 0)) {
      deps.logger.info('sweep done', { ...report });
    }
    return report;
  });
