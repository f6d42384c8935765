import { announce } from '../calls/announce.ts';
import type { CallRecord, SenderCancel } from '../calls/call-record.ts';
import type { CallStatus } from '../calls/call-status.ts';
import { callIdFor, type KeySource } from '../calls/idempotency.ts';
import { passStopToEscalation } from '../calls/linked-stop.ts';
import { decideSenderCancel } from '../calls/stop-decisions.ts';
import type { IngestDeps } from './ingest-deps.ts';

/** What the word needs of ingest's ports: it reads the config and writes the call. */
export type SenderCancelDeps = Pick<IngestDeps, 'config' | 'store' | 'logger'>;

/** A cancelling route's event: the call it names, by the route it cancels and the event key. */
export interface SenderCancelInput {
  /** The cancelling route. */
  routeName: string;
  /** The route whose call it cancels (its `cancels`). */
  target: string;
  /** The key its event gave; the target's event with the same key has this call. */
  event: { source: KeySource; key: string };
  now: Date;
}

/** What became of the call the sender's word named, and whether the word was new. */
export interface SenderCancelResult {
  callId: string;
  /** The call's state after the word: `skipped` for a call stored ahead of its event. */
  callStatus: CallStatus;
  duplicate: boolean;
}

/** How often the word is decided again when the call appears between a look and a write. */
const TRIES = 3;

/**
 * The call as a cancel that came before its event stores it: `skipped`, so that the event,
 * when it comes, finds its call id taken and is answered as skipped (`cancelled_by_sender`).
 * It holds no number: the event that would have given one has not come.
 */
const storedAhead = (
  deps: SenderCancelDeps,
  input: SenderCancelInput,
  callId: string,
  word: SenderCancel,
): CallRecord => {
  const at = input.now.toISOString();
  const message = `The sender cancelled this event's call (route ${input.routeName}) before the event came.`;
  return {
    call_id: callId,
    route: input.target,
    account: deps.config.routes[input.target]?.account ?? '',
    status: 'skipped',
    event_key: input.event.key.slice(0, 256),
    key_source: input.event.source,
    // Every delivery of a skipped event is a repeat of it, whatever it holds.
    fingerprint: 'skipped',
    attempts: 0,
    max_attempts: 0,
    error: { reason: 'cancelled_by_sender', message },
    cancelled_by_sender: word,
    history: [
      {
        status: 'skipped',
        at,
        reason: `cancelled_by_sender: route ${input.routeName} cancelled it before its event came`,
      },
    ],
    version: 1,
    created_at: at,
    updated_at: at,
    expires_at: Math.floor(input.now.getTime() / 1000) + deps.config.retention_days * 86_400,
  };
};

/**
 * A cancelling route's event: the sender says the call of its target route for the same event
 * key is no longer wanted (an order cancelled, refunded, deleted). The call id follows from the
 * target and the key alone, as the call's own event derives it, so the word reaches the call
 * whichever comes first, with no index to read; a word that comes first is kept, as the call
 * itself, for the retention period.
 */
export const cancelOnSendersWord = async (
  deps: SenderCancelDeps,
  input: SenderCancelInput,
): Promise<SenderCancelResult> => {
  const callId = callIdFor(input.target, input.event.source, input.event.key);
  const word: SenderCancel = { at: input.now.toISOString(), route: input.routeName };
  for (let tries = 0; tries < TRIES; tries++) {
    const updated = await deps.store.update(callId, (current) =>
      decideSenderCancel(current, word, input.now),
    );
    if (updated.kind === 'changed') {
      announce(deps.logger, updated, { by_route: input.routeName });
      await passStopToEscalation(deps, updated.record, input.now);
      return { callId, callStatus: updated.record.status, duplicate: false };
    }
    if (updated.kind === 'unchanged') {
      return { callId, callStatus: updated.record.status, duplicate: true };
    }
    const ahead = storedAhead(deps, input, callId, word);
    const created = await deps.store.create(ahead, input.now);
    if (created.created) {
      deps.logger.info('call cancelled ahead by the sender', {
        call_id: callId,
        route: input.target,
        by_route: input.routeName,
      });
      return { callId, callStatus: 'skipped', duplicate: false };
    }
    // The event came in between: the word is decided on its call.
  }
  throw new Error(`call ${callId} changed under the sender's cancel ${TRIES} times`);
};
