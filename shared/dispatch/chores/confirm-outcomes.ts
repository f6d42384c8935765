import { escalationPending } from '../../calls/escalation.ts';
import { followUpOutcome } from '../outcome-look.ts';
import type { Chore } from './chore.ts';

/**
 * A call a provider notification completed, on an account with a Data API key, is looked up in
 * the report once it has caught up: the report's outcome replaces the notification's where they
 * disagree, and a result the route redials on schedules the next attempt.
 */
export const confirmOutcomes: Chore = {
  status: 'completed',
  counts: 'confirmed',
  visit: async (deps, record) => {
    // Due only for its escalation (`escalate-calls.ts`): its outcome is settled.
    if (escalationPending(record)) return false;
    const settled = await followUpOutcome(deps, record);
    return settled === 'confirmed' || settled === 'redialled';
  },
};
