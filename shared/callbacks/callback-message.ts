import * as z from 'zod';
import type { MessageQueue } from '../queue/message-queue.ts';

/**
 * One status callback on its way to a route's `callback_url`. The body is fixed when the state
 * changes, so every attempt sends the same bytes under the same `webhook-id`, and a receiver can
 * drop repeats by that id.
 */
export const CallbackMessage = z.object({
  webhook_id: z.string().min(1),
  route: z.string().min(1),
  body: z.string().min(1),
  attempt: z.number().int().min(1),
});
export type CallbackMessage = z.infer<typeof CallbackMessage>;

export type CallbackQueue = MessageQueue<CallbackMessage>;
