import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../shared/calls/call-record.ts';
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

const record = (fields: Partial<CallRecord> = {}) => ({
  created_at: '2026-03-02T10:00:00.000Z',
  history: [
    { status: 'queued' as const, at: '2026-03-02T10:00:00.000Z' },
    { status: 'dialing' as const, at: '2026-03-02T10:00:01.000Z' },
    { status: 'placed' as const, at: '2026-03-02T10:00:02.000Z' },
  ],
  ...fields,
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
    const wentUnknown = record();
    wentUnknown.history.splice(2, 0, {
      status: 'unknown' as never,
      at: '2026-03-02T10:00:02.000Z',
    });
    expect(planRedial(route, wentUnknown, missed, NOW)).toMatchObject({ kind: 'none' });
    // An earlier attempt's unknown does not count against a later one.
    const later = record();
    later.history.unshift({ status: 'unknown' as never, at: '2026-03-02T09:00:00.000Z' });
    expect(planRedial(route, later, missed, NOW)).toMatchObject({ kind: 'redial' });
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
