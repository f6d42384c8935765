import { BackendError } from '../backends/backend-error.ts';
import { backendOfRecord } from '../backends/client-registry.ts';
import type { ConnectionSettings } from '../backends/connection.ts';
import type { FollowUp } from '../backends/outcome-reports.ts';
import { followUpOf } from '../backends/registry.ts';
import { announce } from '../calls/announce.ts';
import {
  currentAttempt,
  currentDial,
  currentExternalId,
  type Dial,
  externalIdOf,
  factsOf,
  type ReportedOutcome,
  supersede,
  withCurrentDial,
  withDial,
} from '../calls/attempts.ts';
import type { CallRecord } from '../calls/call-record.ts';
import type { CallStore } from '../calls/call-store.ts';
import { type Change, change } from '../calls/lifecycle.ts';
import { answeredAtOf, outcomeFromReport } from '../calls/outcome-from-report.ts';
import { decideCustomerCalledIn } from '../calls/stop-decisions.ts';
import type { CallhookConfig, RouteConfig } from '../config/schema.ts';
import type { ContactCapStore } from '../guardrails/contact-cap.ts';
import type { Logger } from '../logging/logger.ts';
import { maskContactIn } from '../logging/mask.ts';
import type { LimitsStore } from '../pacing/limits-store.ts';
import { limitWindowOf } from './failure-decision.ts';
import {
  attemptStartedAt,
  MAX_OUTCOME_GAP_MS,
  nextLookAfterFailure,
  nextOutcomeLookAt,
  outcomeAfterMs,
  outcomeWindowEnd,
} from './outcome-timing.ts';
import { planRedial } from './redial-plan.ts';
import type { SweepTiming } from './sweep-timing.ts';

export interface OutcomeDeps {
  config: CallhookConfig;
  store: CallStore;
  /** The limits table, where the account's Data API budget is one more item. */
  limits: LimitsStore;
  connection: ConnectionSettings;
  logger: Logger;
  now: () => Date;
  timing: SweepTiming;
  /** The per-number cap, which every redial is charged to; without it nothing is redialled. */
  contacts?: ContactCapStore;
}

/** What one look at the report came to, about the attempt it looked for. */
export type ReportLook = { attempt: number } & LookResult;

type LookResult =
  /**
   * The report has the attempt, ended: its outcome, and when the customer rang the account
   * since the call was accepted, where the route stops for that.
   */
  | { kind: 'ended'; outcome: ReportedOutcome; sessionId: number; customerCalledAt?: Date }
  /** Going on still (only when asked for ongoing sessions): its session id. */
  | { kind: 'ongoing'; sessionId: number }
  /** The report does not show it (yet). */
  | { kind: 'absent' }
  /** Nothing was learned: `resetAt` is when the provider said a look can learn something. */
  | { kind: 'failed'; error: unknown; resetAt: Date | undefined };

/** A `limit` refusal that names no reset time: wait out a minute. */
export const UNKNOWN_RESET_MS = 60_000;

/**
 * Asks the account's reports how the record's current attempt ended: by its session id, or by
 * the attempt's `external_id` when the session id was never learned. Each request is paid from
 * the account's report budget.
 */
export const lookAtReport = async (
  deps: OutcomeDeps,
  record: CallRecord,
  options: { ongoing: boolean },
): Promise<ReportLook> => {
  const attempt = currentAttempt(record);
  const backend = await backendOfRecord(deps, record);
  if (backend?.readReport === undefined) {
    const error = new Error('the account has no reports to read');
    return { attempt, kind: 'failed', error, resetAt: undefined };
  }
  const sessionId = record.call_session_id;
  const contact = record.request?.params.contact;
  // The same word as the inbound-call notification's, for accounts without that template.
  const inbound =
    deps.config.routes[record.route]?.stop_when_customer_calls === true &&
    contact !== undefined &&
    record.customer_called_in === undefined &&
    !options.ongoing
      ? { contact, since: new Date(record.created_at) }
      : undefined;
  try {
    const reported = await backend.readReport(
      {
        lookup: sessionId !== undefined ? { sessionId } : { externalId: currentExternalId(record) },
        window: { from: attemptStartedAt(record), till: deps.now() },
        ongoing: options.ongoing,
        ...(inbound !== undefined && { inbound }),
      },
      { limits: deps.limits, account: record.account, now: deps.now, logger: deps.logger },
    );
    return { attempt, ...reported };
  } catch (error) {
    // A refusal for points waits for the reset it names, or a minute where it names none.
    const resetAt =
      error instanceof BackendError && error.classification === 'limit'
        ? (error.limits?.[limitWindowOf(error) === 'day' ? 'dayResetAt' : 'minuteResetAt'] ??
          new Date(deps.now().getTime() + UNKNOWN_RESET_MS))
        : undefined;
    return { attempt, kind: 'failed', error, resetAt };
  }
};

