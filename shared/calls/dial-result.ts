import type { CallResult } from './call-result.ts';
import type { Dial } from './dial.ts';

/**
 * How one attempt ended, as far as callhook knows: its report's result, else what its `ended`
 * notification suggested, else `talked` if the provider said it was answered (an account
 * without a report, whose notification names no reason). Undefined while nothing is known.
 */
export const resultOfDial = (
  dial: Pick<Dial, 'outcome' | 'notified_result' | 'answered_at'>,
): CallResult | undefined =>
  dial.outcome?.result ??
  dial.notified_result ??
  (dial.answered_at !== undefined ? 'talked' : undefined);
