import {
  type CallingHours,
  nextOpening,
  WEEKDAYS,
  type Weekday,
} from '../../../shared/routes/calling-hours.ts';

/** The parts of an added job that decide when it may ring. */
export interface JobWindow {
  gmtZone?: string;
  allowedDays?: string[];
  allowedTime?: { default?: { localTimeFrom: string; localTimeTo: string }[] };
  startDateTime?: string;
  finishDateTime?: string;
}

/**
 * When a job's call starts: at once (or at its `startDateTime`, which callhook sets to keep a
 * job off a holiday), or when its window next opens after that (JAICP rings only inside
 * `allowedDays` and `allowedTime`, in `gmtZone`). Only the first `default` interval is read.
 */
export const startOf = (job: JobWindow, createdAt: number): number => {
  const notBefore = job.startDateTime === undefined ? Number.NaN : Date.parse(job.startDateTime);
  const earliest = Number.isNaN(notBefore) ? createdAt : Math.max(createdAt, notBefore);
  const interval = job.allowedTime?.default?.[0];
  if (job.gmtZone === undefined || interval === undefined) return earliest;
  const hours: CallingHours = {
    time_zone: job.gmtZone,
    days: (job.allowedDays?.filter((day): day is Weekday =>
      (WEEKDAYS as readonly string[]).includes(day),
    ) ?? [...WEEKDAYS]) as Weekday[],
    from: interval.localTimeFrom,
    to: interval.localTimeTo,
  };
  return nextOpening(hours, new Date(earliest))?.getTime() ?? earliest;
};
