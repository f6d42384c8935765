import type { CallbackDelivery } from '../calls/call-record.ts';

/**
 * Port: where the callbacks deliverer notes what became of each attempt, for the call's
 * timeline. Its writes touch only the delivery's own entry: never the call's state, its
 * history or its `version`, so they cannot make a state change fail its condition.
 */
export interface CallbackLog {
  /**
   * Keeps `delivery` as its webhook's latest, unless a later attempt of the same webhook is
   * kept already (a redelivered message finishing late). A call that no longer exists is left
   * alone.
   */
  recordDelivery(callId: string, delivery: CallbackDelivery): Promise<void>;
}
