import { BackendError } from '../backends/backend-error.ts';
import type { ConnectionSettings } from '../backends/connection.ts';
import {
  ATTEMPTS_LOG_LIMIT,
  currentAttempt,
  currentExternalId,
  type DialAttempt,
  externalIdOf,
  type ReportedOutcome,
} from '../calls/attempts.ts';
import type { CallOutcome, CallRecord } from '../calls/call-record.ts';
import type { CallStore } from '../calls/call-store.ts';
import type { CallhookConfig } from '../config/schema.ts';
import { connectReports } from '../dataapi/connect.ts';
import { MeteredReports } from '../dataapi/metered-reports.ts';
import { outcomeOf } from '../dataapi/outcome-of.ts';
import { reportingAccount } from '../dataapi/reporting-account.ts';
import type { ReportWindow, SessionLookup } from '../dataapi/reports.ts';
import type { ContactCapStore } from '../guardrails/contact-cap.ts';
import type { Logger } from '../logging/logger.ts';
import { maskPhonesIn } from '../logging/mask.ts';
import type { LimitsStore } from '../pacing/limits-store.ts';
import { limitWindowOf } from './failure-decision.ts';
import { attemptStartedAt, nextOutcomeLookAt } from './outcome-timing.ts';
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

/** What one look at the report came to. */
export type ReportLook =
  /** The report has the attempt, ended: its outcome. */
  | { kind: 'ended'; outcome: ReportedOutcome; sessionId: number }
  /** Going on still (only when asked for ongoing sessions): its session id. */
  | { kind: 'ongoing'; sessionId: number }
  /** The report does not show it (yet). */
  | { kind: 'absent' }
  /** Nothing was learned: `at` is when a look can learn something. */
  | { kind: 'failed'; error: unknown; at: Date | undefined };

/** A `limit` refusal that names no reset time: wait out a minute. */
const UNKNOWN_RESET_MS = 60_000;

/**
 * Asks the account's Data API how the record's current attempt ended: its session (by session
 * id, or by the attempt's `external_id` when the session id was never learned), then, once it
 * has ended, its legs. Each request takes a point from the account's Data API budget.
 */
export const lookAtReport = async (
  deps: OutcomeDeps,
  record: CallRecord,
  options: { ongoing: boolean },
): Promise<ReportLook> => {
  const account = reportingAccount(deps.config, record.account);
  if (account === undefined) {
    return { kind: 'failed', error: new Error('the account has no Data API key'), at: undefined };
  }
  const startedAt = attemptStartedAt(record);
  const window: ReportWindow = { from: startedAt, till: deps.now() };
  const lookup: SessionLookup =
    record.call_session_id !== undefined
      ? { sessionId: record.call_session_id }
      : { externalId: currentExternalId(record) };
  try {
    const reports = new MeteredReports({
      reports: await connectReports(account, deps.connection),
      limits: deps.limits,
      account: record.account,
      now: deps.now,
      logger: deps.logger,
    });
    const session = (await reports.session(lookup, window, options.ongoing)).data;
    if (session === undefined) return { kind: 'absent' };
    if (session.finish_time == null) return { kind: 'ongoing', sessionId: session.id };
    const legs = (await reports.legs(session.id, window)).data;
    return { kind: 'ended', outcome: outcomeOf(session, legs, startedAt), sessionId: session.id };
  } catch (error) {
    if (error instanceof BackendError && error.classification === 'limit') {
      const reset = error.limits?.[limitWindowOf(error) === 'day' ? 'dayResetAt' : 'minuteResetAt'];
      const at = reset ?? new Date(deps.now().getTime() + UNKNOWN_RESET_MS);
      return { kind: 'failed', error, at };
    }
    return { kind: 'failed', error, at: undefined };
  }
};

const messageOf = (error: unknown): string =>
  maskPhonesIn(error instanceof Error ? error.message : String(error));

/** A failure an operator has to fix (a key, a whitelist, a component): logged as an error. */
const needsOperator = (error: unknown): boolean =>
  !(error instanceof BackendError) ||
  !['limit', 'unreachable', 'ambiguous'].includes(error.classification);

