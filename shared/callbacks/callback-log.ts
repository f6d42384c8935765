import type { CallbackDelivery } from '../calls/call-record.ts';

/**
 * Port: where the callbacks deliverer notes what became of each attempt, for the call's
 * timeline. Kept apart from the call's record: a delivery never rewrites the record (billed at
 * its whole size), never touches the call's state, its history or its `version`, so it cannot
 * make a state change fail its condition.
 */
export interface CallbackLog {
  /**
   * Keeps `delivery` as its webhook's latest, unless a later attempt of the same webhook is
   * kept already (a redelivered message finishing late).
   */
  recordDelivery(callId: string, delivery: CallbackDelivery): Promise<void>;
  /** The call's deliveries kept so far, by webhook id. */
  deliveriesOf(callId: string): Promise<Record<string, CallbackDelivery>>;
}
