import { atTimeOfDay, isoDateOf, isoWeekdayOf, plusDays, zonedAt } from './zoned-time.ts';

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
  return { hour, minute };
};

/**
 * `undefined` while the window is open at `now`, else the moment it next opens. Daylight saving
 * is the zone database's business: a `from` that falls into a skipped hour opens just after it.
 */
export const nextOpening = (hours: CallingHours, now: Date): Date | undefined => {
  const local = zonedAt(now, hours.time_zone);
  const holidays = new Set(hours.holidays);
  const from = timeOf(hours.from);
  const to = timeOf(hours.to);
  // Each holiday takes away at most one allowed day, and allowed days can lie a week apart (a
  // route calling on one weekday only): past 7 days per holiday, and today's closed window, an
  // allowed day that is no holiday has come.
  for (let offset = 0; offset <= 7 * (holidays.size + 1); offset += 1) {
    const day = plusDays(local, offset);
    if (!hours.days.includes(WEEKDAYS[isoWeekdayOf(day.wall) - 1] as Weekday)) continue;
    if (holidays.has(isoDateOf(day))) continue;
    const opens = atTimeOfDay(day, from.hour, from.minute);
    const closes = atTimeOfDay(day, to.hour, to.minute);
    if (local.ts < opens.ts) return new Date(opens.ts);
    if (local.ts < closes.ts) return undefined;
  }
  // No day is allowed: the schema refuses an empty list, so this is a bug, not a config.
  throw new Error('calling hours allow no day');
};
