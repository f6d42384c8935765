import { announce } from '../calls/announce.ts';
import type { CallRecord, Escalation } from '../calls/call-record.ts';
import { dispatchMessageOf } from '../calls/dispatch-queue.ts';
import { escalationPending } from '../calls/escalation.ts';
import { change } from '../calls/lifecycle.ts';
import { decideLinkedStop } from '../calls/stop-decisions.ts';
import { stopWordOf } from '../calls/stop-words.ts';
import { newCallRecord } from '../ingest/new-call-record.ts';
import type { ChoreDeps } from './chores/chore.ts';

/** What making the linked call came to: made (now or before), or why not. */
type Made = { kind: 'made'; record: CallRecord } | { kind: 'refused'; why: string };

/**
 * Makes the one call an escalation asks for (`calls/escalation.ts` made it due when the call's
 * last attempt ended one of the route's `when` ways), then writes on the call what became of
 * it. In that order, and the linked call is sent to the queue only after the write says
 * `escalated`, so that:
 * - a sweeper that dies between the two makes the same call again (its id follows from this
 *   call's; the per-number cap counts it once), never a second one;
 * - a stop word that reaches this call meanwhile (the sender's cancel, the customer's own call)
 *   is read by the write, which refuses the escalation, and the linked call, made but never
 *   queued, is stopped with the same word.
 */
export const escalate = async (deps: ChoreDeps, record: CallRecord): Promise<boolean> => {
  const escalation = record.escalation;
  if (escalation === undefined || !escalationPending(record)) return false;
  const now = deps.now();
  const stopped = stopWordOf(record);
  const made: Made =
    stopped !== undefined
      ? { kind: 'refused', why: stopped }
      : await makeLinkedCall(deps, record, escalation);
  const updated = await deps.store.update(
    record.call_id,
    (current) => {
      if (!escalationPending(current) || current.escalation === undefined) return undefined;
      const stop = stopWordOf(current);
      const why = made.kind === 'refused' ? made.why : stop;
      return why === undefined
        ? change('escalated', now, {
            reason: `escalated to route ${escalation.to}: call ${escalation.call_id}`,
            set: { escalation: { ...current.escalation, made_at: now.toISOString() } },
          })
        : change('escalationRefused', now, {
            reason: `not escalated to route ${escalation.to}: ${why}`,
            set: { escalation: { ...current.escalation, refused: why } },
          });
    },
    record,
  );
  announce(deps.logger, updated, { to: escalation.to, linked_call_id: escalation.call_id });
  const source = updated.kind === 'absent' ? undefined : updated.record;
  if (source === undefined) return false;
  if (made.kind === 'made' && source.escalation?.made_at !== undefined) {
    if (made.record.status === 'queued') await deps.queue.send(dispatchMessageOf(made.record));
    return updated.kind === 'changed';
  }
  // Refused for a stop word: a linked call made before it (by this visit, or by one that died
  // after making it) must not ring.
  if (stopWordOf(source) !== undefined) {
    const linkedStopped = await deps.store.update(escalation.call_id, (linked) =>
      decideLinkedStop(linked, source, now),
    );
    announce(deps.logger, linkedStopped, { escalated_from: record.call_id });
  }
  return false;
};

/**
 * The linked call on route `to`, stored as a new call is at ingest (queued, or scheduled for
 * the route's calling hours) and charged to the per-number cap first, like every call.
 */
const makeLinkedCall = async (
  deps: ChoreDeps,
  record: CallRecord,
  escalation: Escalation,
): Promise<Made> => {
  const route = deps.config.routes[escalation.to];
  const account = route === undefined ? undefined : deps.config.accounts[route.account];
  if (route === undefined || account === undefined) {
    return { kind: 'refused', why: `route ${escalation.to} is not configured` };
  }
  if (escalation.request === undefined) {
    return { kind: 'refused', why: escalation.problem ?? 'no request was built for it' };
  }
  const now = deps.now();
  const limit = deps.config.per_number_daily_limit;
  // Without the counts nothing is redialled either (`SweepDeps.contacts`).
  if (deps.contacts === undefined) return { kind: 'refused', why: 'no per-number counts' };
  const contact = escalation.request.params.contact;
  if ((await deps.contacts.admit(contact, escalation.call_id, now, limit)) === 'refused') {
    return { kind: 'refused', why: `the number has had its ${limit} calls in 24 hours` };
  }
  const linked = newCallRecord({
    callId: escalation.call_id,
    routeName: escalation.to,
    route,
    account,
    request: escalation.request,
    now,
    retentionDays: deps.config.retention_days,
    lostMessageGraceMs: deps.timing.lostMessageGraceMs,
    reason: `escalated from call ${record.call_id} (${record.route}), nobody answered`,
    ...(record.event_key !== undefined &&
      record.key_source !== undefined && {
        key: { source: record.key_source, key: record.event_key },
      }),
    ...(record.sender_event_at !== undefined && {
      senderEventAt: Date.parse(record.sender_event_at),
    }),
    extra: { escalated_from: record.call_id },
  });
  const created = await deps.store.create(linked, now);
  return { kind: 'made', record: created.created ? linked : created.existing };
};
