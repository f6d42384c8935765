import type { SQSClientConfig } from '@aws-sdk/client-sqs';
import {
  MAX_QUEUE_DELAY_SECONDS,
  type MessageQueue,
  type SendOptions,
} from '../../queue/message-queue.ts';
import { type SQSClient, sqsSdk } from './sdk/sqs.ts';

/**
 * A queue on SQS carrying JSON messages of one shape. Given a client config, it loads the SDK
 * and makes its client on the first send (`sqsSdk`): a function whose queue is for rare paths
 * does not load SQS in its cold start.
 */
export class SqsQueue<M> implements MessageQueue<M> {
  #client: SQSClient | undefined;
  readonly #clientConfig: SQSClientConfig | undefined;
  readonly #queueUrl: string;

  constructor(
    options: { queueUrl: string } & (
      | { client: SQSClient; clientConfig?: never }
      | { client?: never; clientConfig: SQSClientConfig }
    ),
  ) {
    this.#client = options.client;
    this.#clientConfig = options.clientConfig;
    this.#queueUrl = options.queueUrl;
  }

  #sqs(): SQSClient {
    this.#client ??= new (sqsSdk().SQSClient)(this.#clientConfig ?? {});
    return this.#client;
  }

  async send(message: M, options: SendOptions = {}): Promise<void> {
    const delay = options.delaySeconds;
    await this.#sqs().send(
      new (sqsSdk().SendMessageCommand)({
        QueueUrl: this.#queueUrl,
        MessageBody: JSON.stringify(message),
        ...(delay !== undefined && {
          DelaySeconds: Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.ceil(delay))),
        }),
      }),
    );
  }
}
