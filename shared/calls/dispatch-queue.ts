import * as z from 'zod';

/** What travels on the dispatch queue: only the id; the record is the source of truth. */
export const DispatchMessage = z.object({ call_id: z.string().min(1) });
export type DispatchMessage = z.infer<typeof DispatchMessage>;

/** SQS's ceiling for a message delay; a longer wait is a `scheduled` call and the sweeper's job. */
export const MAX_QUEUE_DELAY_SECONDS = 900;

export interface SendOptions {
  /** Hide the message this long (at most `MAX_QUEUE_DELAY_SECONDS`). */
  delaySeconds?: number;
}

/** Port: the queue between ingest and dispatch (SQS on AWS, an in-process queue locally). */
export interface DispatchQueue {
  send(message: DispatchMessage, options?: SendOptions): Promise<void>;
}
