/** One accepted call to a number, as the cap remembers it. */
export interface CapEntry {
  call_id: string;
  /** Epoch milliseconds. */
  at: number;
}

export const CAP_WINDOW_MS = 86_400_000;

export type Admission =
  | { admitted: true; added: boolean; entries: CapEntry[] }
  | { admitted: false };

/**
 * Decides whether one more call to a number fits in a rolling 24 hours. Admitting the same call
 * id twice counts it once, so every delivery of one event gets the same answer.
 */
export const admitCall = (
  entries: readonly CapEntry[],
  callId: string,
  now: Date,
  limit: number,
): Admission => {
  const recent = entries.filter((entry) => entry.at > now.getTime() - CAP_WINDOW_MS);
  if (recent.some((entry) => entry.call_id === callId)) {
    return { admitted: true, added: false, entries: recent };
  }
  if (recent.length >= limit) return { admitted: false };
  return {
    admitted: true,
    added: true,
    entries: [...recent, { call_id: callId, at: now.getTime() }],
  };
};

/**
 * What the cap decided for one call: `added` counts it now, `counted` had counted it before
 * (another delivery of the same event), `refused` keeps it from the number.
 */
export type CapDecision = 'added' | 'counted' | 'refused';

/** Port: the per-number call counts, shared by every ingest (DynamoDB on AWS and locally). */
export interface ContactCapStore {
  /** Whether the call may go to `contact`; counts it when it is new. Atomic per number. */
  admit(contact: string, callId: string, now: Date, limit: number): Promise<CapDecision>;
  /** The calls counted for `contact` in the 24 hours before `now`. */
  counted(contact: string, now: Date): Promise<CapEntry[]>;
  /** Stops counting a call that was never created. Nothing happens if it is not counted. */
  release(contact: string, callId: string): Promise<void>;
}
