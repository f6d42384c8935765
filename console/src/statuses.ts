/**
 * A call's states, as the API names them (`CALL_STATUSES` in shared/calls/call-record.ts; a test
 * holds the two lists equal). Here for the page alone: the script imports nothing of the server.
 */
export const STATUSES = [
  'queued',
  'scheduled',
  'dialing',
  'placed',
  'completed',
  'failed',
  'cancelled',
  'unknown',
  'skipped',
] as const;
export type Status = (typeof STATUSES)[number];

/**
 * How a call's last attempt ended, as the API names them (`CALL_RESULTS` in
 * shared/calls/call-result.ts; a test holds the two lists equal).
 */
export const RESULTS = [
  'talked',
  'no_answer',
  'busy',
  'operator_missed',
  'rejected',
  'failed',
] as const;

/**
 * The states an operator's retry applies to (a new attempt), and cancel's (a waiting call is
 * `cancelled`; a placed one is stopped at the provider and ends `cancelled`, or `completed` if
 * it had been answered). The API decides; these only hide buttons.
 */
export const RETRYABLE: readonly string[] = ['failed', 'unknown'];
export const CANCELLABLE: readonly string[] = ['queued', 'scheduled', 'placed'];
/** Call again: a completed call (the API refuses one that talked unless confirmed twice). */
export const CALLABLE_AGAIN: readonly string[] = ['completed'];
/** States a call leaves by itself within seconds: its page follows it after an action. */
export const PASSING: readonly string[] = ['queued', 'dialing'];

/**
 * Why an attempt was made, as the API names it (`DialCause` in shared/calls/attempts.ts; a test
 * holds the list to docs/openapi.json), with the words the page shows for it.
 */
export const DIAL_CAUSES = {
  event: 'the event',
  redial: 'redial',
  retry: 'operator’s retry',
  again: 'operator’s call again',
} as const satisfies Record<string, string>;
