import * as z from '../validation/zod.ts';

/** A number the provider's template may render bare (`12`) or quoted (`"12"`). */
const Count = z.union([
  z.number(),
  z.pipe(z.string().check(z.regex(/^\d+$/)), z.transform(Number)),
]);

/**
 * The body of a provider notification, as the template in the README renders it. Only
 * `call_session_id` is required; `event` is a literal each notification's template spells out
 * (`answered` on "call answered", `ended` on "call ended"), so callhook does not depend on the
 * provider's own event names.
 */
export const ProviderEvent = z.looseObject({
  event: z.enum(['answered', 'ended']),
  call_session_id: Count,
  external_id: z.optional(z.string()),
  talk_time_duration: z.optional(Count),
  total_time_duration: z.optional(Count),
  finish_reason: z.optional(z.string()),
  notification_time: z.optional(z.string()),
});
export type ProviderEvent = z.infer<typeof ProviderEvent>;
