import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../../shared/backends/callapi/data-api/outcome-of.ts';
import type { LegRow, SessionRow } from '../../shared/backends/callapi/data-api/reports.ts';

// The report's local times, three hours ahead of UTC: only their difference may count.
const session = (fields: Partial<SessionRow> = {}): SessionRow => ({
  id: 7,
  start_time: '2026-03-02 13:00:00',
  finish_time: '2026-03-02 13:01:30',
  finish_reason: 'subscriber_disconnects',
  wait_duration: 12,
  talk_duration: 0,
  total_duration: 90,
  ...fields,
});
const leg = (fields: Partial<LegRow>): LegRow => ({
  id: 1,
  call_session_id: 7,
  is_operator: false,
  is_talked: false,
  duration: 0,
  finish_reason: 'subscriber_disconnects',
  ...fields,
});
const PLACED = new Date('2026-03-02T10:00:02.000Z');

describe('outcomeOf: an attempt from its session and legs', () => {
  it('is talked when the customer leg talked, whatever the reason, with the session talk time', () => {
    const outcome = outcomeOf(
      session({ talk_duration: 61 }),
      [leg({ is_operator: true, is_talked: true }), leg({ is_talked: true, duration: 63 })],
      PLACED,
    );

    expect(outcome).toEqual({
      result: 'talked',
      finish_reason: 'subscriber_disconnects',
      talk_s: 61,
      wait_s: 12,
      ended_at: '2026-03-02T10:01:32.000Z',
    });
  });

  it("reads the customer's last leg's reason before the session's", () => {
    const outcome = outcomeOf(
      session({ finish_reason: 'operator_disconnects' }),
      [leg({ is_operator: true }), leg({ finish_reason: 'subscriber_busy' })],
      PLACED,
    );

    expect(outcome).toMatchObject({ result: 'busy', finish_reason: 'subscriber_busy', talk_s: 0 });
  });

  it("is operator_missed when only the operator's leg rang", () => {
    const outcome = outcomeOf(
      session({ finish_reason: 'operator_not_responsible' }),
      [leg({ is_operator: true, finish_reason: 'operator_not_responsible' })],
      PLACED,
    );

    expect(outcome.result).toBe('operator_missed');
  });

  it('counts a picked-up informer call (no operator leg) as talked, by its leg time', () => {
    const outcome = outcomeOf(session(), [leg({ duration: 20 })], PLACED);

    expect(outcome).toMatchObject({ result: 'talked', talk_s: 20 });
  });

  it('does not count an operator leg picked up as the customer talking', () => {
    const outcome = outcomeOf(
      session({ finish_reason: 'subscriber_not_responsible' }),
      [leg({ is_operator: true, duration: 40 }), leg({ finish_reason: 'timeout' })],
      PLACED,
    );

    expect(outcome.result).toBe('no_answer');
  });

  it('falls back on the session talk time when no legs are reported', () => {
    expect(outcomeOf(session({ talk_duration: 5 }), [], PLACED).result).toBe('talked');
    expect(outcomeOf(session({ finish_reason: 'timeout' }), [], PLACED).result).toBe('no_answer');
  });

  it('calls a reason the docs do not list failed, and a missing one too', () => {
    expect(outcomeOf(session({ finish_reason: 'brand_new_reason' }), [], PLACED)).toMatchObject({
      result: 'failed',
      finish_reason: 'brand_new_reason',
    });
    expect(outcomeOf(session({ finish_reason: null }), [], PLACED)).toMatchObject({
      result: 'failed',
      finish_reason: null,
    });
  });

  it('dates the end by the session length when the report gives no finish time', () => {
    const outcome = outcomeOf(session({ finish_time: null, total_duration: 30 }), [], PLACED);

    expect(outcome.ended_at).toBe('2026-03-02T10:00:32.000Z');
  });
});
