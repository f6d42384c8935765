import { describe, expect, it } from 'vitest';
import { startOf } from '../../infra/local/jaicp-simulator/job-clock.ts';

const window = {
  gmtZone: 'Europe/Moscow',
  allowedDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '21:00' }] },
};
// Monday 2026-12-07, 12:00 in Moscow: the window is open.
const MONDAY_NOON = Date.parse('2026-12-07T09:00:00.000Z');

describe('The JAICP simulator: when a job starts ringing', () => {
  it('rings at once inside its window', () => {
    expect(startOf(window, MONDAY_NOON)).toBe(MONDAY_NOON);
  });

  it('waits for its startDateTime, as JAICP does, then for the window', () => {
    // A holiday Monday: callhook sends the job with Tuesday's opening as its start.
    const tuesdayOpening = '2026-12-08T06:00:00.000Z';
    expect(startOf({ ...window, startDateTime: tuesdayOpening }, MONDAY_NOON)).toBe(
      Date.parse(tuesdayOpening),
    );
    // A start at Monday 23:00 is outside the window: it rings when the window opens after it.
    expect(startOf({ ...window, startDateTime: '2026-12-07T20:00:00.000Z' }, MONDAY_NOON)).toBe(
      Date.parse(tuesdayOpening),
    );
  });

  it('ignores a start already past', () => {
    expect(startOf({ ...window, startDateTime: '2026-12-01T06:00:00.000Z' }, MONDAY_NOON)).toBe(
      MONDAY_NOON,
    );
  });
});
