import { entryOf } from '../backends/registry.ts';
import type { AccountConfig, RouteConfig } from '../config/schema.ts';
import type { Payload } from '../http/parse-body.ts';
import { type Evaluated, evaluate, evaluateAll } from './map-call.ts';

/**
 * One event's payload, read once: every expression of its route (condition, event time, key,
 * test flag, contact, and those of the backend's mapping) evaluated in one JSONata evaluation.
 * An expression that failed on the payload is refused (`invalid_payload`) where it is read, as
 * if it had been evaluated there, so an event is refused for the first thing that fails.
 */
export interface EventContext {
  readonly payload: Payload;
  /** The value of one of the route's expressions (another is evaluated on its own). */
  value(source: string): Promise<unknown>;
  /** JSONata's notion of true for one of the route's conditions. */
  holds(condition: string): Promise<boolean>;
  /** The value of the route's `contact`, before it is parsed. */
  contact(): unknown;
  /** The same, or undefined where its expression failed (for the masked contact of a skip). */
  readonly rawContact: unknown;
}

const asCondition = (source: string): string => `$boolean(${source})`;

/** Every expression a route's event is read with. */
const expressionsOf = (route: RouteConfig, account: AccountConfig): string[] => [
  ...(route.condition === undefined ? [] : [asCondition(route.condition)]),
  ...(route.event_time === undefined ? [] : [route.event_time]),
  ...(route.idempotency_key === undefined ? [] : [route.idempotency_key]),
  ...(route.test_event === undefined ? [] : [asCondition(route.test_event)]),
  route.call.contact,
  ...entryOf(account).expressions(route.call),
];

/** Reads the event's payload once, for the route's every expression. */
export const readEvent = async (
  route: RouteConfig,
  account: AccountConfig,
  payload: Payload,
): Promise<EventContext> => {
  const values = await evaluateAll(expressionsOf(route, account), payload);
  const settle = (found: Evaluated): unknown => {
    if (!found.ok) throw found.error;
    return found.value;
  };
  const value = async (source: string): Promise<unknown> => {
    const found = values.get(source);
    return found === undefined ? evaluate(source, payload) : settle(found);
  };
  const contact = values.get(route.call.contact) ?? { ok: true, value: undefined };
  return {
    payload,
    value,
    holds: async (condition) => (await value(asCondition(condition))) === true,
    contact: () => settle(contact),
    rawContact: contact.ok ? contact.value : undefined,
  };
};
