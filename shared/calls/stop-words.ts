import type { CallRecord } from './call-record.ts';

/**
 * Why no attempt of the call may be sent any more, whatever state it is in: the sender
 * cancelled it, or the customer rang the account. Dispatch's claim and an operator's retry ask
 * this; undefined when neither happened.
 */
export const stopWordOf = (record: CallRecord): string | undefined => {
  if (record.cancelled_by_sender !== undefined) {
    return `the sender cancelled it (route ${record.cancelled_by_sender.route})`;
  }
  if (record.customer_called_in !== undefined) {
    return `the customer called in (${record.customer_called_in.at})`;
  }
  return undefined;
};
