import * as z from 'zod';

/** A number the provider's template may render bare (`12`) or quoted (`"12"`). */
const Count = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

/**
 * The body of a provider notification, as the template in the README renders it. Only
 * `call_session_id` is required; `event` is a literal each notification's template spells out
 * (`answered` on "call answered", `ended` on "call ended"), so callhook does not depend on the
 * provider's own event names.
 */
export const ProviderEvent = z.looseObject({
  event: z.enum(['answered', 'ended']),
  call_session_id: Count,
  external_id: z.string().optional(),
  talk_time_duration: Count.optional(),
  total_time_duration: Count.optional(),
  finish_reason: z.string().optional(),
  notification_time: z.string().optional(),
});
export type ProviderEvent = z.infer<typeof ProviderEvent>;
