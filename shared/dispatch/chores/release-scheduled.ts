import { type Chore, queueAgain } from './chore.ts';

/** A `scheduled` call whose time came (calling hours, the day's points) goes to the queue. */
export const releaseScheduled: Chore = {
  status: 'scheduled',
  counts: 'released',
  visit: (deps, record) => queueAgain(deps, record, 'scheduled', 'due'),
};
