import { reconcileUnknown } from '../reconcile.ts';
import type { Chore } from './chore.ts';

/**
 * An `unknown` call is looked for at its backend; found, it is `placed` after all (or, found
 * ended in the account's Data API report, `completed`).
 */
export const reconcileUnknownCalls: Chore = {
  status: 'unknown',
  counts: 'reconciled',
  visit: async (deps, record) =>
    ['placed', 'completed'].includes(await reconcileUnknown(deps, record)),
};
