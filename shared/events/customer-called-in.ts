import { announce } from '../calls/announce.ts';
import type { CallRecord } from '../calls/call-record.ts';
import type { CallStore } from '../calls/call-store.ts';
import { type Change, change } from '../calls/lifecycle.ts';
import type { CallhookConfig } from '../config/schema.ts';
import type { ContactCapStore } from '../guardrails/contact-cap.ts';
import type { Logger } from '../logging/logger.ts';

export interface CustomerCallDeps {
  config: CallhookConfig;
  store: CallStore;
  /** The per-number counts: the calls made to a number, found by its keyed hash. */
  contacts: ContactCapStore;
  logger: Logger;
  now: () => Date;
}

/** Whether an inbound call at `at` stops this call: its route says so, within its window. */
const stoppedBy = (config: CallhookConfig, record: CallRecord, at: Date): boolean => {
  const route = config.routes[record.route];
  if (route?.stop_when_customer_calls !== true) return false;
  const since = at.getTime() - route.customer_call_window_minutes * 60_000;
  return Date.parse(record.created_at) >= since;
};

/**
 * What the customer's call changes, decided on the call as stored: one still waiting
 * (`queued`, `scheduled`, a redial's wait) is `cancelled`; one ringing or maybe (`dialing`,
 * `placed`, `unknown`) is left to end with no attempt after it; one over is left alone. A
 * call that already knows is left as it is.
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
    default:
      return undefined;
  }
};

/**
 * The customer rang the account (the provider's inbound-call notification): every call to that
 * number on a route with `stop_when_customer_calls`, accepted within the route's window, stops.
 * The calls are found by the number's keyed hash in the per-number counts (never by the number
 * in clear), which hold every call to it in the last 24 hours.
 */
export const stopForCustomerCall = async (
  deps: CustomerCallDeps,
  accountName: string,
  contact: string,
): Promise<{ stopped: string[] }> => {
  const now = deps.now();
  const stopped: string[] = [];
  for (const { call_id } of await deps.contacts.counted(contact, now)) {
    const updated = await deps.store.update(call_id, (current) =>
      current.account === accountName && stoppedBy(deps.config, current, now)
        ? decideCustomerCalledIn(current, now)
        : undefined,
    );
    if (updated.kind !== 'changed') continue;
    announce(deps.logger, updated);
    stopped.push(call_id);
  }
  return { stopped };
};
