import type { CallResult } from '../../calls/call-result.ts';
import type { Progress } from '../call-backend.ts';

/**
 * What `progressOf` reads of a job's report (`JobReport` in jaicp-client.ts, whose schema has
 * checked the ranges). A job that has not ended may report its end and duration as `null`.
 */
interface JobReport {
  jobStatus: string;
  callDuration?: number | null | undefined;
  finishedAt?: number | null | undefined;
}

/**
 * JAICP's final job statuses in callhook's results, the same words a Call API report's finish
 * reasons become (docs/jaicp-calls-api.md). JAICP redials by itself (`maxAttempts`), so a job
 * reports how its last attempt went: `noAnswer` is every attempt unanswered.
 */
export const JAICP_RESULTS = {
  longCallWithResult: 'talked',
  longCallWithNoResult: 'talked',
  noAnswer: 'no_answer',
  nonexistentNumber: 'failed',
  notDone: 'failed',
} as const satisfies Record<string, CallResult>;

/**
 * A call job's `jobStatus` in callhook's terms (see docs/jaicp-calls-api.md): still going,
 * completed (answered or not, with its `result`), failed, or cancelled.
 */
export const progressOf = (report: JobReport): Progress => {
  const ended = {
    ...(report.finishedAt != null && { ended_at: new Date(report.finishedAt).toISOString() }),
    ...(report.callDuration != null && { duration_s: report.callDuration }),
  };
  const reported = (status: keyof typeof JAICP_RESULTS) => ({
    result: JAICP_RESULTS[status],
    finish_reason: status,
    talk_s: JAICP_RESULTS[status] === 'talked' ? (report.callDuration ?? 0) : 0,
    reported_by: 'report' as const,
  });
  switch (report.jobStatus) {
    case 'inProcess':
      return { state: 'pending', dialling: true };
    case 'planned':
    case 'onRetry':
      return { state: 'pending', dialling: false };
    case 'longCallWithResult':
    case 'longCallWithNoResult':
      return {
        state: 'completed',
        outcome: { answered: true, ...ended, ...reported(report.jobStatus) },
        reason: report.jobStatus,
      };
    case 'noAnswer':
      return {
        state: 'completed',
        outcome: { answered: false, ...ended, ...reported('noAnswer') },
        reason: 'noAnswer',
      };
    case 'canceled':
      return { state: 'cancelled', reason: 'canceled' };
    default:
      // nonexistentNumber, notDone, and any status the docs do not list yet.
      return { state: 'failed', reason: report.jobStatus };
  }
};
