import { escalate } from '../escalate.ts';
import type { Chore } from './chore.ts';

/**
 * A completed call whose last attempt nobody answered, on a route that escalates: the one
 * linked call on the route's `escalate.to` is made (`escalate.ts`).
 */
export const escalateCalls: Chore = {
  status: 'completed',
  counts: 'escalated',
  visit: escalate,
};
