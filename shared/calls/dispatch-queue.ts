import * as z from 'zod';

/** What travels on the dispatch queue: only the id; the record is the source of truth. */
export const DispatchMessage = z.object({ call_id: z.string().min(1) });
export type DispatchMessage = z.infer<typeof DispatchMessage>;

/** Port: the queue between ingest and dispatch (SQS on AWS, an in-process queue locally). */
export interface DispatchQueue {
  send(message: DispatchMessage): Promise<void>;
}
