import { currentAttempt, currentDial, type ReportedOutcome } from '../calls/attempts.ts';
import type { CallRecord } from '../calls/call-record.ts';
import type { RouteConfig } from '../config/schema.ts';
import { nextOpening } from '../routes/calling-hours.ts';

/** Whether an attempt that ended is followed by another, and when. */
export type RedialPlan =
  | { kind: 'none'; why?: string }
  | { kind: 'redial'; attempt: number; at: Date };

/**
 * The route's `redial` applied to an attempt whose end the provider reported (pure; the caller
 * charges the per-number cap and writes the transition). Another attempt follows only when the
 * report's result is one the route redials on, redials remain, no operator stopped the chain,
 * the attempt never went `unknown` (`Dial.went_unknown`), and its time, `after_minutes`
 * after the end and then within the calling hours, is before the route's `max_age_minutes`.
 * `talked` ends the chain, as does every result the route does not name.
 */
export const planRedial = (
  route: RouteConfig | undefined,
  record: Pick<
    CallRecord,
    'call_id' | 'attempt' | 'redials' | 'dials' | 'redial_stopped' | 'created_at'
  >,
  outcome: Pick<ReportedOutcome, 'result' | 'ended_at'>,
  now: Date,
): RedialPlan => {
  const redial = route?.redial;
  if (redial === undefined || outcome.result === 'talked') return { kind: 'none' };
  if (!(redial.on as readonly string[]).includes(outcome.result)) return { kind: 'none' };
  if (record.redial_stopped !== undefined) {
    return { kind: 'none', why: `no redial: ${record.redial_stopped}` };
  }
  // Its placement was not confirmed at the time: an operator was alerted (`CallUnknown`) and
  // may be retrying it by hand. A fact of the attempt, not a line of its history.
  if (currentDial(record).went_unknown === true) {
    return { kind: 'none', why: 'no redial: this attempt was unknown until the report found it' };
  }
  const made = record.redials ?? 0;
  if (made >= redial.max) return { kind: 'none', why: `no redial: all ${redial.max} made` };
  const earliest = Math.max(
    now.getTime(),
    Date.parse(outcome.ended_at) + redial.after_minutes * 60_000,
  );
  let at = new Date(earliest);
  if (route?.calling_hours !== undefined) at = nextOpening(route.calling_hours, at) ?? at;
  if (route?.max_age_minutes !== undefined) {
    const deadline = Date.parse(record.created_at) + route.max_age_minutes * 60_000;
    if (at.getTime() >= deadline) {
      return { kind: 'none', why: 'no redial: it would come after max_age_minutes' };
    }
  }
  return { kind: 'redial', attempt: currentAttempt(record) + 1, at };
};
