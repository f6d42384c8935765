import { describe, expect, it } from 'vitest';
import { type CallingHours, nextOpening } from '../../shared/routes/calling-hours.ts';

const moscowWeekdays: CallingHours = {
  time_zone: 'Europe/Moscow',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  from: '09:00',
  to: '21:00',
};

describe('Calling hours', () => {
  it('is open inside the window (Moscow is UTC+3)', () => {
    // Tuesday 12:00 in Moscow.
    expect(nextOpening(moscowWeekdays, new Date('2026-11-24T09:00:00Z'))).toBeUndefined();
  });

  it('opens the same morning for an event before the window', () => {
    // Tuesday 05:00 in Moscow → 09:00 Moscow = 06:00 UTC.
    expect(nextOpening(moscowWeekdays, new Date('2026-11-24T02:00:00Z'))).toEqual(
      new Date('2026-11-24T06:00:00Z'),
    );
  });

  it('treats "to" as exclusive and opens the next allowed day', () => {
    // Tuesday 21:00 sharp in Moscow → Wednesday 09:00.
    expect(nextOpening(moscowWeekdays, new Date('2026-11-24T18:00:00Z'))).toEqual(
      new Date('2026-11-25T06:00:00Z'),
    );
  });

  it('skips days that are not allowed', () => {
    // Friday 22:00 in Moscow → Monday 09:00.
    expect(nextOpening(moscowWeekdays, new Date('2026-11-27T19:00:00Z'))).toEqual(
      new Date('2026-11-30T06:00:00Z'),
    );
  });

  it('follows daylight saving: 09:00 in Berlin is 08:00 UTC in summer and 07:00 UTC after', () => {
    const berlin: CallingHours = { ...moscowWeekdays, time_zone: 'Europe/Berlin' };
    // Saturday 24 October 2026 (summer time) → Monday 26 October, after the clocks went back.
    expect(nextOpening(berlin, new Date('2026-10-24T12:00:00Z'))).toEqual(
      new Date('2026-10-26T08:00:00Z'),
    );
    expect(nextOpening(berlin, new Date('2026-10-23T05:00:00Z'))).toEqual(
      new Date('2026-10-23T07:00:00Z'),
    );
  });

  describe('Holidays', () => {
    const russia2027: CallingHours = {
      ...moscowWeekdays,
      holidays: [
        '2027-01-01',
        '2027-01-04',
        '2027-01-05',
        '2027-01-06',
        '2027-01-07',
        '2027-01-08',
        '2027-02-23',
      ],
    };

    it('is closed all day on a holiday and opens on the next working day', () => {
      // Tuesday 23 February 2027, 12:00 in Moscow → Wednesday 24 February, 09:00 Moscow.
      expect(nextOpening(russia2027, new Date('2027-02-23T09:00:00Z'))).toEqual(
        new Date('2027-02-24T06:00:00Z'),
      );
    });

    it('passes a run of holidays longer than a week, with a weekend inside', () => {
      // New Year's Eve 2026, 22:00 in Moscow: the 1st to the 8th are holidays, the 2nd and 3rd
      // a weekend, and the 9th and 10th a weekend too → Monday 11 January 2027.
      expect(nextOpening(russia2027, new Date('2026-12-31T19:00:00Z'))).toEqual(
        new Date('2027-01-11T06:00:00Z'),
      );
    });

    it('finds the next working day when holidays take several weeks of a one-day week', () => {
      // A route that calls on Saturdays only, with the next three Saturdays off: the first
      // Saturday it calls is four weeks away, past the days a plain week's search would try.
      const saturdays = {
        time_zone: 'Europe/Moscow',
        days: ['sat' as const],
        from: '10:00',
        to: '14:00',
        holidays: ['2027-03-06', '2027-03-13', '2027-03-20'],
      };
      // Monday 1 March 2027, 12:00 in Moscow → Saturday 27 March, 10:00 Moscow.
      expect(nextOpening(saturdays, new Date('2027-03-01T09:00:00Z'))).toEqual(
        new Date('2027-03-27T07:00:00Z'),
      );
    });

    it("reads a holiday in the route's own time zone, not in UTC", () => {
      // 23 February 02:00 in Moscow is still 22 February in UTC: the holiday has begun.
      expect(nextOpening(russia2027, new Date('2027-02-22T23:00:00Z'))).toEqual(
        new Date('2027-02-24T06:00:00Z'),
      );
      // 22 February 12:00 Moscow, the working day before it, is open.
      expect(nextOpening(russia2027, new Date('2027-02-22T09:00:00Z'))).toBeUndefined();
    });
  });
});
