import { describe, expect, it } from 'vitest';
import { JAICP } from '../../shared/backends/jaicp/jaicp.ts';
import { jaicpWindowOf, toJob } from '../../shared/backends/jaicp/jaicp-job.ts';
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

describe('Holidays in the job JAICP is given', () => {
  // Moscow is UTC+3 all year. 2026-11-03 is a Tuesday, 2026-11-04 a Wednesday (Unity Day).
  const holidayRoute = (holidays?: string[], maxAgeMinutes?: number) => {
    const route = config({
      account: 'bot',
      call: { method: 'jaicp.addPhones', contact: 'phone' },
      calling_hours: {
        time_zone: 'Europe/Moscow',
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        from: '09:00',
        to: '18:00',
        ...(holidays !== undefined && { holidays }),
      },
      ...(maxAgeMinutes !== undefined && { max_age_minutes: maxAgeMinutes }),
    }).routes.r;
    if (route === undefined) throw new Error('no route');
    return route;
  };
  const jobOf = (
    holidays: string[] | undefined,
    acceptedAt: string,
    claimedAt: string,
    maxAgeMinutes?: number,
  ) =>
    toJob(
      { contact: '79260000000', ...jaicpWindowOf(holidayRoute(holidays, maxAgeMinutes)) },
      acceptedAt,
      claimedAt,
    );
  const window = {
    phone: '79260000000',
    gmtZone: 'Europe/Moscow',
    allowedDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
    allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '18:00' }] },
  };

  it('starts a job sent on a holiday, inside the weekday window, at the next opening that is no holiday', () => {
    // Wednesday 12:00 in Moscow, a holiday.
    const job = jobOf(['2026-11-04'], '2026-11-04T09:00:00.000Z', '2026-11-04T09:00:00.000Z');

    expect(job).toEqual({ ...window, startDateTime: '2026-11-05T06:00:00.000Z' });
  });

  it('reads the holiday in the route zone and from the moment the job is sent, not when accepted', () => {
    // Accepted Tuesday 12:00; claimed and sent Wednesday 01:00 in Moscow (Tuesday 22:00 UTC).
    const job = jobOf(
      ['2026-11-04', '2026-11-05'],
      '2026-11-03T09:00:00.000Z',
      '2026-11-03T22:00:00.000Z',
    );

    expect(job).toEqual({ ...window, startDateTime: '2026-11-06T06:00:00.000Z' });
  });

  it('starts after a holiday that is tomorrow when today’s window has closed', () => {
    // Tuesday 19:00 in Moscow: without the holiday JAICP would ring at 09:00 on Wednesday.
    const job = jobOf(['2026-11-04'], '2026-11-03T16:00:00.000Z', '2026-11-03T16:00:00.000Z');

    expect(job).toEqual({ ...window, startDateTime: '2026-11-05T06:00:00.000Z' });
  });

  it('ends a job that would live into a holiday when that holiday begins, in the route zone', () => {
    // Tuesday 12:00 in Moscow, open; the day after is a holiday, so the job ends at its midnight.
    const job = jobOf(['2026-11-04'], '2026-11-03T09:00:00.000Z', '2026-11-03T09:00:00.000Z');

    expect(job).toEqual({ ...window, finishDateTime: '2026-11-03T21:00:00.000Z' });
  });

  it('keeps the earlier of the maximum age and the next holiday as the end', () => {
    const sentTuesdayNoon = ['2026-11-03T09:00:00.000Z', '2026-11-03T09:00:00.000Z'] as const;

    expect(jobOf(['2026-11-04'], ...sentTuesdayNoon, 1440).finishDateTime).toBe(
      '2026-11-03T21:00:00.000Z',
    );
    expect(jobOf(['2026-11-04'], ...sentTuesdayNoon, 60).finishDateTime).toBe(
      '2026-11-03T10:00:00.000Z',
    );
  });

  it('both starts after today’s holiday and ends before the next one', () => {
    const job = jobOf(
      ['2026-11-06', '2026-11-04'],
      '2026-11-04T09:00:00.000Z',
      '2026-11-04T09:00:00.000Z',
    );

    expect(job).toEqual({
      ...window,
      startDateTime: '2026-11-05T06:00:00.000Z',
      finishDateTime: '2026-11-05T21:00:00.000Z',
    });
  });

  it('is not bounded by a holiday on a day the route never calls', () => {
    // Friday 12:00; Saturday is a holiday but not a calling day; Monday 2026-11-09 is one.
    const job = jobOf(
      ['2026-11-07', '2026-11-09'],
      '2026-11-06T09:00:00.000Z',
      '2026-11-06T09:00:00.000Z',
    );

    expect(job).toEqual({ ...window, finishDateTime: '2026-11-08T21:00:00.000Z' });
  });

  it('keeps the holidays with the stored request, never in what JAICP is sent', async () => {
    const route = holidayRoute(['2026-11-04']);
    const request = await JAICP.request({
      account: { backend: 'jaicp', secret: 'bot/token' } as never,
      route,
      call: route.call as never,
      contact: '79260000000',
      evaluate: async () => undefined,
      text: async () => '',
    });

    expect(request.params).toMatchObject({ holidays: ['2026-11-04'] });
    expect(toJob(request.params, '2026-11-04T09:00:00.000Z')).not.toHaveProperty('holidays');
  });

  it.each([
    ['open', '2026-11-04T09:00:00.000Z'],
    ['closed', '2026-11-04T16:00:00.000Z'],
  ])('gives a route without holidays the same job as before, its window %s', (_, claimedAt) => {
    const params = { contact: '79260000000', ...jaicpWindowOf(holidayRoute(undefined, 1440)) };

    expect(params).not.toHaveProperty('holidays');
    expect(toJob(params, '2026-11-04T06:00:00.000Z', claimedAt)).toEqual({
      ...window,
      finishDateTime: '2026-11-05T06:00:00.000Z',
    });
    expect(jobOf([], '2026-11-04T06:00:00.000Z', claimedAt, 1440)).toEqual({
      ...window,
      finishDateTime: '2026-11-05T06:00:00.000Z',
    });
  });

  it('gives a route whose holidays lie outside the job’s reach the same job as before', () => {
    const job = jobOf(['2026-11-01'], '2026-11-04T06:00:00.000Z', '2026-11-04T09:00:00.000Z', 60);

    expect(job).toEqual({ ...window, finishDateTime: '2026-11-04T07:00:00.000Z' });
  });
});
