import { describe, expect, it } from 'vitest';
import type { Dial } from '../../shared/calls/attempts.ts';
import type { HistoryEntry } from '../../shared/calls/call-record.ts';
import type { RouteConfig } from '../../shared/config/schema.ts';
import { planRedial } from '../../shared/dispatch/redial-plan.ts';
import { demoConfig } from '../support/configs.ts';

const NOW = new Date('2026-03-02T10:05:00.000Z');
const ENDED = '2026-03-02T10:04:00.000Z';

const routeWith = (extra: Record<string, unknown>): RouteConfig => {
  const config = demoConfig(
    {
      callback: {
        auth: { type: 'none' },
        call: {
          method: 'start.simple_call',
          contact: 'phone',
          params: { first_call: 'operator', operator: '74951234567' },
        },
        redial: { on: ['no_answer', 'busy'], max: 2, after_minutes: 10 },
        ...extra,
      },
    },
    {
      accounts: {
        demo: {
          provider: 'simulator',
          secret: 'demo/callapi',
          virtual_phone_number: '74993720692',
          data_api: { secret: 'demo/dataapi' },
        },
      },
    },
  );
  return config.routes.callback as RouteConfig;
};

type Planned = Parameters<typeof planRedial>[1];

/** A call on its first attempt, unless `fields` say otherwise. */
const record = (fields: Partial<Planned> = {}): Planned => ({
  call_id: 'c_redial',
  created_at: '2026-03-02T10:00:00.000Z',
  ...fields,
});

/** Attempt `attempt`'s dial, placed and ended. */
const dial = (attempt: number, extra: Partial<Dial> = {}): Dial => ({
  attempt,
  ...(attempt > 1 && { cause: 'redial' as const }),
  ended_at: ENDED,
  ...extra,
});

describe('planRedial: whether an attempt that ended is followed by another', () => {
  it('redials a result the route names, after_minutes after the end, as the next attempt', () => {
    expect(
      planRedial(routeWith({}), record(), { result: 'no_answer', ended_at: ENDED }, NOW),
    ).toEqual({
      kind: 'redial',
      attempt: 2,
      at: new Date('2026-03-02T10:14:00.000Z'),
    });
    expect(
      planRedial(routeWith({}), record({ redials: 1 }), { result: 'busy', ended_at: ENDED }, NOW),
    ).toMatchObject({ kind: 'redial', attempt: 3 });
  });

  it('ends the chain on talked, on a result the route does not name, and without redial', () => {
    const route = routeWith({});
    expect(planRedial(route, record(), { result: 'talked', ended_at: ENDED }, NOW)).toEqual({
      kind: 'none',
    });
    expect(
      planRedial(route, record(), { result: 'operator_missed', ended_at: ENDED }, NOW),
    ).toEqual({ kind: 'none' });
    const { redial: _, ...plain } = route;
    expect(
      planRedial(plain as RouteConfig, record(), { result: 'no_answer', ended_at: ENDED }, NOW),
    ).toEqual({ kind: 'none' });
  });

  it('makes no more than max, none once stopped, none for an attempt that went unknown', () => {
    const route = routeWith({});
    const missed = { result: 'no_answer' as const, ended_at: ENDED };
    expect(planRedial(route, record({ redials: 2 }), missed, NOW)).toMatchObject({
      kind: 'none',
      why: 'no redial: all 2 made',
    });
    expect(planRedial(route, record({ redial_stopped: 'cancelled' }), missed, NOW)).toMatchObject({
      kind: 'none',
      why: 'no redial: cancelled',
    });
    // The current attempt went unknown: its dial says so.
    const wentUnknown = record({ dials: [dial(1, { went_unknown: true })] });
    expect(planRedial(route, wentUnknown, missed, NOW)).toEqual({
      kind: 'none',
      why: 'no redial: this attempt was unknown until the report found it',
    });
    const redialUnknown = record({
      attempt: 2,
      redials: 1,
      dials: [dial(1), dial(2, { went_unknown: true })],
    });
    expect(planRedial(route, redialUnknown, missed, NOW)).toMatchObject({
      kind: 'none',
      why: 'no redial: this attempt was unknown until the report found it',
    });
    // An earlier attempt's unknown does not count against a later one.
    const later = record({
      attempt: 2,
      redials: 1,
      dials: [dial(1, { went_unknown: true }), dial(2)],
    });
    expect(planRedial(route, later, missed, NOW)).toEqual({
      kind: 'redial',
      attempt: 3,
      at: new Date('2026-03-02T10:14:00.000Z'),
    });
  });

  it('decides by the current dial, not by the history', () => {
    const route = routeWith({});
    const missed = { result: 'no_answer' as const, ended_at: ENDED };
    // A history full of `unknown` lines (as an older record's, or one written by hand) with no
    // `went_unknown` on the current dial: the attempt is redialled.
    const history: HistoryEntry[] = [
      { status: 'queued', at: '2026-03-02T10:00:00.000Z' },
      { status: 'dialing', at: '2026-03-02T10:00:01.000Z' },
      { status: 'unknown', at: '2026-03-02T10:00:02.000Z' },
      { status: 'unknown', at: '2026-03-02T10:01:00.000Z' },
      { status: 'placed', at: '2026-03-02T10:02:00.000Z' },
      { status: 'unknown', at: '2026-03-02T10:03:00.000Z' },
    ];
    const unknownInHistory = { ...record({ dials: [dial(1)] }), history };
    expect(planRedial(route, unknownInHistory, missed, NOW)).toEqual({
      kind: 'redial',
      attempt: 2,
      at: new Date('2026-03-02T10:14:00.000Z'),
    });
    const noDials = { ...record(), history };
    expect(planRedial(route, noDials, missed, NOW)).toMatchObject({ kind: 'redial', attempt: 2 });
  });

  it('plans the attempt after the current one, after an operator retry too', () => {
    // Attempt 1, its redial (attempt 2), then an operator's retry (attempt 3): one redial left.
    const retried = record({
      attempt: 3,
      redials: 1,
      dials: [dial(1), dial(2), dial(3, { cause: 'retry' })],
    });
    expect(
      planRedial(routeWith({}), retried, { result: 'no_answer', ended_at: ENDED }, NOW),
    ).toEqual({
      kind: 'redial',
      attempt: 4,
      at: new Date('2026-03-02T10:14:00.000Z'),
    });
  });

  it('waits for the calling hours to open, and gives up past max_age_minutes', () => {
    const missed = { result: 'no_answer' as const, ended_at: '2026-03-02T17:55:00.000Z' };
    const evening = new Date('2026-03-02T17:56:00.000Z');
    const hours = { time_zone: 'Europe/Moscow', from: '09:00', to: '21:00' };

    expect(
      planRedial(routeWith({ calling_hours: hours }), record(), missed, evening),
    ).toMatchObject({
      kind: 'redial',
      at: new Date('2026-03-03T06:00:00.000Z'),
    });
    expect(
      planRedial(
        routeWith({ calling_hours: hours, max_age_minutes: 600 }),
        record(),
        missed,
        evening,
      ),
    ).toMatchObject({ kind: 'none', why: 'no redial: it would come after max_age_minutes' });
  });
});
