/**
 * Wall-clock times in IANA zones on the runtime's own time zone database (`Intl`), for calling
 * hours and what is built from them. What luxon did here, at a fraction of a function bundle:
 * its 70 KB were most of what kept the ingest bundle over 300 KB. The rules are luxon's, and
 * a property test holds the calling hours to what luxon computes (test/unit/zoned-time.test.ts):
 * a wall time in a skipped hour moves on by the gap, and one that comes twice is taken at the
 * offset of the moment it was reached from.
 */

/** A reading of the clock on the wall, in some zone. Months and ISO weekdays count from 1. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** A moment as a zone sees it: the instant, the zone's offset then, and its wall clock. */
export interface ZonedTime {
  zone: string;
  /** Epoch milliseconds. */
  ts: number;
  /** Milliseconds the zone's clock is ahead of UTC at `ts`. */
  offset: number;
  wall: WallClock;
}

const DAY = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();
/** One formatter per zone: building one costs far more than using it. */
const formatIn = (zone: string): Intl.DateTimeFormat => {
  let format = formats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, format);
  }
  return format;
};

/** True for a zone the runtime's time zone database knows, as the functions will use it. */
export const isKnownTimeZone = (zone: string): boolean => {
  try {
    formatIn(zone);
    return true;
  } catch {
    return false;
  }
};

/** The wall clock as UTC milliseconds: what an offset is measured against. */
const localTsOf = (wall: WallClock): number => {
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: it does not read years 0–99 as 1900–1999.
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, wall.millisecond);
  return date.getTime();
};

/** The zone's offset at `ts`, in milliseconds. */
const offsetAt = (zone: string, ts: number): number => {
  const parts: Record<string, string> = {};
  for (const part of formatIn(zone).formatToParts(new Date(ts))) parts[part.type] = part.value;
  const year = Number(parts.year);
  const wall: WallClock = {
    year: parts.era === 'BC' ? 1 - year : year,
    month: Number(parts.month),
    day: Number(parts.day),
    // Some engines still write midnight as 24 with hourCycle h23.
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: 0,
  };
  const wholeSecond = ts - (((ts % 1000) + 1000) % 1000);
  return localTsOf(wall) - wholeSecond;
};

/** The wall clock at `ts` with `offset`: plain arithmetic, no zone database. */
const wallAt = (ts: number, offset: number): WallClock => {
  const date = new Date(ts + offset);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    millisecond: date.getUTCMilliseconds(),
  };
};

/**
 * The instant the zone's clock reads `localTs`, starting from the offset `guess`: the guess
 * wins when the reading comes twice, and a reading the zone skips moves on by the gap.
 */
const fixOffset = (zone: string, localTs: number, guess: number): [number, number] => {
  let ts = localTs - guess;
  const second = offsetAt(zone, ts);
  if (second === guess) return [ts, guess];
  ts -= second - guess;
  const third = offsetAt(zone, ts);
  if (third === second) return [ts, second];
  // A skipped reading: the clock jumped over it.
  return [localTs - Math.min(second, third), Math.max(second, third)];
};

const at = (zone: string, [ts, offset]: [number, number]): ZonedTime => ({
  zone,
  ts,
  offset,
  wall: wallAt(ts, offset),
});

/** `instant` as `zone` sees it. */
export const zonedAt = (instant: Date, zone: string): ZonedTime =>
  at(zone, [instant.getTime(), offsetAt(zone, instant.getTime())]);

/** The same wall time `days` calendar days later (earlier when negative). */
export const plusDays = (time: ZonedTime, days: number): ZonedTime =>
  at(
    time.zone,
    fixOffset(time.zone, localTsOf({ ...time.wall, day: time.wall.day + days }), time.offset),
  );

/** The same day at `hour`:`minute`:00.000. */
export const atTimeOfDay = (time: ZonedTime, hour: number, minute: number): ZonedTime =>
  at(
    time.zone,
    fixOffset(
      time.zone,
      localTsOf({ ...time.wall, hour, minute, second: 0, millisecond: 0 }),
      time.offset,
    ),
  );

/** The day's first moment in `zone`, of an ISO date (`YYYY-MM-DD`): its first midnight. */
export const startOfDate = (date: string, zone: string): ZonedTime => {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  const localTs = localTsOf({ year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0 });
  // A midnight that comes twice is taken at the larger offset: the earlier of the two.
  const guess = Math.max(offsetAt(zone, localTs - DAY), offsetAt(zone, localTs + DAY));
  return at(zone, fixOffset(zone, localTs, guess));
};

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The wall clock's date, `YYYY-MM-DD`. */
export const isoDateOf = (time: ZonedTime): string =>
  `${pad(time.wall.year, 4)}-${pad(time.wall.month)}-${pad(time.wall.day)}`;

/** The wall clock's time, `HH:MM`. */
export const hourMinuteOf = (time: ZonedTime): string =>
  `${pad(time.wall.hour)}:${pad(time.wall.minute)}`;

/** The ISO weekday of a calendar date (1 Monday … 7 Sunday), whatever the zone. */
export const isoWeekdayOf = (wall: Pick<WallClock, 'year' | 'month' | 'day'>): number => {
  const day = new Date(localTsOf({ ...wall, hour: 0, minute: 0, second: 0, millisecond: 0 }));
  return ((day.getUTCDay() + 6) % 7) + 1;
};

/** Calendar days from one wall clock's date to another's. */
export const calendarDaysBetween = (from: WallClock, to: WallClock): number => {
  const midnight = (wall: WallClock) =>
    localTsOf({ ...wall, hour: 0, minute: 0, second: 0, millisecond: 0 });
  return Math.round((midnight(to) - midnight(from)) / DAY);
};