export type SettleResult = 'completed' | 'confirmed' | 'redialled' | 'unchanged';

/**
 * Writes what the report said about the current attempt: it joins `attempts_log`, becomes the
 * call's `outcome` (the report wins over a notification that said otherwise), and the route's
 * `redial` decides whether the call ends `completed` or waits `scheduled` for its next attempt.
 * A redial is charged to the per-number cap first, under the next attempt's own external id, so
 * a sweeper that repeats this after a crash is counted once; the transition is conditional on
 * the record's version, so of two sweepers only one schedules it, and the attempt is placed only
 * through the queue's conditional claim: at most once.
 */
export const settleReported = async (
  deps: OutcomeDeps,
  record: CallRecord,
  reported: { outcome: ReportedOutcome; sessionId: number },
  options: { redial: boolean; reason?: string },
): Promise<SettleResult> => {
  const now = deps.now();
  const { outcome } = reported;
  const attempt = currentAttempt(record);
  const entry: DialAttempt = {
    attempt,
    external_id: currentExternalId(record),
    call_session_id: reported.sessionId,
    reported_at: now.toISOString(),
    outcome,
  };
  const attemptsLog = [
    ...(record.attempts_log ?? []).filter((logged) => logged.attempt !== attempt),
    entry,
  ].slice(-ATTEMPTS_LOG_LIMIT);
  const notified = record.outcome?.reported_by === 'notification' ? record.outcome : undefined;
  const merged: CallOutcome = {
    ...record.outcome,
    ...outcome,
    answered: outcome.result === 'talked',
    duration_s: outcome.talk_s,
    reported_by: 'report',
  };
  const said = `report: ${outcome.result}${outcome.finish_reason === null ? '' : ` (${outcome.finish_reason})`}`;
  const disagreed =
    notified?.result !== undefined && notified.result !== outcome.result
      ? `; the notification said ${notified.result}`
      : '';
  const route = deps.config.routes[record.route];
  let plan = options.redial ? planRedial(route, record, outcome, now) : { kind: 'none' as const };
  const contact = record.request?.params.contact;
  if (plan.kind === 'redial') {
    const nextId = externalIdOf(record.call_id, plan.attempt);
    const cap =
      deps.contacts === undefined || contact === undefined
        ? 'refused'
        : await deps.contacts.admit(contact, nextId, now, deps.config.per_number_daily_limit);
    if (cap === 'refused') {
      plan = {
        kind: 'none',
        why: `no redial: the number has had its ${deps.config.per_number_daily_limit} calls in 24 hours`,
      };
    }
  }
  // Conditional on the state the report was read in: placed, completed by a notification, or
  // unknown (reconciliation), whichever it was.
  const from = record.status;
  const prefix = options.reason === undefined ? said : `${options.reason}; ${said}`;

  if (plan.kind === 'redial') {
    const due = plan.at.toISOString();
    const max = route?.redial?.max ?? 0;
    const scheduled = await deps.store.transition(
      record.call_id,
      {
        from,
        to: 'scheduled',
        at: now,
        reason: `${prefix}${disagreed}; redial ${plan.attempt - 1} of ${max} due ${due}`,
        set: {
          attempts_log: attemptsLog,
          redials: plan.attempt - 1,
          due_at: due,
          sweep_at: due,
          // A fresh allowance of tries for the provider being out of reach, as a retry gets.
          max_attempts: record.attempts + (route?.max_attempts ?? 1),
        },
        // The old session is the log's now: a late word about it must not find this attempt.
        remove: ['outcome', 'call_session_id', 'session_key', 'backend_id', 'error'],
      },
      record,
    );
    if (scheduled === undefined) {
      const current = await deps.store.get(record.call_id);
      // Another sweeper scheduled this attempt, or the chain has gone past it (this sweeper read
      // the call long ago): its count stands. Otherwise the call changed meanwhile (an operator
      // cancelled it): then the attempt will not be made, and must not count.
      if (
        contact !== undefined &&
        deps.contacts !== undefined &&
        (current?.redials ?? 0) < plan.attempt - 1
      ) {
        await deps.contacts.release(contact, externalIdOf(record.call_id, plan.attempt));
      }
      return 'unchanged';
    }
    deps.logger.info('call redial scheduled', {
      call_id: record.call_id,
      route: record.route,
      result: outcome.result,
      attempt: plan.attempt,
      due_at: due,
      metric: 'CallRedialled',
    });
    return 'redialled';
  }

  const why = plan.kind === 'none' && plan.why !== undefined ? `; ${plan.why}` : '';
  const settled = await deps.store.transition(
    record.call_id,
    {
      from,
      to: 'completed',
      at: now,
      reason: `${prefix}${disagreed}${why}`,
      set: { outcome: merged, attempts_log: attemptsLog, call_session_id: reported.sessionId },
      remove: ['sweep_at', 'lease_owner', 'lease_expires_at'],
    },
    record,
  );
  if (settled === undefined) return 'unchanged';
  if (route?.redial !== undefined && contact !== undefined && deps.contacts !== undefined) {
    // A run that crashed after charging the next attempt (or was refused by the cap) leaves a
    // count for an attempt the chain, now ended, will never make.
    await deps.contacts.release(contact, externalIdOf(record.call_id, attempt + 1));
  }
  if (from === 'completed') return 'confirmed';
  deps.logger.info('call completed', {
    call_id: record.call_id,
    route: record.route,
    result: outcome.result,
    metric: 'CallCompleted',
  });
  return 'completed';
};

