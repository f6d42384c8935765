/** SQS's ceiling for a message delay; a longer wait is a `scheduled` call and the sweeper's job. */
export const MAX_QUEUE_DELAY_SECONDS = 900;

export interface SendOptions {
  /** Hide the message this long (at most `MAX_QUEUE_DELAY_SECONDS`). */
  delaySeconds?: number;
}

/** Port: a queue of JSON messages (SQS on AWS, an in-process queue locally). */
export interface MessageQueue<M> {
  send(message: M, options?: SendOptions): Promise<void>;
}