const messageOf = (error: unknown, record: CallRecord): string =>
  maskContactIn(
    error instanceof Error ? error.message : String(error),
    record.request?.params.contact,
  );

/** A failure an operator has to fix (a key, a whitelist, a component): logged as an error. */
const needsOperator = (error: unknown): boolean =>
  !(error instanceof BackendError) ||
  !['limit', 'unreachable', 'ambiguous'].includes(error.classification);

export type SettleResult = 'completed' | 'confirmed' | 'redialled' | 'noted' | 'unchanged';

/** What a report says of one attempt, as its entry keeps it. */
const reportedDial = (
  reported: { outcome: ReportedOutcome; sessionId: number },
  now: Date,
  answeredAt: string | undefined,
): Partial<Dial> => {
  const { outcome } = reported;
  const answered = answeredAt ?? answeredAtOf(outcome);
  return {
    call_session_id: reported.sessionId,
    outcome,
    reported_at: now.toISOString(),
    ended_at: outcome.ended_at,
    ...(answered !== undefined && { answered_at: answered }),
  };
};

const sameOutcome = (a: ReportedOutcome | undefined, b: ReportedOutcome): boolean =>
  a !== undefined &&
  a.result === b.result &&
  a.finish_reason === b.finish_reason &&
  a.talk_s === b.talk_s &&
  a.wait_s === b.wait_s &&
  a.ended_at === b.ended_at;

/**
 * What a report about attempt `attempt` changes, decided on the call as stored:
 * - about an attempt the call is no longer on, or a call that is over without it: noted on that
 *   attempt, and nothing else moves;
 * - the current attempt of a `placed` call: `completed`, or `scheduled` for the next attempt
 *   where the route redials on the result (`planRedial`, on this record) and the per-number cap
 *   admitted that attempt (`admitted`);
 * - an `unknown` call found ended in the report: `completed`, never redialled;
 * - a `completed` call: its outcome confirmed or corrected; nothing is dialled.
 */
export const decideReported = (
  route: RouteConfig | undefined,
  current: CallRecord,
  reported: { attempt: number; outcome: ReportedOutcome; sessionId: number },
  context: {
    now: Date;
    redial: boolean;
    admitted: (attempt: number) => boolean;
    reason?: string;
    capReason: string;
  },
): Change | undefined => {
  const { now } = context;
  const { outcome, attempt } = reported;
  const known = factsOf(current, attempt);
  // An attempt never made, or one whose entry is long gone: nothing of it decides anything.
  if (known === undefined || sameOutcome(known.outcome, outcome)) return undefined;
  const said = `report: ${outcome.result}${outcome.finish_reason === null ? '' : ` (${outcome.finish_reason})`}`;
  if (attempt !== currentAttempt(current)) {
    const dials = withDial(current, attempt, reportedDial(reported, now, known.answered_at));
    return change('attemptNoted', now, { set: { dials } });
  }
  const settled = {
    outcome: outcomeFromReport(current.outcome, outcome),
    call_session_id: reported.sessionId,
  };
  if (!['placed', 'unknown', 'completed'].includes(current.status)) {
    // Over (cancelled, failed) while its report was read: the outcome is noted, nothing moves.
    return change('attemptNoted', now, { set: settled });
  }
  const notified = current.outcome?.reported_by === 'notification' ? current.outcome : undefined;
  const disagreed =
    notified?.result !== undefined && notified.result !== outcome.result
      ? `; the notification said ${notified.result}`
      : '';
  const prefix = `${context.reason === undefined ? said : `${context.reason}; ${said}`}${disagreed}`;
  if (current.status === 'completed') {
    return change('reportConfirmed', now, { reason: prefix, set: settled });
  }
  if (current.status === 'unknown') {
    return change('foundEnded', now, { reason: prefix, set: settled });
  }
  let plan = context.redial ? planRedial(route, current, outcome, now) : { kind: 'none' as const };
  if (plan.kind === 'redial' && !context.admitted(plan.attempt)) {
    plan = { kind: 'none', why: context.capReason };
  }
  if (plan.kind === 'redial') {
    const due = plan.at.toISOString();
    const max = route?.redial?.max ?? 0;
    return change('redialScheduled', now, {
      reason: `${prefix}; redial ${plan.attempt - 1} of ${max} due ${due}`,
      set: {
        attempt: plan.attempt,
        redials: (current.redials ?? 0) + 1,
        // The attempt that ended keeps its session and report; the next starts without.
        dials: supersede({ ...current, ...settled }, plan.attempt, 'redial'),
        due_at: due,
        sweep_at: due,
        // A fresh allowance of tries for the provider being out of reach, as a retry gets.
        max_attempts: current.attempts + (route?.max_attempts ?? 1),
      },
    });
  }
  const why = plan.kind === 'none' && plan.why !== undefined ? `; ${plan.why}` : '';
  return change('reportEnded', now, { reason: `${prefix}${why}`, set: settled });
};

