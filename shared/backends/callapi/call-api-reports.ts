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
  return {
    kind: 'ended',
    outcome: outcomeOf(session, legs, query.window.from),
    sessionId: session.id,
  };
};
