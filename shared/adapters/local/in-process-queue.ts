import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DispatchMessage } from '../../calls/dispatch-queue.ts';
import {
  MAX_QUEUE_DELAY_SECONDS,
  type MessageQueue,
  type SendOptions,
} from '../../queue/message-queue.ts';
import { MessageFiles, type StoredMessage } from './message-files.ts';

export interface InProcessQueueOptions {
  /** How long a received message stays hidden before it is delivered again. */
  visibilityTimeoutMs: number;
  /** A message received more often than this goes to the dead-letter list. */
  maxReceives: number;
  batchSize: number;
  /** Batches handed to the consumer at once (Lambda's concurrency). */
  concurrency: number;
  /**
   * Lambda's `MaximumBatchingWindowInSeconds`, in milliseconds: a batch smaller than
   * `batchSize` waits until this long after its oldest message became visible, for more to
   * join it. 0 (the default) hands over whatever is visible at once.
   */
  batchingWindowMs: number;
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
 * after `maxReceives` (into another queue, with `redriveTo`), and message delays up to SQS's
 * 15 minutes. In memory, unless opened with `InProcessQueue.persistent(dir)`: then every
 * message is also a file in `dir` (see MessageFiles), and a queue opened again on that folder,
 * after a clean stop or a kill, goes on with the same messages, receive counts, delays and
 * visibility timeouts.
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
  #files: MessageFiles | undefined;

  /** A queue whose messages live in `dir` as well, and the messages already there. */
  static async persistent<M = DispatchMessage>(
    dir: string,
    options: Partial<InProcessQueueOptions> = {},
  ): Promise<InProcessQueue<M>> {
    const { files, messages } = await MessageFiles.open(dir);
    const queue = new InProcessQueue<M>(options);
    queue.#files = files;
    for (const message of messages) queue.#messages.set(message.id, message);
    return queue;
  }

  constructor(options: Partial<InProcessQueueOptions> = {}) {
    super();
    this.#options = {
      visibilityTimeoutMs: options.visibilityTimeoutMs ?? 30_000,
      maxReceives: options.maxReceives ?? 5,
      batchSize: options.batchSize ?? 10,
      concurrency: options.concurrency ?? 2,
      batchingWindowMs: options.batchingWindowMs ?? 0,
    };
  }

  async send(message: M, options: SendOptions = {}): Promise<void> {
    const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, options.delaySeconds ?? 0));
    await this.#keep(randomUUID(), JSON.stringify(message), delaySeconds * 1000);
  }

  /**
   * SQS's redrive policy: every message this queue dead-letters from now on is also moved to
   * `target`, its id and body unchanged, for the target's consumer to receive.
   */
  redriveTo(target: InProcessQueue<M>): this {
    this.on('dead-letter', (message) => {
      target
        .#keep(message.id, message.body, 0)
        .catch((error: unknown) => target.emit('consumer-error', error));
    });
    return this;
  }

  async #keep(id: string, body: string, delayMs: number): Promise<void> {
    const now = Date.now();
    const stored: StoredMessage = {
      id,
      body,
      sentAt: now,
      receiveCount: 0,
      visibleAt: now + delayMs,
    };
    // Sent means kept: the sender hears of it only once the message is on disk.
    await this.#files?.save(stored, { durable: true });
    this.#sentCount += 1;
    this.#messages.set(id, stored);
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

  /** Resolves once the queue holds no message and no batch is being handled. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      if (this.depth === 0) resolve();
      else this.once('idle', resolve);
    });
  }

  start(consumer: QueueConsumer): void {
    this.#consumer = consumer;
    this.#pump();
  }

  /** Stops delivering and waits for the batches in progress (and their writes to disk). */
  async stop(): Promise<void> {
    this.#consumer = undefined;
    clearTimeout(this.#timer);
    await Promise.all(this.#inFlight);
    await this.#files?.settled();
  }

  #pump(): void {
    if (this.#consumer === undefined) return;
    while (this.#running < this.#options.concurrency) {
      const now = Date.now();
      if (this.#batchReadyAt(now) > now) break;
      const batch = this.#receive(now);
      if (batch.length === 0) break;
      this.#deliver(this.#consumer, batch);
    }
    this.#scheduleNextVisible();
    if (this.#running === 0 && this.#messages.size === 0) this.emit('idle');
  }

  /**
   * When the next batch may go: now if a full batch is visible, or the window has passed since
   * the oldest visible message became visible; never while nothing is visible.
   */
  #batchReadyAt(now: number): number {
    let visible = 0;
    let oldest = Number.POSITIVE_INFINITY;
    for (const message of this.#messages.values()) {
      if (message.visibleAt > now) continue;
      visible += 1;
      oldest = Math.min(oldest, message.visibleAt);
      if (visible >= this.#options.batchSize) return now;
    }
    return oldest === Number.POSITIVE_INFINITY
      ? oldest
      : Math.max(now, oldest + this.#options.batchingWindowMs);
  }

  #receive(now: number): StoredMessage[] {
    const batch: StoredMessage[] = [];
    for (const message of this.#messages.values()) {
      if (batch.length >= this.#options.batchSize) break;
      if (message.visibleAt > now) continue;
      message.receiveCount += 1;
      if (message.receiveCount > this.#options.maxReceives) {
        this.#messages.delete(message.id);
        this.#files
          ?.remove(message.id)
          .catch((error: unknown) => this.emit('consumer-error', error));
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
        // Written ahead: a kill while the consumer works leaves each message received once more
        // and hidden until its timeout, so a message that kills its consumer is dead-lettered.
        const files = this.#files;
        if (files !== undefined) await Promise.all(batch.map((message) => files.save(message)));
        const response = await consumer({ Records: batch.map(toSqsRecord) });
        const failed = new Set(response?.batchItemFailures.map((f) => f.itemIdentifier) ?? []);
        const handled = batch.filter((message) => !failed.has(message.id));
        for (const message of handled) this.#messages.delete(message.id);
        if (files !== undefined) {
          await Promise.all(handled.map((message) => files.remove(message.id)));
        }
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
    const now = Date.now();
    // A visible message waits for its batch's window; a hidden one for its time to show. While
    // every batch the queue may hand over is with the consumer, a visible message waits for
    // one of them to end, and that end pumps the queue: no timer, or it would fire every tick.
    let next =
      this.#running < this.#options.concurrency
        ? this.#batchReadyAt(now)
        : Number.POSITIVE_INFINITY;
    for (const message of this.#messages.values()) {
      if (message.visibleAt > now) next = Math.min(next, message.visibleAt);
    }
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
