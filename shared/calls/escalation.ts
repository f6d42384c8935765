import type { CallRecord, CallStatus, Escalation } from './call-record.ts';
import { type Change, change, ruleOf, statusAfter, writeOf } from './lifecycle.ts';
import { stopWordOf } from './stop-words.ts';

/** Over for good: completed, with no look at its report still to come. */
const settled = (status: CallStatus, sweepAt: string | undefined): boolean =>
  status === 'completed' && sweepAt === undefined;

/** Whether the escalation has been decided one way or the other (due, made or refused). */
const decided = (escalation: Escalation): boolean =>
  escalation.due_at !== undefined ||
  escalation.made_at !== undefined ||
  escalation.refused !== undefined;

/** A call whose escalation the sweeper has still to make (`shared/dispatch/escalate.ts`). */
export const escalationPending = (record: CallRecord): boolean =>
  record.status === 'completed' &&
  record.escalation?.due_at !== undefined &&
  record.escalation.made_at === undefined &&
  record.escalation.refused === undefined;

/**
 * The change `decision` makes, and, where it is the one that settles the call (completed, no
 * report look to come) with a result its route escalates on, the escalation made due in the
 * same write: the sweeper is due at once to make the linked call. Every write of a call passes
 * here (`CallStore.update`), so whichever path ends a call (a notification, a report, a look
 * given up) cannot forget it, and it is decided once: a call already settled, or whose
 * escalation is decided, is left as the decision says. A call the sender cancelled, whose
 * customer called in, or whose redials an operator stopped is not escalated: the escalation
 * is marked refused with why, in the same write.
 */
export const withEscalationDue = (
  current: CallRecord,
  decision: Change | undefined,
): Change | undefined => {
  const escalation = current.escalation;
  if (decision === undefined || escalation === undefined || decided(escalation)) return decision;
  if (settled(current.status, current.sweep_at)) return decision;
  // Only a rule whose sweep time a change may name can carry the sweeper's due time; every
  // transition that may settle a call has one (`lifecycle.ts`).
  if (ruleOf(decision.name).sweep !== 'given') return decision;
  const { set, remove } = writeOf(decision);
  const sweepAfter = remove.includes('sweep_at') ? undefined : (set.sweep_at ?? current.sweep_at);
  if (!settled(statusAfter(decision.name, current.status), sweepAfter)) return decision;
  const outcome =
    'outcome' in set ? set.outcome : remove.includes('outcome') ? undefined : current.outcome;
  const result = outcome?.result;
  if (result === undefined || result === 'talked' || !escalation.when.includes(result)) {
    return decision;
  }
  const at = decision.at.toISOString();
  const after = { ...current, ...set };
  const stop =
    stopWordOf(after) ??
    (after.redial_stopped === undefined ? undefined : `redials stopped: ${after.redial_stopped}`);
  const prefix = decision.reason === undefined ? '' : `${decision.reason}; `;
  if (stop !== undefined) {
    return change(decision.name, decision.at, {
      reason: `${prefix}not escalated: ${stop}`,
      set: { ...set, escalation: { ...escalation, refused: stop } },
    });
  }
  return change(decision.name, decision.at, {
    reason: `${prefix}escalation to route ${escalation.to} due (${result})`,
    set: { ...set, escalation: { ...escalation, due_at: at }, sweep_at: at },
  });
};
