/** What travels on the dispatch queue: only the id; the record is the source of truth. */
export interface DispatchMessage {
  call_id: string;
}

/** Port: the queue between ingest and dispatch (SQS on AWS, an in-process queue locally). */
export interface DispatchQueue {
  send(message: DispatchMessage): Promise<void>;
}
