import type { ConnectionSettings } from '../connection.ts';
import type { ReportBudget, ReportedAttempt, ReportQuery } from '../outcome-reports.ts';
import type { CallApiAccountConfig } from './config.ts';
import { connectReports } from './data-api/connect.ts';
import { MeteredReports } from './data-api/metered-reports.ts';
import { outcomeOf } from './data-api/outcome-of.ts';

/**
 * Reads how an attempt ended in the account's Data API: its session (by session id, or by the
 * `external_id` it was placed with), then, once it has ended, its legs. Each request takes a
 * point from the account's Data API budget first.
 */
export const readCallApiReport = async (
  account: CallApiAccountConfig,
  settings: ConnectionSettings,
  query: ReportQuery,
  budget: ReportBudget,
): Promise<ReportedAttempt> => {
  if (account.data_api === undefined) throw new Error('the account has no Data API key');
  const reports = new MeteredReports({
    reports: await connectReports({ ...account, data_api: account.data_api }, settings),
    ...budget,
  });
  const session = (await reports.session(query.lookup, query.window, query.ongoing)).data;
  if (session === undefined) return { kind: 'absent' };
  if (session.finish_time == null) return { kind: 'ongoing', sessionId: session.id };
  const legs = (await reports.legs(session.id, query.window)).data;
  const customerCalledAt =
    query.inbound === undefined || session.start_time == null
      ? undefined
      : await firstInboundSince(reports, query.inbound, session.start_time, query.window);
  return {
    kind: 'ended',
    outcome: outcomeOf(session, legs, query.window.from),
    sessionId: session.id,
    ...(customerCalledAt !== undefined && { customerCalledAt }),
  };
};

/** Whole quarter hours: every time zone's offset is one. */
const QUARTER_HOUR_MS = 15 * 60_000;

/** `2026-03-02 10:00:00` read as if it were UTC. */
const asUtc = (text: string): number => Date.parse(`${text.replace(' ', 'T')}Z`);

/**
 * When the customer first rang the account since `inbound.since`, if they did. The report
 * writes times in the account's own zone, which no reply names; the attempt's own session
 * gives it away: its start there, against when callhook started it (the window's `from`), is
 * the zone's offset, to the quarter hour (the provider starts a session within seconds). An inbound call's start, so brought to UTC, is
 * compared with `since`.
 */
const firstInboundSince = async (
  reports: MeteredReports,
  inbound: { contact: string; since: Date },
  attemptStartedLocal: string,
  window: { from: Date; till: Date },
): Promise<Date | undefined> => {
  const offsetMs =
    Math.round((asUtc(attemptStartedLocal) - window.from.getTime()) / QUARTER_HOUR_MS) *
    QUARTER_HOUR_MS;
  const started = (
    await reports.inboundFrom(inbound.contact, { from: inbound.since, till: window.till })
  ).data
    .map((local) => asUtc(local) - offsetMs)
    // The report writes whole seconds: a call in the second `since` falls in counts.
    .filter((at) => Number.isFinite(at) && at >= Math.floor(inbound.since.getTime() / 1000) * 1000)
    .sort((a, b) => a - b);
  return started[0] === undefined ? undefined : new Date(started[0]);
};
