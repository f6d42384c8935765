/**
 * The states of a call, in a module of their own that imports nothing, so that the admin
 * answers' schemas (and through them the console's types) can name them without the record.
 */
export const CALL_STATUSES = [
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
export type CallStatus = (typeof CALL_STATUSES)[number];
