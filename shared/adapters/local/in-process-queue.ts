import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DispatchMessage } from '../../calls/dispatch-queue.ts';
import {
  MAX_QUEUE_DELAY_SECONDS,
  type MessageQueue,
  type SendOptions,
} from '../../queue/message-queue.ts';

export interface InProcessQueueOptions {
  /** How long a received message stays hidden before it is delivered again. */
  visibilityTimeoutMs: number;
  /** A message received more often than this goes to the dead-letter list. */
  maxReceives: number;
  batchSize: number;
  /** Batches handed to the consumer at once (Lambda's concurrency). */
  concurrency: number;
}

interface StoredMessage {
  id: string;
  body: string;
  sentAt: number;
  receiveCount: number;
  visibleAt: number;
}

export type QueueConsumer = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

interface QueueEvents {
  'dead-letter': [message: { id: string; body: string; receiveCount: number }];
  'consumer-error': [error: unknown];
  idle: [];
}

/**
 * The dispatch queue for the local runtime, with the SQS behaviour dispatch relies on:
 * at-least-once delivery, a visibility timeout, redelivery of failed messages (the whole batch
 * when the consumer throws, the listed ones for a partial batch response), and dead-lettering
 * after `maxReceives`, and message delays up to SQS's 15 minutes.
 */
export class InProcessQueue<M = DispatchMessage>
  extends EventEmitter<QueueEvents>
  implements MessageQueue<M>
{
  readonly #options: InProcessQueueOptions;
  readonly #messages = new Map<string, StoredMessage>();
  readonly deadLetters: { id: string; body: string; receiveCount: number }[] = [];
  #consumer: QueueConsumer | undefined;
  #running = 0;
  #timer: NodeJS.Timeout | undefined;
  #inFlight = new Set<Promise<void>>();
  #sentCount = 0;

  constructor(options: Partial<InProcessQueueOptions> = {}) {
    super();
    this.#options = {
      visibilityTimeoutMs: options.visibilityTimeoutMs ?? 30_000,
      maxReceives: options.maxReceives ?? 5,
      batchSize: options.batchSize ?? 10,
      concurrency: options.concurrency ?? 2,
    };
  }

  async send(message: M, options: SendOptions = {}): Promise<void> {
    const now = Date.now();
    const id = randomUUID();
    const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, options.delaySeconds ?? 0));
    this.#sentCount += 1;
    this.#messages.set(id, {
      id,
      body: JSON.stringify(message),
      sentAt: now,
      receiveCount: 0,
      visibleAt: now + delaySeconds * 1000,
    });
    // Deliver on a later tick, as a real queue would, never inside the sender's call.
    setImmediate(() => this.#pump());
  }

  /** Messages ever sent, deleted or not. */
  get sentCount(): number {
    return this.#sentCount;
  }

  /** Messages not yet deleted, visible or not. */
  get depth(): number {
    return this.#messages.size;
  }

  start(consumer: QueueConsumer): void {
    this.#consumer = consumer;
    this.#pump();
  }

  /** Stops delivering and waits for the batches in progress. */
  async stop(): Promise<void> {
    this.#consumer = undefined;
    clearTimeout(this.#timer);
    await Promise.all(this.#inFlight);
  }

  #pump(): void {
    if (this.#consumer === undefined) return;
    while (this.#running < this.#options.concurrency) {
      const batch = this.#receive(Date.now());
      if (batch.length === 0) break;
      this.#deliver(this.#consumer, batch);
    }
    this.#scheduleNextVisible();
    if (this.#running === 0 && this.#messages.size === 0) this.emit('idle');
  }

  #receive(now: number): StoredMessage[] {
    const batch: StoredMessage[] = [];
    for (const message of this.#messages.values()) {
      if (batch.length >= this.#options.batchSize) break;
      if (message.visibleAt > now) continue;
      message.receiveCount += 1;
      if (message.receiveCount > this.#options.maxReceives) {
        this.#messages.delete(message.id);
        const dead = { id: message.id, body: message.body, receiveCount: message.receiveCount - 1 };
        this.deadLetters.push(dead);
        this.emit('dead-letter', dead);
        continue;
      }
      message.visibleAt = now + this.#options.visibilityTimeoutMs;
      batch.push(message);
    }
    return batch;
  }

  #deliver(consumer: QueueConsumer, batch: StoredMessage[]): void {
    this.#running += 1;
    const done = (async () => {
      try {
        const response = await consumer({ Records: batch.map(toSqsRecord) });
        const failed = new Set(response?.batchItemFailures.map((f) => f.itemIdentifier) ?? []);
        for (const message of batch) if (!failed.has(message.id)) this.#messages.delete(message.id);
      } catch (error) {
        // The whole batch stays and becomes visible again after the timeout.
        this.emit('consumer-error', error);
      } finally {
        this.#running -= 1;
      }
    })();
    this.#inFlight.add(done);
    void done.then(() => {
      this.#inFlight.delete(done);
      this.#pump();
    });
  }

  #scheduleNextVisible(): void {
    clearTimeout(this.#timer);
    if (this.#consumer === undefined) return;
    let next = Number.POSITIVE_INFINITY;
    for (const message of this.#messages.values()) next = Math.min(next, message.visibleAt);
    if (next === Number.POSITIVE_INFINITY) return;
    this.#timer = setTimeout(() => this.#pump(), Math.max(0, next - Date.now()));
    this.#timer.unref();
  }
}

const toSqsRecord = (message: StoredMessage): SQSRecord => ({
  messageId: message.id,
  receiptHandle: `${message.id}#${message.receiveCount}`,
  body: message.body,
  attributes: {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentAt),
    SenderId: 'local',
    ApproximateFirstReceiveTimestamp: String(message.sentAt),
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:local:000000000000:callhook-dispatch',
  awsRegion: 'local',
});
