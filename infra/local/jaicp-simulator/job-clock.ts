import {
  type CallingHours,
  nextOpening,
  WEEKDAYS,
  type Weekday,
} from '../../../shared/dispatch/calling-hours.ts';

/** The parts of an added job that decide when it may ring. */
export interface JobWindow {
  gmtZone?: string;
  allowedDays?: string[];
  allowedTime?: { default?: { localTimeFrom: string; localTimeTo: string }[] };
  finishDateTime?: string;
}

/**
 * When a job's call starts: at once, or when its window next opens (JAICP rings only inside
 * `allowedDays` and `allowedTime`, in `gmtZone`). Only the first `default` interval is read.
 */
export const startOf = (job: JobWindow, createdAt: number): number => {
  const interval = job.allowedTime?.default?.[0];
  if (job.gmtZone === undefined || interval === undefined) return createdAt;
  const hours: CallingHours = {
    time_zone: job.gmtZone,
    days: (job.allowedDays?.filter((day): day is Weekday =>
      (WEEKDAYS as readonly string[]).includes(day),
    ) ?? [...WEEKDAYS]) as Weekday[],
    from: interval.localTimeFrom,
    to: interval.localTimeTo,
  };
  return nextOpening(hours, new Date(createdAt))?.getTime() ?? createdAt;
};
