import { reconcileUnknown } from '../reconcile.ts';
import type { Chore } from './chore.ts';

/** An `unknown` call is looked for at its backend; found, it is `placed` after all. */
export const reconcileUnknownCalls: Chore = {
  status: 'unknown',
  counts: 'reconciled',
  visit: async (deps, record) => (await reconcileUnknown(deps, record)) === 'placed',
};
