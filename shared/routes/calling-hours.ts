import { DateTime } from 'luxon';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** When a route may ring phones: local times on some days of the week, in one time zone. */
export interface CallingHours {
  /** IANA zone, e.g. `Europe/Moscow`. */
  time_zone: string;
  days: readonly Weekday[];
  /** `HH:MM`, inclusive. */
  from: string;
  /** `HH:MM`, exclusive; later than `from` (a window does not cross midnight). */
  to: string;
  /** `YYYY-MM-DD` dates, in `time_zone`, on which the route does not call at all. */
  holidays?: readonly string[] | undefined;
}

const timeOf = (text: string) => {
  const [hour = 0, minute = 0] = text.split(':').map(Number);
  return { hour, minute, second: 0, millisecond: 0 };
};

/**
 * `undefined` while the window is open at `now`, else the moment it next opens. Daylight saving
 * is the zone database's business: a `from` that falls into a skipped hour opens just after it.
 */
export const nextOpening = (hours: CallingHours, now: Date): Date | undefined => {
  const local = DateTime.fromJSDate(now, { zone: hours.time_zone });
  const holidays = new Set(hours.holidays);
  // Each holiday takes away at most one allowed day, and allowed days can lie a week apart (a
  // route calling on one weekday only): past 7 days per holiday, and today's closed window, an
  // allowed day that is no holiday has come.
  for (let offset = 0; offset <= 7 * (holidays.size + 1); offset += 1) {
    const day = local.plus({ days: offset });
    if (!hours.days.includes(WEEKDAYS[day.weekday - 1] as Weekday)) continue;
    if (holidays.has(day.toISODate() ?? '')) continue;
    const opens = day.set(timeOf(hours.from));
    const closes = day.set(timeOf(hours.to));
    if (local < opens) return opens.toJSDate();
    if (local < closes) return undefined;
  }
  // No day is allowed: the schema refuses an empty list, so this is a bug, not a config.
  throw new Error('calling hours allow no day');
};

/** True for a zone name the runtime's time zone database knows. */
export const isKnownTimeZone = (zone: string): boolean => DateTime.now().setZone(zone).isValid;
