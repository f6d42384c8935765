import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figuresReport } from '../../shared/calls/figures-report.ts';
import type { FiguresReport } from '../../shared/contract/admin-schemas.ts';
import { postHook, waitForStatus } from '../support/http.ts';
import {
  ADMIN_KEY,
  queueIdle,
  shippedConfig,
  startTestRuntime,
  type TestRuntime,
} from '../support/runtime.ts';

const HOUR = 3_600_000;
// Today (records older than retention_days read as gone), on the hour.
const NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const hoursBefore = (hours: number) => new Date(NOW.getTime() - hours * HOUR).toISOString();

const figures = async (baseUrl: string, query: string, key: string | null = ADMIN_KEY) => {
  const response = await fetch(`${baseUrl}/figures${query}`, {
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const zero = {
  accepted: 0,
  placed: 0,
  completed: 0,
  failed: 0,
  unknown: 0,
  skipped: 0,
  accepted_to_placed_ms: null,
  // The shipped config's routes set no speed-to-lead target.
  speed_to_lead: null,
};

describe('GET /figures, through the local runtime on dynalite', () => {
  let rt: TestRuntime;
  let clock = new Date(NOW.getTime() - 30 * HOUR);

  beforeAll(async () => {
    // One clock for every function: the calls are made at known times, and placed at once.
    rt = await startTestRuntime({ now: () => clock, sweepIntervalMs: 0 });
    const accept = async (route: string, body: Record<string, unknown>) => {
      const answer = await postHook(rt.bridgeUrl, route, body);
      return String(answer.body.call_id);
    };
    // 30 hours ago: outside the default window, inside 48 hours.
    await waitForStatus(
      rt.bridgeUrl,
      await accept('callback', { phone: '+79260000201' }),
      'placed',
    );
    clock = new Date(NOW.getTime() - 2 * HOUR);
    rt.simulator.injectFault({
      fault: { mode: 'drop_after' },
      method: 'start.simple_call',
      times: 1,
    });
    const lost = await accept('callback', { phone: '+79260000202' });
    await waitForStatus(rt.bridgeUrl, lost, 'unknown');
    const placed = await accept('callback', { phone: '+79260000203' });
    const order = await accept('order-confirmation', {
      order_id: '1001',
      phone: '+79260000204',
      name: 'Anna',
      total: '2500',
    });
    expect((await postHook(rt.bridgeUrl, 'callback', { phone: 'nope' })).status).toBe(422);
    await waitForStatus(rt.bridgeUrl, placed, 'placed');
    await waitForStatus(rt.bridgeUrl, order, 'placed');
    await queueIdle(rt.queue);
    clock = NOW;
  });
  afterAll(() => rt.stop());

  it('needs the admin key', async () => {
    expect((await figures(rt.bridgeUrl, '', null)).body).toMatchObject({
      status: 401,
      code: 'unauthorized',
    });
    expect((await figures(rt.bridgeUrl, '', 'wrong')).status).toBe(401);
  });

  it('marks its answers, and every other admin answer, for no cache to keep', async () => {
    const headers = { authorization: `Bearer ${ADMIN_KEY}` };
    const list = await fetch(`${rt.bridgeUrl}/calls?limit=1`, { headers });
    const [first] = ((await list.json()) as { items: { call_id: string }[] }).items;
    const answers = [
      await fetch(`${rt.bridgeUrl}/figures`, { headers }),
      list,
      await fetch(`${rt.bridgeUrl}/calls/${first?.call_id}`, { headers }),
    ];

    expect(answers.map((answer) => [answer.status, answer.headers.get('cache-control')])).toEqual([
      [200, 'no-store'],
      [200, 'no-store'],
      [200, 'no-store'],
    ]);
  });

  it('counts each configured route’s calls of the last 24 hours', async () => {
    const { status, body } = await figures(rt.bridgeUrl, '');

    expect(status).toBe(200);
    expect(body).toMatchObject({
      since: hoursBefore(24),
      until: NOW.toISOString(),
      complete: true,
      routes: [
        {
          route: 'callback',
          ...zero,
          accepted: 2,
          placed: 1,
          unknown: 1,
          skipped: 1,
          // The clock stood still between acceptance and placement.
          accepted_to_placed_ms: { p50: 0, p95: 0 },
        },
        {
          route: 'order-confirmation',
          ...zero,
          accepted: 1,
          placed: 1,
          accepted_to_placed_ms: { p50: 0, p95: 0 },
        },
      ],
      total: { route: 'All routes', accepted: 3, placed: 2, unknown: 1, skipped: 1 },
    });
    // Placed, none talked yet: a connection rate of 0, and the skipped event by its reason.
    const report = body as unknown as FiguresReport;
    const [callback] = report.routes;
    expect(callback?.reach).toMatchObject({
      talked: 0,
      connection_rate: 0,
      skipped_by_reason: { invalid_phone: 1 },
      event_to_placed_ms: { p50: 0, p95: 0 },
    });
    expect(callback?.reach.trend).toHaveLength(24);
    expect(callback?.reach.trend.reduce((sum, slice) => sum + slice.placed, 0)).toBe(1);
    expect(report.total.reach.connection_rate).toBe(0);
  });

  it('takes the window from hours', async () => {
    const week = await figures(rt.bridgeUrl, '?hours=48');
    const hour = await figures(rt.bridgeUrl, '?hours=1');

    expect(week.body.since).toBe(hoursBefore(48));
    expect(week.body.routes).toContainEqual(
      expect.objectContaining({ route: 'callback', accepted: 3, placed: 2 }),
    );
    expect(hour.body.routes).toMatchObject([
      { route: 'callback', ...zero },
      { route: 'order-confirmation', ...zero },
    ]);
  });

  it('answers a bad window with 400 invalid_filter, naming the parameter', async () => {
    for (const [query, parameter] of [
      ['?hours=0', 'hours'],
      ['?hours=169', 'hours'],
      ['?hours=day', 'hours'],
      ['?since=2025-03-01', 'since'],
    ] as const) {
      const { status, body } = await figures(rt.bridgeUrl, query);
      expect({ query, status, code: body.code, parameter: body.parameter }).toEqual({
        query,
        status: 400,
        code: 'invalid_filter',
        parameter,
      });
    }
  });

  it('says when the window held more calls than it read', async () => {
    const deps = { store: rt.store, config: await shippedConfig(), now: () => NOW };

    const capped = await figuresReport(deps, {}, 2);
    const whole = await figuresReport(deps, {}, 4);

    expect(capped.complete).toBe(false);
    const counted = capped.routes.reduce((sum, route) => sum + route.accepted + route.skipped, 0);
    expect(counted).toBe(2);
    // Exactly as many calls as the cap: the list ended, so nothing was left out.
    expect(whole.complete).toBe(true);
  });
});
