import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCall, postHook } from '../support/http.ts';
import { ADMIN_KEY, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const listCalls = async (baseUrl: string, query: string, key: string | null = ADMIN_KEY) => {
  const response = await fetch(`${baseUrl}/calls${query}`, {
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const idsOf = (body: Record<string, unknown>) =>
  (body.items as { call_id: string }[]).map((item) => item.call_id);

describe('GET /calls', () => {
  let rt: TestRuntime;
  /** The call ids of the accepted events, oldest first. */
  const accepted: string[] = [];

  beforeAll(async () => {
    // Dispatch stalled: every call stays `queued`.
    rt = await startTestRuntime({ queue: { concurrency: 0 }, sweepIntervalMs: 0 });
    for (let i = 1; i <= 3; i++) {
      const answer = await postHook(
        rt.bridgeUrl,
        'callback',
        { phone: `+7926000${String(i).padStart(4, '0')}` },
        { headers: { 'idempotency-key': `order-${i}` } },
      );
      expect(answer.status).toBe(202);
      accepted.push(String(answer.body.call_id));
      // Distinct creation times, so "newest first" is one order.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });
  afterAll(() => rt.stop());

  it('needs the admin key', async () => {
    expect((await listCalls(rt.bridgeUrl, '', null)).body).toMatchObject({
      status: 401,
      code: 'unauthorized',
    });
    expect((await listCalls(rt.bridgeUrl, '', 'wrong')).status).toBe(401);
  });

  it('lists the calls newest first, in the view of GET /calls/{id}', async () => {
    const { status, body } = await listCalls(rt.bridgeUrl, '?route=callback');

    expect(status).toBe(200);
    expect(idsOf(body)).toEqual([...accepted].reverse());
    expect(body.next_cursor).toBeNull();
    const one = (await getCall(rt.bridgeUrl, accepted[0] ?? '')).body;
    // The list shows each call without what only its own page does.
    const { timeline: _, timings: __, key_source: ___, request: ____, ...view } = one;
    expect((body.items as unknown[]).at(-1)).toEqual(view);
  });

  it('pages with an opaque cursor', async () => {
    const first = await listCalls(rt.bridgeUrl, '?limit=2');
    const cursor = String(first.body.next_cursor);
    const second = await listCalls(rt.bridgeUrl, `?limit=2&cursor=${encodeURIComponent(cursor)}`);

    expect(idsOf(first.body)).toEqual([accepted[2], accepted[1]]);
    expect(idsOf(second.body)).toEqual([accepted[0]]);
    expect(second.body.next_cursor).toBeNull();
  });

  it('refuses a tampered cursor, and one given for other filters', async () => {
    const first = await listCalls(rt.bridgeUrl, '?limit=1');
    const cursor = String(first.body.next_cursor);
    const [text, mac] = cursor.split('.') as [string, string];
    const position = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    const forged = `${Buffer.from(JSON.stringify({ ...position, c: '2099-01-01T00:00:00.000Z' })).toString('base64url')}.${mac}`;

    for (const query of [
      `?limit=1&cursor=${encodeURIComponent(forged)}`,
      `?limit=1&cursor=${encodeURIComponent(`${cursor}x`)}`,
      '?cursor=garbage',
      `?limit=1&status=queued&cursor=${encodeURIComponent(cursor)}`,
    ]) {
      const { status, body } = await listCalls(rt.bridgeUrl, query);
      expect({ query, status, code: body.code }).toEqual({
        query,
        status: 400,
        code: 'invalid_cursor',
      });
    }
  });

  it('filters by status and by the contact’s last 4 digits', async () => {
    expect(idsOf((await listCalls(rt.bridgeUrl, '?status=queued,scheduled')).body)).toHaveLength(3);
    expect(idsOf((await listCalls(rt.bridgeUrl, '?status=failed,skipped')).body)).toEqual([]);
    expect(idsOf((await listCalls(rt.bridgeUrl, '?contact_last4=0002')).body)).toEqual([
      accepted[1],
    ]);
    const later = await listCalls(rt.bridgeUrl, '?since=2099-01-01&until=2099-12-31T00:00:00Z');
    expect(later.body).toEqual({ items: [], next_cursor: null });
  });

  it('finds the call of an event by the key its sender knows', async () => {
    const { status, body } = await listCalls(rt.bridgeUrl, '?route=callback&key=order-2');

    expect(status).toBe(200);
    expect(idsOf(body)).toEqual([accepted[1]]);
    expect(body.next_cursor).toBeNull();
    expect(idsOf((await listCalls(rt.bridgeUrl, '?route=other&key=order-2')).body)).toEqual([]);
    expect(idsOf((await listCalls(rt.bridgeUrl, '?route=callback&key=order-9')).body)).toEqual([]);
  });

  it('answers a bad filter with 400 invalid_filter, naming the parameter', async () => {
    for (const [query, parameter] of [
      ['?status=bogus', 'status'],
      ['?status=queued,', 'status'],
      ['?since=yesterday', 'since'],
      ['?until=2024-13-01', 'until'],
      ['?since=2024-02-01&until=2024-01-01', 'since'],
      ['?contact_last4=12', 'contact_last4'],
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=ten', 'limit'],
      ['?key=order-1', 'key'],
      ['?stauts=queued', 'stauts'],
    ] as const) {
      const { status, body } = await listCalls(rt.bridgeUrl, query);
      expect({ query, status, code: body.code, parameter: body.parameter }).toEqual({
        query,
        status: 400,
        code: 'invalid_filter',
        parameter,
      });
    }
  });

  it('shows a call’s timeline on GET /calls/{id}', async () => {
    const { body } = await getCall(rt.bridgeUrl, accepted[0] ?? '');

    expect(body.timeline).toEqual([
      {
        type: 'status',
        at: body.created_at,
        status: 'queued',
        reason: 'accepted (key from header)',
      },
    ]);
  });
});
