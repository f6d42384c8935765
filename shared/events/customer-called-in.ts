import { announce } from '../calls/announce.ts';
import type { CallRecord } from '../calls/call-record.ts';
import type { CallStore } from '../calls/call-store.ts';
import { passStopToEscalation } from '../calls/linked-stop.ts';
import { decideCustomerCalledIn } from '../calls/stop-decisions.ts';
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
    // A call already over keeps the word, but was not stopped by it.
    if (updated.change.name !== 'customerCalledInRecorded') stopped.push(call_id);
    await passStopToEscalation(deps, updated.record, now);
  }
  return { stopped };
};
