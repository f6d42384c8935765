import type { SQSClientConfig } from '@aws-sdk/client-sqs';
import {
  MAX_QUEUE_DELAY_SECONDS,
  type MessageQueue,
  type SendOptions,
} from '../../queue/message-queue.ts';
import { SendMessageCommand, SQSClient } from './sdk/sqs.ts';

/** A queue on SQS carrying JSON messages of one shape. */
export class SqsQueue<M> implements MessageQueue<M> {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  constructor(
    options: { queueUrl: string } & (
      | { client: SQSClient; clientConfig?: never }
      | { client?: never; clientConfig: SQSClientConfig }
    ),
  ) {
    this.#client = options.client ?? new SQSClient(options.clientConfig);
    this.#queueUrl = options.queueUrl;
  }

  async send(message: M, options: SendOptions = {}): Promise<void> {
    const delay = options.delaySeconds;
    await this.#client.send(
      new SendMessageCommand({
        QueueUrl: this.#queueUrl,
        MessageBody: JSON.stringify(message),
        ...(delay !== undefined && {
          DelaySeconds: Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.ceil(delay))),
        }),
      }),
    );
  }
}
