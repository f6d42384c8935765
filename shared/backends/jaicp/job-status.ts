import type { Progress } from '../call-backend.ts';

interface JobReport {
  jobStatus: string;
  callDuration?: number | undefined;
  finishedAt?: number | undefined;
}

/**
 * A call job's `jobStatus` in callhook's terms (see docs/jaicp-calls-api.md): still going,
 * completed (answered or not), failed, or cancelled.
 */
export const progressOf = (report: JobReport): Progress => {
  const ended = {
    ...(report.finishedAt !== undefined && { ended_at: new Date(report.finishedAt).toISOString() }),
    ...(report.callDuration !== undefined && { duration_s: report.callDuration }),
  };
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
        outcome: { answered: true, ...ended },
        reason: report.jobStatus,
      };
    case 'noAnswer':
      return { state: 'completed', outcome: { answered: false, ...ended }, reason: 'noAnswer' };
    case 'canceled':
      return { state: 'cancelled', reason: 'canceled' };
    default:
      // nonexistentNumber, notDone, and any status the docs do not list yet.
      return { state: 'failed', reason: report.jobStatus };
  }
};
