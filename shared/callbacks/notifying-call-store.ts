import type { CallRecord } from '../calls/call-record.ts';
import type {
  CallPage,
  CallQuery,
  CallStore,
  CreateOutcome,
  Decide,
  Updated,
} from '../calls/call-store.ts';
import { toCallView } from '../calls/call-view.ts';
import { firstTalkAt, leadTimeOf } from '../calls/speed-to-lead.ts';
import type { CallhookConfig } from '../config/schema.ts';
import type { Logger } from '../logging/logger.ts';
import type { CallbackQueue } from './callback-message.ts';

/** The event type every status callback carries, after Standard Webhooks' `type` member. */
export const STATUS_CHANGED = 'call.status_changed';

/**
 * A CallStore that queues a status callback after every write that changes a call's state, for
 * routes with a `callback_url`, and logs a call's speed to lead when it is first answered. Whoever changes the state (dispatch, sweeper, provider events,
 * an operator), the callback follows, and its delivery never holds up the change: a queue that
 * fails is logged, and the state change stands.
 */
export class NotifyingCallStore implements CallStore {
  readonly #inner: CallStore;
  readonly #config: CallhookConfig;
  readonly #callbacks: CallbackQueue;
  readonly #logger: Logger;

  constructor(inner: CallStore, config: CallhookConfig, callbacks: CallbackQueue, logger: Logger) {
    this.#inner = inner;
    this.#config = config;
    this.#callbacks = callbacks;
    this.#logger = logger;
  }

  async create(record: CallRecord, now: Date): Promise<CreateOutcome> {
    const outcome = await this.#inner.create(record, now);
    if (outcome.created) await this.#notify(record);
    return outcome;
  }

  get(callId: string): Promise<CallRecord | undefined> {
    return this.#inner.get(callId);
  }

  async update(callId: string, decide: Decide, known?: CallRecord): Promise<Updated> {
    const updated = await this.#inner.update(callId, decide, known);
    if (updated.kind === 'changed') {
      this.#measureLead(updated.previous, updated.record);
      if (updated.previous.status !== updated.record.status) await this.#notify(updated.record);
    }
    return updated;
  }

  /**
   * The first answer of a call on a route with a speed-to-lead target: its lead time, and
   * whether it met the target, for the metric and its alarm (`observability.ts`). Only the
   * write that first records an answer says so, so each call counts once.
   */
  #measureLead(previous: CallRecord, record: CallRecord): void {
    const target = this.#config.routes[record.route]?.target;
    if (target === undefined || firstTalkAt(previous) !== undefined) return;
    const lead = leadTimeOf(record, target);
    if (lead === undefined) return;
    this.#logger.info('speed to lead', {
      call_id: record.call_id,
      route: record.route,
      lead_ms: lead.lead_ms,
      met: lead.met ? 1 : 0,
    });
  }

  listDue(...args: Parameters<CallStore['listDue']>): Promise<CallRecord[]> {
    return this.#inner.listDue(...args);
  }

  list(query: CallQuery): Promise<CallPage> {
    return this.#inner.list(query);
  }

  findBySession(sessionKey: string): Promise<CallRecord | undefined> {
    return this.#inner.findBySession(sessionKey);
  }

  async #notify(record: CallRecord): Promise<void> {
    if (this.#config.routes[record.route]?.callback_url === undefined) return;
    // The record's version numbers its writes: one id per state change, the same on every retry.
    const webhookId = `${record.call_id}.${record.version}`;
    const body = JSON.stringify({
      type: STATUS_CHANGED,
      timestamp: record.updated_at,
      data: toCallView(record),
    });
    await this.#callbacks
      .send({
        webhook_id: webhookId,
        route: record.route,
        body,
        attempt: 1,
        call_id: record.call_id,
        status: record.status,
      })
      .catch((error: unknown) => {
        this.#logger.error('could not queue a status callback', {
          call_id: record.call_id,
          webhook_id: webhookId,
          error,
          metric: 'CallbackNotQueued',
        });
      });
  }
}
