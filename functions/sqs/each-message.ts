import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseJsonOrUndefined } from '../../shared/json/parse-json.ts';
import type { LogAttributes, Logger } from '../../shared/logging/logger.ts';

/** A message schema (Zod Mini's `safeParse`). */
interface MessageSchema<M> {
  safeParse(value: unknown): { success: true; data: M } | { success: false };
}

export interface MessageConsumer<M> {
  /**
   * What travels on the queue. A body it refuses is logged and dropped: no redelivery makes it
   * valid.
   */
  schema: MessageSchema<M>;
  /** The message's name in the line logged for a dropped one. */
  name: string;
  logger: Logger;
  handle: (message: M) => Promise<void>;
  /** The line logged when `handle` throws, and what it says of the message. */
  failed: { log: string; about: (message: M) => LogAttributes };
}

/**
 * An SQS consumer's body: handles the batch's messages each on its own, all at once, and reports
 * those whose handling threw (the event source mapping has `ReportBatchItemFailures`), so that
 * SQS deletes the others and delivers only those again.
 */
export const eachMessage =
  <M>(consumer: MessageConsumer<M>) =>
  async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const outcomes = await Promise.all(
      event.Records.map(async (record): Promise<SQSBatchItemFailure | undefined> => {
        const parsed = consumer.schema.safeParse(parseJsonOrUndefined(record.body));
        if (!parsed.success) {
          consumer.logger.error(`dropping malformed ${consumer.name} message`, {
            messageId: record.messageId,
          });
          return undefined;
        }
        try {
          await consumer.handle(parsed.data);
          return undefined;
        } catch (error) {
          consumer.logger.error(consumer.failed.log, {
            ...consumer.failed.about(parsed.data),
            error,
          });
          return { itemIdentifier: record.messageId };
        }
      }),
    );
    return { batchItemFailures: outcomes.filter((failure) => failure !== undefined) };
  };
