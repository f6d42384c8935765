import type { JaicpJobParams } from '../calls/call-request.ts';
import type { RouteConfig } from '../config/schema.ts';

/**
 * The route's calling hours and maximum age in JAICP's own terms, so the campaign applies them:
 * `gmtZone` takes an IANA zone id, `allowedDays` the same day names, `allowedTime` one window
 * for every day, and `finishDateTime` ends the job when the event is too old to be worth a call.
 */
export const jaicpWindowOf = (
  route: RouteConfig,
  now: Date,
): Pick<JaicpJobParams, 'gmtZone' | 'allowedDays' | 'allowedTime' | 'finishDateTime'> => {
  const hours = route.calling_hours;
  return {
    ...(hours !== undefined && {
      gmtZone: hours.time_zone,
      allowedDays: [...hours.days],
      allowedTime: { default: [{ localTimeFrom: hours.from, localTimeTo: hours.to }] },
    }),
    ...(route.max_age_minutes !== undefined && {
      finishDateTime: new Date(now.getTime() + route.max_age_minutes * 60_000).toISOString(),
    }),
  };
};
