import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { type CallingHours, nextOpening, WEEKDAYS } from '../../shared/routes/calling-hours.ts';
import {
  calendarDaysBetween,
  isKnownTimeZone,
  isoDateOf,
  startOfDate,
  zonedAt,
} from '../../shared/routes/zoned-time.ts';

/**
 * The calling hours as luxon computed them before `zoned-time.ts` replaced it in the function
 * bundles: the reference the property below holds the new code to.
 */
const luxonNextOpening = (hours: CallingHours, now: Date): Date | undefined => {
  const timeOf = (text: string) => {
    const [hour = 0, minute = 0] = text.split(':').map(Number);
    return { hour, minute, second: 0, millisecond: 0 };
  };
  const local = DateTime.fromJSDate(now, { zone: hours.time_zone });
  const holidays = new Set(hours.holidays);
  for (let offset = 0; offset <= 7 * (holidays.size + 1); offset += 1) {
    const day = local.plus({ days: offset });
    if (!hours.days.includes(WEEKDAYS[day.weekday - 1] as (typeof WEEKDAYS)[number])) continue;
    if (holidays.has(day.toISODate() ?? '')) continue;
    const opens = day.set(timeOf(hours.from));
    const closes = day.set(timeOf(hours.to));
    if (local < opens) return opens.toJSDate();
    if (local < closes) return undefined;
  }
  throw new Error('calling hours allow no day');
};

/** Zones whose clocks move in every way there is: by an hour, by half an hour, at midnight. */
const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'America/Santiago', // moves at midnight
  'America/Havana', // falls back from 01:00 to midnight: midnight comes twice
  'Australia/Lord_Howe', // moves by half an hour
  'Asia/Kathmandu', // +05:45, no daylight saving
  'Europe/Moscow',
  'UTC',
];
/** Where some of those clocks moved in 2026: the local date, and the hour the change is around. */
const MOVES = [
  { zone: 'Europe/Berlin', date: '2026-03-29', hour: 2 }, // 02:00 skipped to 03:00
  { zone: 'Europe/Berlin', date: '2026-10-25', hour: 2 }, // 02:00–03:00 twice
  { zone: 'America/New_York', date: '2026-03-08', hour: 2 },
  { zone: 'America/New_York', date: '2026-11-01', hour: 1 },
  { zone: 'America/Santiago', date: '2026-04-04', hour: 23 }, // 23:00–24:00 twice
  { zone: 'America/Santiago', date: '2026-09-06', hour: 0 }, // midnight skipped
  { zone: 'America/Havana', date: '2026-03-08', hour: 0 },
  { zone: 'America/Havana', date: '2026-11-01', hour: 0 }, // midnight twice
  { zone: 'Australia/Lord_Howe', date: '2026-04-05', hour: 1 }, // 01:30–02:00 twice
  { zone: 'Australia/Lord_Howe', date: '2026-10-04', hour: 2 }, // 02:00 skipped to 02:30
];

const MINUTE = 60_000;
const clockOf = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Any hours at any moment of a few years. */
const anyCase = fc.record({
  hours: fc
    .record({
      time_zone: fc.constantFrom(...ZONES),
      days: fc.subarray([...WEEKDAYS], { minLength: 1 }),
      window: fc
        .uniqueArray(fc.integer({ min: 0, max: 95 }), { minLength: 2, maxLength: 2 })
        .map((quarters) => quarters.sort((a, b) => a - b).map((q) => clockOf(q * 15))),
      holidays: fc.array(
        fc
          .integer({ min: Date.parse('2023-12-25'), max: Date.parse('2028-01-10') })
          .map((ms) => new Date(ms).toISOString().slice(0, 10)),
        { maxLength: 3 },
      ),
    })
    .map(
      ({ window: [from, to], ...hours }): CallingHours => ({
        ...hours,
        from: from as string,
        to: to as string,
      }),
    ),
  ms: fc.integer({ min: Date.parse('2024-01-01'), max: Date.parse('2028-01-01') }),
});

/** Hours that open or close in the hour a clock moved, seen from the days around it. */
const aroundMove = fc
  .record({
    move: fc.constantFrom(...MOVES),
    from: fc.integer({ min: -4, max: 4 }),
    length: fc.integer({ min: 1, max: 8 }),
    minutesBefore: fc.integer({ min: -24 * 60, max: 72 * 60 }),
  })
  .map(({ move, from, length, minutesBefore }) => {
    const opens = Math.min(Math.max(move.hour * 60 + from * 15, 0), 23 * 60 + 30);
    const closes = Math.min(opens + length * 15, 23 * 60 + 45);
    return {
      hours: {
        time_zone: move.zone,
        days: [...WEEKDAYS],
        from: clockOf(opens),
        to: clockOf(closes),
      } satisfies CallingHours,
      ms: Date.parse(`${move.date}T00:00:00Z`) - minutesBefore * MINUTE,
    };
  });

describe('Zoned time on the runtime’s own zone database', () => {
  it('opens the calling hours when luxon did, through every kind of clock change', () => {
    fc.assert(
      fc.property(fc.oneof(anyCase, aroundMove), ({ hours, ms }) => {
        const now = new Date(ms);
        expect(nextOpening(hours, now)?.toISOString()).toBe(
          luxonNextOpening(hours, now)?.toISOString(),
        );
      }),
      { numRuns: 400 },
    );
  });

  it('starts a day at its first midnight, also where midnight comes twice', () => {
    // Havana fell back from 01:00 (UTC−4) to midnight (UTC−5) on 2026-11-01.
    expect(new Date(startOfDate('2026-11-01', 'America/Havana').ts).toISOString()).toBe(
      '2026-11-01T04:00:00.000Z',
    );
    // Santiago skipped midnight on 2026-09-06: the day began at 01:00 (UTC−3).
    expect(new Date(startOfDate('2026-09-06', 'America/Santiago').ts).toISOString()).toBe(
      '2026-09-06T04:00:00.000Z',
    );
    expect(new Date(startOfDate('2026-07-01', 'Europe/Berlin').ts).toISOString()).toBe(
      '2026-06-30T22:00:00.000Z',
    );
  });

  it('reads dates and counts calendar days in the zone, not in UTC', () => {
    const late = zonedAt(new Date('2026-12-31T22:30:00Z'), 'Europe/Moscow');
    expect(isoDateOf(late)).toBe('2027-01-01');
    const earlier = zonedAt(new Date('2026-12-31T12:00:00Z'), 'Europe/Moscow');
    expect(calendarDaysBetween(earlier.wall, late.wall)).toBe(1);
  });

  it('knows the zones the runtime knows, and no other name', () => {
    expect(isKnownTimeZone('Europe/Moscow')).toBe(true);
    expect(isKnownTimeZone('UTC')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isKnownTimeZone('')).toBe(false);
  });
});
