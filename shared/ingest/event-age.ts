import type { RouteConfig } from '../config/schema.ts';
import type { Payload } from '../http/parse-body.ts';
import { evaluate } from './map-call.ts';

/** Epoch seconds below this are seconds (Stripe's `created`); above, milliseconds. */
const SECONDS_BEFORE = 1e11;

/**
 * When the sender says the event happened, from the route's `event_time`: an ISO date (one
 * without a zone, as WooCommerce's `date_created_gmt`, is UTC) or epoch seconds. Undefined when
 * the route names none or the payload gives nothing readable.
 */
export const eventTimeOf = async (
  route: RouteConfig,
  payload: Payload,
): Promise<number | undefined> =>
  route.event_time === undefined
    ? undefined
    : eventTimeFrom(await evaluate(route.event_time, payload));

/** `eventTimeOf` for the value of the route's `event_time` already read. */
export const eventTimeFrom = (value: unknown): number | undefined => {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value < SECONDS_BEFORE ? value * 1000 : value;
  }
  if (typeof value !== 'string' || value === '') return undefined;
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const at = Date.parse(hasZone || !value.includes('T') ? value : `${value}Z`);
  return Number.isNaN(at) ? undefined : at;
};

/**
 * Whether the event is older than call records are kept. Its own record (which makes a repeat
 * a duplicate) may be gone by then, so such a delivery can only be a replay of one captured
 * long ago: senders that sign without a timestamp (Shopify, WooCommerce, Typeform) would
 * otherwise let it ring again once every `retention_days`.
 */
export const isStaleEvent = async (
  route: RouteConfig,
  payload: Payload,
  now: Date,
  retentionDays: number,
): Promise<boolean> => isStaleAt(await eventTimeOf(route, payload), now, retentionDays);

/** `isStaleEvent` for an event time already read (`eventTimeOf`), so ingest reads it once. */
export const isStaleAt = (at: number | undefined, now: Date, retentionDays: number): boolean =>
  at !== undefined && at < now.getTime() - retentionDays * 86_400_000;
