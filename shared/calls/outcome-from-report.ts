import type { ReportedOutcome } from './attempts.ts';
import type { CallOutcome } from './call-record.ts';

/**
 * The call's outcome once a report has said how its attempt ended: the report wins over what a
 * notification said, and a talk means an answer, at the latest when the talk began.
 */
export const outcomeFromReport = (
  previous: CallOutcome | undefined,
  reported: ReportedOutcome,
): CallOutcome => {
  const answered = reported.result === 'talked';
  const talkBegan = new Date(Date.parse(reported.ended_at) - reported.talk_s * 1000);
  return {
    ...previous,
    ...reported,
    answered,
    duration_s: reported.talk_s,
    reported_by: 'report',
    ...(answered &&
      previous?.answered_at === undefined &&
      !Number.isNaN(talkBegan.getTime()) && { answered_at: talkBegan.toISOString() }),
  };
};
