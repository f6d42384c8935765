import type { RouteConfig } from '../../config/schema.ts';
import {
  type CallingHours,
  nextOpening,
  WEEKDAYS,
  type Weekday,
} from '../../routes/calling-hours.ts';
import { isoDateOf, isoWeekdayOf, startOfDate, zonedAt } from '../../routes/zoned-time.ts';
import type { JaicpJobParams } from './jaicp-request.ts';

const isWeekday = (day: string): day is Weekday => (WEEKDAYS as readonly string[]).includes(day);

/**
 * The route's calling hours and maximum age in JAICP's own terms, so the campaign applies them:
 * `gmtZone` takes an IANA zone id, `allowedDays` the same day names, `allowedTime` one window
 * for every day; the maximum age becomes `finishDateTime` when the job is sent (`toJob`), and so
 * do the holidays, with `startDateTime`: they depend on when it is sent, which the request, the
 * same for every delivery of the event, cannot know. Only holidays on calling days are kept:
 * JAICP never rings on the others anyway.
 */
export const jaicpWindowOf = (
  route: RouteConfig,
): Pick<
  JaicpJobParams,
  'gmtZone' | 'allowedDays' | 'allowedTime' | 'maxAgeMinutes' | 'holidays'
> => {
  const hours = route.calling_hours;
  const holidays = [...new Set(hours?.holidays ?? [])]
    .filter((date) => {
      const [year = 0, month = 1, dayOfMonth = 1] = date.split('-').map(Number);
      const day = WEEKDAYS[isoWeekdayOf({ year, month, day: dayOfMonth }) - 1];
      return day !== undefined && hours?.days.includes(day) === true;
    })
    .sort();
  return {
    ...(hours !== undefined && {
      gmtZone: hours.time_zone,
      allowedDays: [...hours.days],
      allowedTime: { default: [{ localTimeFrom: hours.from, localTimeTo: hours.to }] },
      ...(holidays.length > 0 && { holidays }),
    }),
    ...(route.max_age_minutes !== undefined && { maxAgeMinutes: route.max_age_minutes }),
  };
};

/**
 * What the route's holidays make of a job sent at `sentAt`: its `start` when a holiday moves it
 * (JAICP's weekday window would have rung on one), and its `finish`, the start of the first
 * holiday after the day it starts, so no holiday lies inside the job's life.
 *
 * Why end the job rather than something else: JAICP's window has no dates, and a job lives on
 * through its own retries (`maxAttempts`, `retryIntervalInMinutes`) for as long as its
 * `finishDateTime` allows, possibly across days. Ending it when the next holiday begins is the
 * only way to keep JAICP off that day while still calling now; the cost is that a job still
 * unanswered on the eve of a holiday ends there (`notDone`, so `failed`, which an operator can
 * retry) instead of carrying on after it.
 *
 * Safe for any `sentAt` no later than JAICP's receipt of the request: JAICP rings from then on,
 * only in the weekday window and before `finish`, and from `sentAt` (or `start`) to `finish`
 * the window holds no holiday.
 */
const holidayBounds = (
  {
    gmtZone,
    allowedDays,
    allowedTime,
  }: Pick<JaicpJobParams, 'gmtZone' | 'allowedDays' | 'allowedTime'>,
  holidays: readonly string[],
  sentAt: Date,
): { start?: Date; finish?: Date } => {
  const interval = allowedTime?.default[0];
  if (gmtZone === undefined || interval === undefined || holidays.length === 0) return {};
  const hours: CallingHours = {
    time_zone: gmtZone,
    days: allowedDays?.filter(isWeekday) ?? [...WEEKDAYS],
    from: interval.localTimeFrom,
    to: interval.localTimeTo,
    holidays,
  };
  const opening = nextOpening(hours, sentAt);
  // Where JAICP alone would begin: a start is sent only where a holiday moves it.
  const weekdayOpening = nextOpening({ ...hours, holidays: undefined }, sentAt);
  const moved = opening?.getTime() !== weekdayOpening?.getTime();
  const startDay = isoDateOf(zonedAt(opening ?? sentAt, gmtZone));
  const next = holidays.filter((date) => date > startDay).sort()[0];
  return {
    ...(moved && opening !== undefined && { start: opening }),
    ...(next !== undefined && {
      finish: new Date(startOfDate(next, gmtZone).ts),
    }),
  };
};

/**
 * The job as JAICP reads it: `contact` is its `phone`; its `finishDateTime` the earlier of the
 * maximum age after the event was accepted (`acceptedAt`) and the next holiday's start; its
 * `startDateTime` the next opening that is no holiday, when a holiday would have been rung;
 * the rest passes through. `sentAt` is a moment no later than JAICP receives the request (the
 * dispatcher's claim): the holidays are read from it. Only a route with holidays depends on it,
 * and a resend under the same `Idempotence-Key` returns the first job whatever it says.
 */
export const toJob = (
  { contact, maxAgeMinutes, holidays, ...rest }: JaicpJobParams,
  acceptedAt: string,
  sentAt: string = acceptedAt,
) => {
  const { start, finish } = holidayBounds(rest, holidays ?? [], new Date(sentAt));
  const ends = [
    ...(maxAgeMinutes === undefined ? [] : [Date.parse(acceptedAt) + maxAgeMinutes * 60_000]),
    ...(finish === undefined ? [] : [finish.getTime()]),
  ];
  return {
    phone: contact,
    ...rest,
    ...(start !== undefined && { startDateTime: start.toISOString() }),
    ...(ends.length > 0 && { finishDateTime: new Date(Math.min(...ends)).toISOString() }),
  };
};
