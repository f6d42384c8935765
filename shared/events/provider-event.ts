import { MAX_CALL_SECONDS } from '../validation/provider-numbers.ts';
import * as z from '../validation/zod.ts';

/**
 * A whole number the provider's template may render bare (`12`) or quoted (`"12"`), from `min`
 * to `max`, and one JavaScript holds exactly: no fraction, nothing past 2^53 (a session id that
 * big, or `1e400`, is no render of a template, and neither DynamoDB nor the SDK could keep it).
 */
const countWithin = (min: number, max: number = Number.MAX_SAFE_INTEGER) =>
  z.pipe(
    z.union([z.number(), z.pipe(z.string().check(z.regex(/^\d+$/)), z.transform(Number))]),
    z.int().check(z.minimum(min), z.maximum(max)),
  );

/** A session id: a positive safe integer, as every provider id (provider-numbers.ts). */
const SessionId = countWithin(1);
/**
 * A duration in whole seconds, 0 … `MAX_CALL_SECONDS` (7 days): no call lasts longer, so a
 * longer one is no render of the template, and is refused before it is counted as talk time.
 */
const Seconds = countWithin(0, MAX_CALL_SECONDS);

/**
 * The longest `external_id` taken, in UTF-8 bytes: DynamoDB's limit for a key. Only one shaped
 * like a call id is ever looked up; a longer one is no id any system could have given a call.
 */
export const MAX_ID_BYTES = 2048;
/** `finish_reason` is a provider mnemonic; it is copied into the call's history. */
export const MAX_REASON_LENGTH = 255;

/**
 * The body of a provider notification, as the template in docs/operating.md renders it. Only
 * `call_session_id` is required; `event` is a literal each notification's template spells out
 * (`answered` on "call answered", `ended` on "call ended"), so callhook does not depend on the
 * provider's own event names. Other fields are kept as they came (see `CallOutcome.event`).
 */
export const ProviderEvent = z.looseObject({
  event: z.enum(['answered', 'ended']),
  call_session_id: SessionId,
  external_id: z.optional(
    z
      .string()
      .check(
        z.refine(
          (id) => Buffer.byteLength(id, 'utf8') <= MAX_ID_BYTES,
          `at most ${MAX_ID_BYTES} bytes`,
        ),
      ),
  ),
  talk_time_duration: z.optional(Seconds),
  total_time_duration: z.optional(Seconds),
  finish_reason: z.optional(z.string().check(z.maxLength(MAX_REASON_LENGTH))),
  notification_time: z.optional(z.string()),
});
export type ProviderEvent = z.infer<typeof ProviderEvent>;
