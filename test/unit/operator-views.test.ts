import { describe, expect, it } from 'vitest';
import { toCsv, toJson } from '../../console/src/export-format.ts';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import { toCallDetail, toCallView } from '../../shared/calls/call-view.ts';
import { reachOf } from '../../shared/calls/reach-figures.ts';
import { callAgainRefusal, reachedCustomer } from '../../shared/dispatch/call-again.ts';
import { maskFields } from '../../shared/logging/mask-fields.ts';
import { queuedRecord } from '../support/dispatch.ts';

const SINCE = '2026-12-07T00:00:00.000Z';
const UNTIL = '2026-12-08T00:00:00.000Z';
const at = (hours: number) => new Date(Date.parse(SINCE) + hours * 3_600_000).toISOString();

/** A call created `hours` into the window, placed, its attempts ended with these results. */
const ended = (id: string, hours: number, results: string[], extra: Partial<CallRecord> = {}) => {
  const record = queuedRecord(id);
  const dials = results.slice(0, -1).map((result, i) => ({
    attempt: i + 1,
    ...(i > 0 && { cause: 'redial' as const }),
    outcome: {
      result: result as 'no_answer',
      finish_reason: null,
      talk_s: 0,
      wait_s: 10,
      ended_at: at(hours),
    },
  }));
  const last = results.at(-1) as 'talked';
  return {
    ...record,
    status: 'completed',
    created_at: at(hours),
    history: [
      { status: 'queued', at: at(hours) },
      { status: 'placed', at: new Date(Date.parse(at(hours)) + 2_000).toISOString() },
    ],
    attempt: results.length,
    redials: results.length - 1,
    dials: [
      ...dials,
      ...(results.length > 1 ? [{ attempt: results.length, cause: 'redial' as const }] : []),
    ],
    outcome: {
      reported_by: 'report',
      result: last,
      finish_reason: null,
      talk_s: last === 'talked' ? 42 : 0,
      wait_s: 5,
      ended_at: at(hours),
    },
    ...extra,
  } satisfies CallRecord as CallRecord;
};

describe('What a call shows of itself', () => {
  it('its key, how its last attempt ended, its talk time, and its request masked', () => {
    const record = ended('c_1', 1, ['no_answer', 'talked'], {
      event_key: '1042',
      key_source: 'route',
    });
    record.request = {
      method: 'start.informer_call',
      params: {
        contact: '79260001042',
        virtual_phone_number: '74993720692',
        contact_message: { type: 'tts', value: 'Call 79260001042 back about order 1042.' },
      },
    };

    expect(toCallView(record)).toMatchObject({ event_key: '1042', result: 'talked', talk_s: 42 });
    expect(toCallDetail(record)).toMatchObject({
      key_source: 'route',
      request: {
        method: 'start.informer_call',
        params: {
          contact: '*******1042',
          // Named like a phone, so masked too: the account's own number is no secret, but
          // nothing here tells the two apart.
          virtual_phone_number: '*******0692',
          contact_message: { type: 'tts', value: 'Call *******1042 back about order 1042.' },
        },
      },
    });
  });

  it('hides fields named like secrets and masks fields named like phones, at any depth', () => {
    expect(
      maskFields(
        {
          payload: { api_key: 'k-123', Token: 'x', client: { phone: '+7 926 000-10-42' } },
          list: [{ password: 'p' }],
          note: 'say hello',
          count: 3,
        },
        '79260001042',
      ),
    ).toEqual({
      payload: { api_key: '***', Token: '***', client: { phone: '*******1042' } },
      list: [{ password: '***' }],
      note: 'say hello',
      count: 3,
    });
  });
});

describe('Call again, decided on the record', () => {
  it('applies to a completed call that did not talk; refuses a talked one unless confirmed', () => {
    const missed = ended('c_1', 1, ['no_answer']);
    const talked = ended('c_2', 1, ['talked']);

    expect(callAgainRefusal(missed, false)).toBeUndefined();
    expect(reachedCustomer(talked)).toBe(true);
    expect(callAgainRefusal(talked, false)).toMatch(/talked to the customer/);
    expect(callAgainRefusal(talked, true)).toBeUndefined();
    expect(callAgainRefusal({ ...missed, status: 'placed' }, true)).toMatch(/only a completed/);
  });

  it('never after the sender’s cancel or the customer’s own call, confirmed or not', () => {
    const missed = ended('c_1', 1, ['no_answer']);

    expect(
      callAgainRefusal({ ...missed, cancelled_by_sender: { at: at(2), route: 'cancelled' } }, true),
    ).toMatch(/the sender cancelled it/);
    expect(callAgainRefusal({ ...missed, customer_called_in: { at: at(2) } }, true)).toMatch(
      /the customer called in/,
    );
  });
});

describe('Function: reachOf', () => {
  it('counts talked, the connection rate, results, redials that talked, and a trend', () => {
    const records = [
      ended('c_1', 1, ['no_answer', 'talked']),
      ended('c_2', 1, ['busy']),
      ended('c_3', 13, ['talked']),
      ended('c_4', 23.5, ['no_answer', 'no_answer']),
      {
        ...queuedRecord('c_5'),
        status: 'skipped',
        created_at: at(2),
        error: { reason: 'invalid_phone', message: '' },
      } as CallRecord,
      { ...queuedRecord('c_6'), created_at: at(2) },
    ];

    const reach = reachOf(records, { since: SINCE, until: UNTIL });

    expect(reach).toMatchObject({
      talked: 2,
      connection_rate: 0.5,
      results: { talked: 2, busy: 1, no_answer: 1, operator_missed: 0 },
      redials: 2,
      redials_talked: 1,
      skipped_by_reason: { invalid_phone: 1 },
      event_to_placed_ms: { p50: 2_000, p95: 2_000 },
    });
    expect(reach.trend).toHaveLength(24);
    expect(reach.trend[1]).toEqual({ from: at(1), placed: 2, talked: 1 });
    expect(reach.trend[13]).toEqual({ from: at(13), placed: 1, talked: 1 });
    expect(reach.trend[23]).toEqual({ from: at(23), placed: 1, talked: 0 });
    expect(reach.trend.reduce((sum, slice) => sum + slice.placed, 0)).toBe(4);
  });

  it('measures from the sender’s own event time where it signed one', () => {
    const record = ended('c_1', 1, ['talked'], {
      sender_event_at: new Date(Date.parse(at(1)) - 60_000).toISOString(),
    });

    expect(reachOf([record], { since: SINCE, until: UNTIL }).event_to_placed_ms).toEqual({
      p50: 62_000,
      p95: 62_000,
    });
  });
});

describe('The export files', () => {
  it('write CSV a spreadsheet cannot take for formulas, and JSON with the same columns', () => {
    const record = ended('c_1', 1, ['no_answer'], { event_key: '=HYPERLINK("x")' });
    const view = toCallView(record);

    const csv = toCsv([view]).split('\r\n');
    expect(csv[1]).toContain(`,"'=HYPERLINK(""x"")",`);
    expect(csv[1]).toContain(',*******0000,');
    expect(JSON.parse(toJson([view]))).toEqual([
      expect.objectContaining({
        call_id: 'c_1',
        event_key: '=HYPERLINK("x")',
        result: 'no_answer',
      }),
    ]);
  });
});
