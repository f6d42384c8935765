import { describe, expect, it } from 'vitest';
import { CursorCodec, parseListRequest } from '../../shared/calls/call-list.ts';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import { timelineOf } from '../../shared/calls/call-view.ts';
import { ProblemError } from '../../shared/http/problem-error.ts';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof ProblemError ? error.code : 'other';
  }
  return 'none';
};

describe('Function: parseListRequest', () => {
  it('reads the filters and normalises the times', () => {
    expect(
      parseListRequest({
        status: 'failed,unknown,failed',
        route: 'callback',
        since: '2025-03-01',
        until: '2025-03-01T12:00:00+03:00',
        contact_last4: '0042',
        limit: '20',
      }),
    ).toEqual({
      filters: {
        statuses: ['failed', 'unknown'],
        route: 'callback',
        since: '2025-03-01T00:00:00.000Z',
        until: '2025-03-01T09:00:00.000Z',
        contactLast4: '0042',
      },
      limit: 20,
    });
    expect(parseListRequest({}).limit).toBe(50);
  });

  it('refuses a bad value as invalid_filter', () => {
    for (const query of [
      { status: '' },
      { since: '1700000000' },
      { until: '2025-02-30T00:00:00Z' },
      { limit: '100.5' },
      { contact_last4: '12345' },
      { route: '' },
      { key: 'x' },
      { route: 'r', key: 'x', cursor: 'c' },
    ]) {
      expect({ query, code: codeOf(() => parseListRequest(query)) }).toEqual({
        query,
        code: 'invalid_filter',
      });
    }
  });
});

describe('Class: CursorCodec', () => {
  const position = { created_at: '2025-03-01T00:00:00.000Z', call_id: `c_${'a'.repeat(32)}` };

  it('gives back the position for the same filters and the same key', () => {
    const cursor = new CursorCodec('k').encode(position, { route: 'r' });

    expect(new CursorCodec('k').decode(cursor, { route: 'r' })).toEqual(position);
    expect(cursor).toMatch(/^[\w-]+\.[\w-]+$/);
  });

  it('refuses another key’s cursor, other filters, and garbage', () => {
    const cursor = new CursorCodec('k').encode(position, { route: 'r' });

    expect(codeOf(() => new CursorCodec('other').decode(cursor, { route: 'r' }))).toBe(
      'invalid_cursor',
    );
    expect(codeOf(() => new CursorCodec('k').decode(cursor, { route: 's' }))).toBe(
      'invalid_cursor',
    );
    for (const garbage of ['', '.', 'a.b.c', 'x'.repeat(500)]) {
      expect(codeOf(() => new CursorCodec('k').decode(garbage, {}))).toBe('invalid_cursor');
    }
  });
});

describe('Function: timelineOf', () => {
  const record = {
    // The contact the event names: masked because it is the call's contact, whatever its shape.
    request: { method: 'start.simple_call', params: { contact: '79260000042' } },
    history: [
      { status: 'queued', at: '2025-03-01T00:00:00.000Z', reason: 'accepted (key from route)' },
      { status: 'placed', at: '2025-03-01T00:00:02.000Z' },
      { status: 'completed', at: '2025-03-01T00:01:00.000Z', reason: 'normal' },
    ],
    outcome: {
      answered: true,
      ended_at: '2025-03-01T00:01:00.000Z',
      event: JSON.stringify({
        event: 'ended',
        call_session_id: 7,
        contact_phone_number: '79260000042',
        finish_reason: 'subscriber hung up at 79260000042',
        talk_time_duration: 41,
      }),
    },
    callback_log: {
      'c_x.3': {
        webhook_id: 'c_x.3',
        status: 'completed',
        attempts: 2,
        outcome: 'retrying',
        status_code: 503,
        last_error: 'HTTP 503',
        at: '2025-03-01T00:01:30.000Z',
        next_attempt_at: '2025-03-01T00:01:50.000Z',
      },
    },
  } as unknown as CallRecord;

  it('orders the changes, the provider event and the deliveries, and masks the event', () => {
    const timeline = timelineOf(record);

    expect(timeline.map((entry) => entry.type)).toEqual([
      'status',
      'status',
      'status',
      'provider_event',
      'callback',
    ]);
    expect(timeline[3]).toEqual({
      type: 'provider_event',
      at: '2025-03-01T00:01:00.000Z',
      event: 'ended',
      finish_reason: 'subscriber hung up at *******0042',
      talk_time_duration: 41,
    });
    expect(JSON.stringify(timeline)).not.toContain('79260000042');
  });

  it("shows a call's 10 latest callback deliveries, oldest first, whatever order the log keeps", () => {
    const delivery = (n: number) => ({
      webhook_id: `c_x.${n}`,
      attempts: 1,
      outcome: 'delivered',
      at: `2025-03-01T01:${String(n).padStart(2, '0')}:00.000Z`,
    });
    const log = Object.fromEntries(
      [12, 3, 1, 7, 2, 11, 5, 4, 10, 6, 9, 8].map((n) => [`c_x.${n}`, delivery(n)]),
    );
    const timeline = timelineOf({ ...record, callback_log: log } as unknown as CallRecord);

    expect(
      timeline.flatMap((entry) => (entry.type === 'callback' ? [entry.webhook_id] : [])),
    ).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((n) => `c_x.${n}`));
  });

  it('shows an event cut at its size limit as an event without fields', () => {
    const cut = { ...record, outcome: { event: '{"event":"ended","contact' }, callback_log: {} };

    expect(timelineOf(cut as CallRecord).at(-1)).toEqual({
      type: 'provider_event',
      at: null,
      event: null,
      finish_reason: null,
      talk_time_duration: null,
    });
  });
});
