import { describe, expect, it } from 'vitest';
import type { RouteConfig } from '../../shared/config/schema.ts';
import { isStaleEvent } from '../../shared/ingest/event-age.ts';

const route = { event_time: 'at' } as RouteConfig;
const now = new Date('2026-12-01T12:00:00Z');
const stale = (at: unknown, retentionDays = 30) => isStaleEvent(route, { at }, now, retentionDays);

describe('Function: isStaleEvent', () => {
  it.each([
    ['an ISO time 31 days old', '2026-10-31T11:00:00Z', true],
    ['an ISO time 29 days old', '2026-11-02T12:00:00+03:00', false],
    ["WooCommerce's zoneless GMT time, read as UTC", '2026-10-31T11:59:00', true],
    ['a zoneless time just inside the window', '2026-11-01T12:01:00', false],
    ["Stripe's epoch seconds", Date.parse('2026-10-01T00:00:00Z') / 1000, true],
    ['epoch milliseconds', Date.parse('2026-11-30T00:00:00Z'), false],
    ['text that is no time', 'yesterday', false],
    ['nothing', undefined, false],
  ])('%s: %s', async (_, at, expected) => {
    expect(await stale(at)).toBe(expected);
  });

  it('never calls an event stale on a route that names no event time', async () => {
    expect(await isStaleEvent({} as RouteConfig, { at: '2000-01-01T00:00:00Z' }, now, 30)).toBe(
      false,
    );
  });
});
