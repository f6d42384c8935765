import { describe, expect, it } from 'vitest';
import { type CallingHours, nextOpening } from '../../shared/dispatch/calling-hours.ts';

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
});