/**
 * Writes what the report said about the attempt it looked for (`decideReported`). A redial is
 * charged to the per-number cap first, under the next attempt's own external id, so a sweeper
 * that repeats this after a crash is counted once; the write is conditional on the record's
 * version and decided again on a conflict, so a cancel that came first stops the redial, and the
 * attempt is placed only through the queue's conditional claim: at most once. A charge for an
 * attempt the write did not schedule is released.
 */
export const settleReported = async (
  deps: OutcomeDeps,
  record: CallRecord,
  reported: {
    attempt: number;
    outcome: ReportedOutcome;
    sessionId: number;
    customerCalledAt?: Date;
  },
  options: { redial: boolean; reason?: string },
): Promise<SettleResult> => {
  const now = deps.now();
  const route = deps.config.routes[record.route];
  const { customerCalledAt, ...rest } = reported;
  if (customerCalledAt !== undefined && route !== undefined) {
    // The report shows the customer rang the account: as the inbound-call notification would,
    // no attempt (no redial, no escalation) follows, decided before this report is settled.
    const since = Date.parse(record.created_at);
    if (customerCalledAt.getTime() - since <= route.customer_call_window_minutes * 60_000) {
      const stopped = await deps.store.update(
        record.call_id,
        (current) => decideCustomerCalledIn(current, now),
        record,
      );
      announce(deps.logger, stopped, { learned_from: 'report' });
      if (stopped.kind === 'changed') return settleReported(deps, stopped.record, rest, options);
    }
  }
  const contact = record.request?.params.contact;
  const capReason = `no redial: the number has had its ${deps.config.per_number_daily_limit} calls in 24 hours`;
  const charged = new Map<number, boolean>();
  // The cap is asked before the write, for the attempt a redial would be on as the call was
  // read; a decision made again on a newer record that wants another attempt does not redial.
  if (options.redial && record.status === 'placed' && reported.attempt === currentAttempt(record)) {
    const plan = planRedial(route, record, reported.outcome, now);
    if (plan.kind === 'redial') {
      const admitted =
        deps.contacts !== undefined &&
        contact !== undefined &&
        (await deps.contacts.admit(
          contact,
          externalIdOf(record.call_id, plan.attempt),
          now,
          deps.config.per_number_daily_limit,
        )) !== 'refused';
      charged.set(plan.attempt, admitted);
    }
  }
  const updated = await deps.store.update(
    record.call_id,
    (current) =>
      decideReported(route, current, reported, {
        now,
        redial: options.redial,
        admitted: (attempt) => charged.get(attempt) === true,
        capReason,
        ...(options.reason !== undefined && { reason: options.reason }),
      }),
    record,
  );
  const redial =
    updated.kind === 'changed' && updated.change.name === 'redialScheduled'
      ? updated.record
      : undefined;
  const scheduled = redial === undefined ? undefined : currentAttempt(redial);
  if (route?.redial !== undefined && contact !== undefined && deps.contacts !== undefined) {
    // A charge for an attempt that will not be made (the call changed meanwhile, the chain
    // ended) must not count; nor one a crashed run left for the attempt after the last.
    const unmade = new Set([...charged.keys(), reported.attempt + 1]);
    if (scheduled !== undefined) unmade.delete(scheduled);
    const stored = updated.kind === 'absent' ? undefined : updated.record;
    for (const attempt of unmade) {
      // The chain has gone past it (another sweeper scheduled it): its count stands.
      if (stored !== undefined && currentAttempt(stored) >= attempt) continue;
      await deps.contacts.release(contact, externalIdOf(record.call_id, attempt));
    }
  }
  announce(deps.logger, updated, {
    result: reported.outcome.result,
    ...(redial !== undefined && { attempt: scheduled, due_at: redial.due_at }),
  });
  if (updated.kind !== 'changed') return 'unchanged';
  switch (updated.change.name) {
    case 'redialScheduled':
      return 'redialled';
    case 'reportConfirmed':
      return 'confirmed';
    case 'attemptNoted':
      return 'noted';
    default:
      return 'completed';
  }
};

