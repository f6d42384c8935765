import type { MessageQueue } from '../queue/message-queue.ts';
import * as z from '../validation/zod.ts';
import type { CallRecord } from './call-record.ts';

/**
 * What travels on the dispatch queue: the call's id and, when its sender has it, the record as
 * stored when the message was sent. The record only saves dispatch a read: every change dispatch
 * makes is conditional on the record's version, so a copy gone stale (the call changed since)
 * costs the read it saved, never a decision on it. The record stays the source of truth.
 */
export const DispatchMessage = z.object({
  call_id: z.string().check(z.minLength(1)),
  record: z.optional(
    z.looseObject({ call_id: z.string(), status: z.string(), version: z.number() }),
  ),
});
export type DispatchMessage = z.infer<typeof DispatchMessage>;

/** The queue between ingest and dispatch. */
export type DispatchQueue = MessageQueue<DispatchMessage>;

/** A record this large travels without its copy: SQS takes 256 KiB, and a read is cheap. */
const MAX_RECORD_BYTES = 32 * 1024;

/** The message for `record`: its id, and the record when small enough. */
export const dispatchMessageOf = (record: CallRecord): DispatchMessage =>
  Buffer.byteLength(JSON.stringify(record), 'utf8') <= MAX_RECORD_BYTES
    ? { call_id: record.call_id, record: record as unknown as DispatchMessage['record'] }
    : { call_id: record.call_id };

/** The record a message carries, if it is this call's. */
export const recordOf = (message: DispatchMessage): CallRecord | undefined =>
  message.record?.call_id === message.call_id
    ? (message.record as unknown as CallRecord)
    : undefined;
