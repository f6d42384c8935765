import type { CallRecord, SenderCancel } from './call-record.ts';
import { type Change, change } from './lifecycle.ts';

/**
 * The decisions of the words no attempt may follow (`stop-words.ts`): the sender's cancel and
 * the customer's own call, each on the call as stored, and the same word passed on to the call
 * an escalation made from it.
 */

/**
 * What the sender's word changes, decided on the call as stored:
 * - waiting (`queued`, `scheduled`, a redial's wait included): `cancelled`, nothing rings. A
 *   call queued again after a send whose reply was lost is cancelled too: not sending it again
 *   is the one way to ring no one twice;
 * - ringing, or maybe (`dialing`, `placed`, `unknown`): left alone, but no attempt goes after
 *   it (no redial, no second send of a claim that fails);
 * - over: the word is on the timeline, nothing else.
 * A call that already has the word (another delivery of the cancel) is left as it is.
 */
export const decideSenderCancel = (
  current: CallRecord,
  word: SenderCancel,
  now: Date,
): Change | undefined => {
  if (current.cancelled_by_sender !== undefined) return undefined;
  const reason = `cancelled_by_sender: route ${word.route}`;
  switch (current.status) {
    case 'queued':
    case 'scheduled':
      return change('senderCancel', now, {
        reason,
        set: { cancelled_by_sender: word, redial_stopped: reason },
      });
    case 'dialing':
    case 'placed':
    case 'unknown':
      return change('senderCancelNoted', now, {
        reason: `${reason}; the attempt under way is left to end, and none follows it`,
        set: { cancelled_by_sender: word, redial_stopped: current.redial_stopped ?? reason },
      });
    default:
      return change('senderCancelRecorded', now, {
        reason: `${reason}; the call was already over`,
        set: { cancelled_by_sender: word },
      });
  }
};

/**
 * What the customer's call changes, decided on the call as stored: one still waiting
 * (`queued`, `scheduled`, a redial's wait) is `cancelled`; one ringing or maybe (`dialing`,
 * `placed`, `unknown`) is left to end with no attempt after it; one over keeps the word, so
 * that nothing follows it either. A call that already knows is left as it is.
 */
export const decideCustomerCalledIn = (current: CallRecord, now: Date): Change | undefined => {
  if (current.customer_called_in !== undefined) return undefined;
  const word = { at: now.toISOString() };
  const reason = 'customer_called_in: the customer rang the account';
  switch (current.status) {
    case 'queued':
    case 'scheduled':
      return change('customerCalledIn', now, {
        reason,
        set: { customer_called_in: word, redial_stopped: reason },
      });
    case 'dialing':
    case 'placed':
    case 'unknown':
      return change('customerCalledInNoted', now, {
        reason: `${reason}; the attempt under way is left to end, and none follows it`,
        set: { customer_called_in: word, redial_stopped: current.redial_stopped ?? reason },
      });
    case 'completed':
    case 'failed':
    case 'cancelled':
      // Over: the word is kept, so that nothing made of the call later (its escalation, an
      // operator's call again) rings the customer who called.
      return change('customerCalledInRecorded', now, {
        reason: `${reason}; the call was already over`,
        set: { customer_called_in: word },
      });
    default:
      return undefined;
  }
};

/**
 * What the word its escalating call was given does to the call an escalation made (or is
 * making) from it: the same, as if the word had named it; undefined where there is no word.
 */
export const decideLinkedStop = (
  linked: CallRecord,
  source: CallRecord,
  now: Date,
): Change | undefined => {
  if (source.cancelled_by_sender !== undefined) {
    return decideSenderCancel(linked, source.cancelled_by_sender, now);
  }
  if (source.customer_called_in !== undefined) return decideCustomerCalledIn(linked, now);
  return undefined;
};
