import type { MessageQueue } from '../queue/message-queue.ts';
import * as z from '../validation/zod.ts';

/** What travels on the dispatch queue: only the id; the record is the source of truth. */
export const DispatchMessage = z.object({ call_id: z.string().check(z.minLength(1)) });
export type DispatchMessage = z.infer<typeof DispatchMessage>;

/** The queue between ingest and dispatch. */
export type DispatchQueue = MessageQueue<DispatchMessage>;
