import { SendMessageCommand, SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import type { DispatchMessage, DispatchQueue } from '../../calls/dispatch-queue.ts';

/** The dispatch queue on SQS. */
export class SqsDispatchQueue implements DispatchQueue {
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

  async send(message: DispatchMessage): Promise<void> {
    await this.#client.send(
      new SendMessageCommand({ QueueUrl: this.#queueUrl, MessageBody: JSON.stringify(message) }),
    );
  }
}
