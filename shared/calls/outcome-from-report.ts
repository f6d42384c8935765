import type { ReportedOutcome } from './attempts.ts';
import type { CallOutcome } from './call-record.ts';

/**
 * When the customer answered, by a report that says they talked: at the latest when the talk
 * began. Undefined for any other result, or for times that make no date.
 */
export const answeredAtOf = (reported: ReportedOutcome): string | undefined => {
  if (reported.result !== 'talked') return undefined;
  const talkBegan = Date.parse(reported.ended_at) - reported.talk_s * 1000;
  return Number.isFinite(talkBegan) ? new Date(talkBegan).toISOString() : undefined;
};

/**
 * The call's outcome once a report has said how its attempt ended: the report wins over what a
 * notification said, and a talk means an answer, at the latest when the talk began.
 */
export const outcomeFromReport = (
  previous: CallOutcome | undefined,
  reported: ReportedOutcome,
): CallOutcome => {
  const answeredAt = previous?.answered_at ?? answeredAtOf(reported);
  return {
    ...previous,
    ...reported,
    answered: reported.result === 'talked',
    duration_s: reported.talk_s,
    reported_by: 'report',
    ...(answeredAt !== undefined && { answered_at: answeredAt }),
  };
};
