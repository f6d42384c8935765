/**
 * What a route's expressions read a field as: the `contact`, the `idempotency_key`, the
 * `event_time`, the `condition`, the `test_event`, or what the `call` says (its message, its
 * scenario's variables).
 */
export const READ_AS = ['contact', 'key', 'event_time', 'condition', 'test_event', 'call'] as const;
export type ReadAs = (typeof READ_AS)[number];

/**
 * A field of the payload the route's expressions read: its names from the payload's top, an
 * array's items taking the path of the array (as JSONata reads `items.sku`).
 */
export interface ReadPath {
  path: string[];
  as: ReadAs[];
}

/** The payload as kept holds at most this much JSON (compact, UTF-8). */
export const KEPT_PAYLOAD_BYTES = 4 * 1024;

/**
 * An accepted event's payload as an operator may see it: phone numbers masked to their last 4
 * digits, anything named like a secret `***`, at most `KEPT_PAYLOAD_BYTES` of it, and the fields
 * the route read. Kept once, when its call is created; never changed.
 */
export interface KeptEvent {
  /** A JSON object: the body's fields (and, on a route that takes them, the query's). */
  payload: Record<string, unknown>;
  /** Whether fields or the end of a text were cut to stay within the cap. */
  truncated: boolean;
  /** The body's size as received, in bytes. */
  received_bytes: number;
  read: ReadPath[];
}

/**
 * Port: where the payloads of accepted events are kept, one beside each call's record and
 * never in it (every change to the call rewrites the record, billed at its size), for as long
 * as the call is kept.
 */
export interface KeptEvents {
  /** Keeps the event of a call just created; `expiresAt` is the call's own (epoch seconds). */
  keep(callId: string, event: KeptEvent, expiresAt: number): Promise<void>;
  /** The call's event as kept, if it was (a skipped event, a call from before, none). */
  keptOf(callId: string): Promise<KeptEvent | undefined>;
}

/** A place in a payload as `ReadPath` names it: its object keys, array indexes left out. */
export const pathKey = (path: readonly string[]): string => JSON.stringify(path);

/** What the route read the value at `path` as; empty for a field it did not read. */
export const readAs = (read: readonly ReadPath[], path: readonly string[]): ReadAs[] => {
  const key = pathKey(path);
  return read.find((entry) => pathKey(entry.path) === key)?.as ?? [];
};