/**
 * A placed call (or one a notification completed) whose report the sweeper looks at: ended,
 * it is settled (`settleReported`); not shown yet, it is looked at again later, until its
 * window closes, after which it stays as it is; a look that learned nothing waits for the
 * reset the provider named, else longer after each such look in a row, within the window.
 */
export const followUpOutcome = async (
  deps: OutcomeDeps,
  record: CallRecord,
  followUp: FollowUp = followUpOf(deps.config, record.account),
): Promise<SettleResult> => {
  const attempt = currentAttempt(record);
  /** Only while the call is where the look found it: same state, same attempt. */
  const whileAsRead =
    (decide: (current: CallRecord) => Change | undefined) => (current: CallRecord) =>
      current.status === record.status && currentAttempt(current) === attempt
        ? decide(current)
        : undefined;
  if (followUp !== 'report') {
    // No report to read (a JAICP call an operator hung up, an account whose key was removed):
    // nothing for the sweeper to wait for. A placed call whose end was notified ends as the
    // notification said; any other stays as it is, and is not looked at again.
    const settled = await deps.store.update(
      record.call_id,
      whileAsRead((current) =>
        current.status === 'placed' && factsOf(current, attempt)?.ended_at !== undefined
          ? change('reportMissing', deps.now(), {
              reason: 'no report to read: the notification stands',
            })
          : change('lookNotNeeded', deps.now()),
      ),
      record,
    );
    announce(deps.logger, settled);
    return settled.kind === 'changed' && settled.change.name === 'reportMissing'
      ? 'completed'
      : 'unchanged';
  }
  const look = await lookAtReport(deps, record, { ongoing: false });
  if (look.kind === 'ended') return settleReported(deps, record, look, { redial: true });
  const now = deps.now();
  const startedAt = attemptStartedAt(record);
  const failedLooks = currentDial(record).failed_looks ?? 0;
  const next =
    look.kind === 'failed'
      ? nextLookAfterFailure({
          now,
          failedLooks,
          baseMs: outcomeAfterMs(deps.timing),
          capMs: MAX_OUTCOME_GAP_MS,
          ...(look.resetAt !== undefined && { resetAt: look.resetAt }),
          until: outcomeWindowEnd(startedAt, deps.timing),
        })
      : nextOutcomeLookAt(startedAt, now, deps.timing);
  if (look.kind === 'failed') {
    const level = needsOperator(look.error) ? 'error' : 'warn';
    deps.logger[level]('call outcome: report look failed', {
      call_id: record.call_id,
      error_message: messageOf(look.error, record),
      ...(level === 'error' && { metric: 'DataApiFailed' }),
      ...(next !== undefined && { next_look_at: next.toISOString() }),
    });
  }
  if (next !== undefined) {
    // Quiet: nothing about the call changed, and frequent looks must not fill its history.
    await deps.store.update(
      record.call_id,
      whileAsRead((current) =>
        change('lookDeferred', now, {
          set: {
            sweep_at: next.toISOString(),
            // Only a look that failed, or the first to succeed after some did, touches the
            // attempt's entry: a call whose looks answer carries none.
            ...((look.kind === 'failed' || failedLooks > 0) && {
              dials: withCurrentDial(current, {
                failed_looks: look.kind === 'failed' ? failedLooks + 1 : 0,
              }),
            }),
          },
        }),
      ),
      record,
    );
    return 'unchanged';
  }
  const givenUp = await deps.store.update(
    record.call_id,
    whileAsRead((current) =>
      change(
        current.status === 'placed' && factsOf(current, attempt)?.ended_at !== undefined
          ? 'reportMissing'
          : 'lookGivenUp',
        now,
        {
          reason:
            look.kind === 'failed'
              ? `no outcome from the report: ${messageOf(look.error, record)}`
              : 'the report never showed how the call ended',
        },
      ),
    ),
    record,
  );
  announce(deps.logger, givenUp);
  return 'unchanged';
};
