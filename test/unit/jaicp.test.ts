import { describe, expect, it } from 'vitest';
import { jaicpWindowOf, toJob } from '../../shared/backends/jaicp/jaicp.ts';
import { progressOf } from '../../shared/backends/jaicp/job-status.ts';
import { parseConfig } from '../../shared/config/load.ts';

describe('Function: progressOf (JAICP job statuses)', () => {
  it.each([
    ['planned', 'pending'],
    ['inProcess', 'pending'],
    ['onRetry', 'pending'],
    ['longCallWithResult', 'completed'],
    ['longCallWithNoResult', 'completed'],
    ['noAnswer', 'completed'],
    ['canceled', 'cancelled'],
    ['nonexistentNumber', 'failed'],
    ['notDone', 'failed'],
  ])('maps %s to %s', (jobStatus, state) => {
    expect(progressOf({ jobStatus }).state).toBe(state);
  });

  it('keeps whether it was answered, and how long', () => {
    expect(progressOf({ jobStatus: 'noAnswer' })).toMatchObject({ outcome: { answered: false } });
    expect(
      progressOf({ jobStatus: 'longCallWithResult', callDuration: 42, finishedAt: 0 }),
    ).toMatchObject({
      outcome: { answered: true, duration_s: 42, ended_at: '1970-01-01T00:00:00.000Z' },
    });
  });
});

const config = (route: Record<string, unknown>) =>
  parseConfig(
    {
      accounts: {
        bot: { backend: 'jaicp', secret: 'bot/token' },
        phone: { provider: 'uis', secret: 'uis/key', virtual_phone_number: '74993720692' },
      },
      routes: {
        r: { auth: { type: 'token', secret: 't' }, ...route },
      },
    },
    'test',
  );

describe('JAICP routes in the config', () => {
  const jaicpCall = { method: 'jaicp.addPhones', contact: 'phone' };

  it('passes the calling hours and maximum age as the job window', () => {
    const route = config({
      account: 'bot',
      call: jaicpCall,
      calling_hours: { time_zone: 'Asia/Almaty', days: ['mon', 'fri'], from: '10:00', to: '18:00' },
      max_age_minutes: 60,
    }).routes.r;
    if (route === undefined) throw new Error('no route');

    const window = jaicpWindowOf(route);

    expect(window).toEqual({
      gmtZone: 'Asia/Almaty',
      allowedDays: ['mon', 'fri'],
      allowedTime: { default: [{ localTimeFrom: '10:00', localTimeTo: '18:00' }] },
      maxAgeMinutes: 60,
    });
    expect(toJob({ contact: '79260000000', ...window }, '2026-11-24T00:00:00.000Z')).toEqual({
      phone: '79260000000',
      gmtZone: 'Asia/Almaty',
      allowedDays: ['mon', 'fri'],
      allowedTime: { default: [{ localTimeFrom: '10:00', localTimeTo: '18:00' }] },
      finishDateTime: '2026-11-24T01:00:00.000Z',
    });
  });

  it.each([
    ['a JAICP call on a Call API account', { account: 'phone', call: jaicpCall }],
    [
      'a Call API call on a JAICP account',
      {
        account: 'bot',
        call: {
          method: 'start.simple_call',
          contact: 'phone',
          params: { first_call: 'operator', operator: '74951234567' },
        },
      },
    ],
  ])('refuses %s at routes.r.call.method', (_, route) => {
    expect(() => config(route)).toThrow(/routes\.r\.call\.method: /);
  });
});
