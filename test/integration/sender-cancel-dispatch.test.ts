import { describe, expect, it } from 'vitest';
import { dispatchCall } from '../../shared/dispatch/dispatch-call.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import {
  dispatchConfig,
  dispatchFixtureForSuite,
  keySecrets,
  queuedRecord,
} from '../support/dispatch.ts';

/*
 * The sender's word came while the call was being sent; the send failed and was queued again
 * (a provider out of reach, a lease that ran out). Dispatch must not send it again: the word
 * was answered, and nothing may ring after it. Against dynalite and the simulator.
 */
describe('A call the sender cancelled while it was being sent', () => {
  const fixture = dispatchFixtureForSuite();

  it('is cancelled when it comes up again, and never reaches the provider', async () => {
    const callId = 'c_5e4de7ca4ce100000000000000000001';
    const word = { at: new Date().toISOString(), route: 'shop-cancelled' };
    await fixture.table.store.create(
      { ...queuedRecord(callId), cancelled_by_sender: word },
      new Date(),
    );

    await dispatchCall(
      {
        config: dispatchConfig(fixture.simulator.url),
        store: fixture.table.store,
        limits: fixture.table.limits,
        connection: { secrets: keySecrets },
        logger: createLogger('test'),
        now: () => new Date(),
      },
      callId,
    );

    const stored = await fixture.table.store.get(callId);
    expect(stored?.status).toBe('cancelled');
    expect(stored?.history.at(-1)?.reason).toContain('not sent again');
    expect(fixture.simulator.calls()).toEqual([]);
  });
});
