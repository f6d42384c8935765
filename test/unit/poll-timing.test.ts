import { describe, expect, it } from 'vitest';
import type { Dial } from '../../shared/calls/attempts.ts';
import { nextPollAt } from '../../shared/dispatch/poll-timing.ts';
import type { CallingHours } from '../../shared/routes/calling-hours.ts';

const timing = { pollAfterMs: 30_000 };
const moscowDays: CallingHours = {
  time_zone: 'Europe/Moscow',
  days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  from: '09:00',
  to: '21:00',
};
/**
 * A record on its first attempt, handed to the backend at `placedAt` by its history (an older
 * record, whose dials say nothing of it), or on the attempt and with the dials `fields` give.
 */
const placed = (
  placedAt: string,
  fields: { attempt?: number; redials?: number; dials?: Dial[] } = {},
) => ({
  call_id: 'c_poll',
  attempt: 1,
  redials: 0,
  dials: [],
  ...fields,
  history: [
    { status: 'queued' as const, at: '2026-11-23T08:00:00.000Z' },
    { status: 'placed' as const, at: placedAt },
  ],
  updated_at: placedAt,
});
const secondsUntil = (from: string, next: Date) => (next.getTime() - Date.parse(from)) / 1000;

describe('Function: nextPollAt', () => {
  it('asks again soon about a job that is dialling now', () => {
    const now = '2026-11-24T12:00:00.000Z';
    const next = nextPollAt(
      placed('2026-11-24T08:00:00.000Z'),
      moscowDays,
      true,
      new Date(now),
      timing,
    );

    expect(secondsUntil(now, next)).toBe(30);
  });

  it('waits for the calling window to open before asking about a waiting job', () => {
    // 19:00 UTC is 22:00 in Moscow; the window opens at 09:00 Moscow, 06:00 UTC.
    const now = new Date('2026-11-24T19:00:00.000Z');
    const next = nextPollAt(placed('2026-11-24T19:00:00.000Z'), moscowDays, false, now, timing);

    expect(next.toISOString()).toBe('2026-11-25T06:00:00.000Z');
  });

  it.each([
    ['a minute', '2026-11-24T11:59:00.000Z', 30],
    ['eight minutes', '2026-11-24T11:52:00.000Z', 120],
    ['an hour', '2026-11-24T11:00:00.000Z', 300],
  ])(
    'within the window, asks after a quarter of the wait so far (placed %s ago), between 30 s and 5 min',
    (_, placedAt, seconds) => {
      const now = '2026-11-24T12:00:00.000Z';
      const next = nextPollAt(placed(placedAt), moscowDays, false, new Date(now), timing);

      expect(secondsUntil(now, next)).toBe(seconds);
    },
  );

  it('backs off the same way for a route without calling hours', () => {
    const now = '2026-11-24T02:00:00.000Z';
    const next = nextPollAt(
      placed('2026-11-24T01:52:00.000Z'),
      undefined,
      false,
      new Date(now),
      timing,
    );

    expect(secondsUntil(now, next)).toBe(120);
  });
});
