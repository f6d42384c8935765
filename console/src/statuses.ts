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

/** The states an operator's retry applies to, and cancel's (the API decides; these hide buttons). */
export const RETRYABLE: readonly string[] = ['failed', 'unknown'];
export const CANCELLABLE: readonly string[] = ['queued', 'scheduled', 'placed'];
/** States a call leaves by itself within seconds: its page follows it after an action. */
export const PASSING: readonly string[] = ['queued', 'dialing'];
