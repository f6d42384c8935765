import { CALL_STATUSES } from '../calls/call-record.ts';
import type { MessageQueue } from '../queue/message-queue.ts';
import * as z from '../validation/zod.ts';

/**
 * One status callback on its way to a route's `callback_url`. The body is fixed when the state
 * changes, so every attempt sends the same bytes under the same `webhook-id`, and a receiver can
 * drop repeats by that id.
 */
export const CallbackMessage = z.object({
  webhook_id: z.string().check(z.minLength(1)),
  route: z.string().check(z.minLength(1)),
  body: z.string().check(z.minLength(1)),
  attempt: z.int().check(z.minimum(1)),
  /**
   * The call and the state the body reports, for the delivery's entry in the call's timeline.
   * Optional: messages queued before they were added are still delivered (and not noted).
   */
  call_id: z.optional(z.string().check(z.minLength(1))),
  status: z.optional(z.enum(CALL_STATUSES)),
});
export type CallbackMessage = z.infer<typeof CallbackMessage>;

export type CallbackQueue = MessageQueue<CallbackMessage>;
