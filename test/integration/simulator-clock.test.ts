import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../infra/local/simulator/simulator.ts';

const VIRTUAL = '74993720692';

describe('Call API simulator: its clock', () => {
  let simulator: RunningSimulator;
  let clock = 0;

  beforeAll(async () => {
    simulator = await startSimulator({
      keys: { key: 'valid' },
      virtualNumbers: [VIRTUAL],
      minuteLimit: 1,
      dayLimit: 2,
      timeScale: 60,
      callDurationMs: 5_000,
      points: { 'list.calls': 0 },
      now: () => clock,
    });
  });
  afterAll(() => simulator.close());
  beforeEach(() => {
    clock = 1_000_000;
    simulator.reset();
  });

  const rpc = async (method: string, params: Record<string, unknown>) => {
    const response = await fetch(`${simulator.url}/v4.0`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method,
        params: { access_token: 'key', ...params },
      }),
    });
    return (await response.json()) as {
      result?: { data: unknown };
      error?: { data: { mnemonic: string; params: Record<string, unknown> } };
      metadata: { limits: Record<string, number> };
    };
  };
  const call = (contact: string) =>
    rpc('start.informer_call', {
      virtual_phone_number: VIRTUAL,
      contact,
      contact_message: { type: 'tts', value: 'Hi' },
    });

  it('scales the limit minute: with timeScale 60 it lasts one second', async () => {
    const first = await call('79260000001');
    const refused = await call('79260000002');
    clock += 1_000;
    const afterReset = await call('79260000003');

    expect(first.result).toBeDefined();
    expect(refused.error?.data).toMatchObject({
      mnemonic: 'limit_exceeded',
      params: { limit_type: 'minute' },
    });
    expect(refused.metadata.limits.minute_reset).toBe(1);
    expect(afterReset.result).toBeDefined();
  });

  it("rounds a scaled clock's resets to its own second (a sixtieth of a real one here), not a whole real second", async () => {
    await call('79260000001');
    clock += 250;

    const refused = await call('79260000002');

    // 750 ms of the scaled minute are left: 45 of its sixtieths of a second, reported in seconds.
    expect(refused.metadata.limits.minute_reset).toBe(0.75);
  });

  it('refuses for the day once the day points are spent, whatever the minute says', async () => {
    await call('79260000001');
    clock += 1_000;
    await call('79260000002');
    clock += 1_000;

    const refused = await call('79260000003');

    expect(refused.error?.data).toMatchObject({
      mnemonic: 'limit_exceeded',
      params: { limit_type: 'day' },
    });
    expect(refused.metadata.limits.day_remaining).toBe(0);
  });

  it('keeps an accepted call active in list.calls for callDurationMs', async () => {
    await call('79260000001');

    const during = await rpc('list.calls', {});
    clock += 5_000;
    const after = await rpc('list.calls', {});

    expect(during.result?.data).toHaveLength(1);
    expect(after.result?.data).toEqual([]);
  });
});