/**
 * A placed call (or one a notification completed) whose report the sweeper looks at: ended,
 * it is settled (`settleReported`); not shown yet, it is looked at again later, until its
 * window closes, after which it stays as it is; a look that learned nothing waits for the
 * reset (no points, `-32029`) or for the next look.
 */
export const followUpOutcome = async (
  deps: OutcomeDeps,
  record: CallRecord,
): Promise<SettleResult> => {
  const status = record.status === 'completed' ? 'completed' : 'placed';
  if (reportingAccount(deps.config, record.account) === undefined) {
    // No report to read (a JAICP call an operator hung up, an account whose key was removed):
    // nothing for the sweeper to wait for.
    await deps.store.transition(
      record.call_id,
      { from: status, to: status, at: deps.now(), quiet: true, remove: ['sweep_at'] },
      record,
    );
    return 'unchanged';
  }
  const look = await lookAtReport(deps, record, { ongoing: false });
  if (look.kind === 'ended') return settleReported(deps, record, look, { redial: true });
  const now = deps.now();
  const startedAt = attemptStartedAt(record);
  const next =
    look.kind === 'failed' && look.at !== undefined
      ? look.at
      : nextOutcomeLookAt(startedAt, now, deps.timing);
  if (look.kind === 'failed') {
    const level = needsOperator(look.error) ? 'error' : 'warn';
    deps.logger[level]('call outcome: report look failed', {
      call_id: record.call_id,
      error_message: messageOf(look.error),
      ...(level === 'error' && { metric: 'DataApiFailed' }),
      ...(next !== undefined && { next_look_at: next.toISOString() }),
    });
  }
  if (next !== undefined) {
    // Quiet: nothing about the call changed, and frequent looks must not fill its history.
    await deps.store.transition(
      record.call_id,
      { from: status, to: status, at: now, quiet: true, set: { sweep_at: next.toISOString() } },
      record,
    );
    return 'unchanged';
  }
  await deps.store.transition(
    record.call_id,
    {
      from: status,
      to: status,
      at: now,
      reason:
        look.kind === 'failed'
          ? `no outcome from the report: ${messageOf(look.error)}`
          : 'the report never showed how the call ended',
      remove: ['sweep_at'],
    },
    record,
  );
  deps.logger.warn('call outcome not reported', { call_id: record.call_id, route: record.route });
  return 'unchanged';
};
