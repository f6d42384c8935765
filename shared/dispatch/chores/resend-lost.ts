import { type Chore, queueAgain } from './chore.ts';

/**
 * A `queued` call untouched past its grace period has probably lost its queue message: it is
 * sent again. A surplus message is harmless, since claims are conditional.
 */
export const resendLost: Chore = {
  status: 'queued',
  counts: 'resent',
  visit: (deps, record) => queueAgain(deps, record, 'queued', 'message presumed lost: sent again'),
};
