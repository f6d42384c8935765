import * as z from './zod.ts';

/*
 * The ranges of the numbers callhook reads from a provider (the Call API, the Data API, JAICP,
 * the provider's notifications). Each is checked where the reply or notification is parsed, so
 * no number that could not be true reaches a record, a date or a sum: a DynamoDB number must
 * stay within ±2^53 for our records (shared/calls/storable.ts), `new Date()` of a number too
 * big is an invalid date, and a duration of 1e300 seconds is no duration of a phone call.
 */

/**
 * The longest call callhook accepts a duration of: seven days, in seconds. The Call API and
 * JAICP cut calls far sooner (hours at most), so a longer figure is a broken report, not a call.
 */
export const MAX_CALL_SECONDS = 7 * 86_400;

/**
 * The latest instant a provider may name: 2100-01-01T00:00:00Z, in ms since 1970. Any report of
 * a call ending, or a token expiring, after that is wrong, and it keeps `new Date()` valid.
 */
export const MAX_EPOCH_MS = Date.UTC(2100, 0, 1);

/**
 * An id the provider gave (a call session, a leg, a tag, an employee, a JAICP job): a positive
 * whole number that JavaScript and DynamoDB hold exactly. `z.int()` is already a safe integer,
 * so its range is 1 … 2^53 − 1.
 */
export const ProviderId = z.int().check(z.minimum(1));

/**
 * A duration in seconds, 0 … `MAX_CALL_SECONDS`. The reports document durations as numbers of
 * seconds without saying whole, so a fraction is read and rounded to the whole seconds callhook
 * keeps (a fraction such as 1e-200 is also a number DynamoDB cannot keep).
 */
export const CallSeconds = z.pipe(
  z.number().check(z.minimum(0), z.maximum(MAX_CALL_SECONDS)),
  z.transform((seconds: number) => Math.round(seconds)),
);

/** An instant in ms since 1970 (JAICP's report times): a whole number, 0 … `MAX_EPOCH_MS`. */
export const EpochMs = z.int().check(z.minimum(0), z.maximum(MAX_EPOCH_MS));

/** An instant in seconds since 1970 (`login.user`'s `expire_at`): 0 … `MAX_EPOCH_MS` / 1000. */
export const EpochSeconds = z.int().check(z.minimum(0), z.maximum(MAX_EPOCH_MS / 1000));

/** A count of items (the Data API's `total_items`): a whole number, 0 … 2^53 − 1. */
export const ItemCount = z.int().check(z.minimum(0));

/**
 * A JSON-RPC `error.code`: the specification makes it an integer, and the codes the Call API
 * and the Data API document are all within 32 bits (−32700 … −32001). It is kept in the call's
 * error, so a code outside 32 bits is an unreadable reply rather than a stored number.
 */
export const RpcErrorCode = z.int32();
