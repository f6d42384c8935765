/**
 * How a call ended, in callhook's own words, whichever backend placed it:
 * - `talked`: the customer was connected (with the operator, or heard the message);
 * - `no_answer`: the customer's phone rang and nobody picked up;
 * - `busy`: the customer's line was busy;
 * - `operator_missed`: the operator's side did not answer, so the customer was never connected;
 * - `rejected`: the customer declined, or hung up before anyone spoke;
 * - `failed`: the call could not be made (the number, the account, the network).
 */
export const CALL_RESULTS = [
  'talked',
  'no_answer',
  'busy',
  'operator_missed',
  'rejected',
  'failed',
] as const;
export type CallResult = (typeof CALL_RESULTS)[number];

/** Every result but `talked`: why nobody talked, and what a route may redial on. */
export type MissedResult = Exclude<CallResult, 'talked'>;
export const MISSED_RESULTS = CALL_RESULTS.filter(
  (result): result is MissedResult => result !== 'talked',
);
