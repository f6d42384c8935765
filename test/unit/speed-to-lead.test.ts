import { describe, expect, it } from 'vitest';
import { NotifyingCallStore } from '../../shared/callbacks/notifying-call-store.ts';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import type { CallStore, Updated } from '../../shared/calls/call-store.ts';
import { change } from '../../shared/calls/lifecycle.ts';
import { leadTimeOf } from '../../shared/calls/speed-to-lead.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { demoConfig } from '../support/configs.ts';
import { queuedRecord } from '../support/dispatch.ts';

const ACCEPTED = '2026-12-07T10:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(ACCEPTED) + seconds * 1000).toISOString();

/** A call accepted at ACCEPTED whose first attempt was answered `seconds` later. */
const answered = (seconds: number, extra: Partial<CallRecord> = {}): CallRecord => ({
  ...queuedRecord('c_5eed7000000000000000000000000001'),
  route: 'leads',
  status: 'placed',
  created_at: ACCEPTED,
  dials: [{ attempt: 1, answered_at: at(seconds) }],
  ...extra,
});

describe('Speed to lead', () => {
  it('runs from the sender’s own event time, else from acceptance, to the first answer', () => {
    const target = { talk_within_minutes: 5 };

    expect(leadTimeOf(answered(299), target)).toEqual({ lead_ms: 299_000, met: true });
    expect(leadTimeOf(answered(200, { sender_event_at: at(-120) }), target)).toEqual({
      lead_ms: 320_000,
      met: false,
    });
    expect(leadTimeOf({ ...answered(10), dials: [] }, target)).toBeUndefined();
  });

  it('is logged once per call, by the write that first records an answer', async () => {
    const config = demoConfig({
      leads: {
        preset: 'generic',
        auth: { secret: 'demo/hook-token' },
        target: { talk_within_minutes: 5 },
      },
      plain: { preset: 'generic', auth: { secret: 'demo/hook-token' } },
    });
    const logged: Record<string, unknown>[] = [];
    const logger = createLogger('test');
    logger.info = (message: string, ...extra: unknown[]) => {
      logged.push({ message, ...(extra[0] as Record<string, unknown> | undefined) });
    };
    const unanswered = { ...answered(60), dials: [] };
    const writes: Updated[] = [
      // The answer: counted.
      {
        kind: 'changed',
        previous: unanswered,
        record: answered(60),
        change: change('answered', new Date()),
      },
      // A later write on the same call: already counted.
      {
        kind: 'changed',
        previous: answered(60),
        record: answered(60),
        change: change('attemptNoted', new Date()),
      },
      // A route without a target: nothing.
      {
        kind: 'changed',
        previous: { ...unanswered, route: 'plain' },
        record: { ...answered(60), route: 'plain' },
        change: change('answered', new Date()),
      },
    ];
    const inner = { update: async () => writes.shift() } as unknown as CallStore;
    const store = new NotifyingCallStore(inner, config, { send: async () => {} }, logger);

    for (let n = 0; n < 3; n += 1) await store.update('c_x', () => undefined);

    expect(logged.filter((line) => line.message === 'speed to lead')).toEqual([
      expect.objectContaining({ route: 'leads', lead_ms: 60_000, met: 1 }),
    ]);
  });
});
