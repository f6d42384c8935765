import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../infra/local/simulator/simulator.ts';
import { CallApiClient } from '../../shared/backends/callapi/api/client.ts';
import { DataApiClient } from '../../shared/backends/callapi/data-api/client.ts';
import { DataApiError } from '../../shared/backends/callapi/data-api/data-api-error.ts';
import {
  dataApiBudgetKey,
  MeteredReports,
} from '../../shared/backends/callapi/data-api/metered-reports.ts';
import { DataApiReports } from '../../shared/backends/callapi/data-api/reports.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import * as z from '../../shared/validation/zod.ts';
import { startCallsTable } from '../support/dispatch.ts';

const VIRTUAL = '74993720692';
const CALL_KEY = 'call-key';
const DATA_KEY = 'data-key';

/**
 * The Data API client against the simulator over HTTP, and its budget in dynalite. The
 * simulator's clock is the test's: a call ends when the test moves it past the call's length.
 */
describe('Data API client', () => {
  let simulator: RunningSimulator;
  let table: Awaited<ReturnType<typeof startCallsTable>>;
  let clock = Date.parse('2026-03-02T10:00:00.000Z');
  const now = () => new Date(clock);

  beforeAll(async () => {
    table = await startCallsTable();
    simulator = await startSimulator({
      keys: { [CALL_KEY]: 'valid' },
      virtualNumbers: [VIRTUAL],
      callDurationMs: 60_000,
      minuteLimit: 100,
      dataApi: { keys: { [DATA_KEY]: 'valid', 'old-key': 'expired' }, minuteLimit: 3 },
      now: () => clock,
    });
  });
  afterAll(async () => {
    await simulator.close();
    await table.close();
  });
  beforeEach(() => {
    clock += 3_600_000;
    simulator.reset();
  });

  const client = (key = DATA_KEY) =>
    new DataApiReports(new DataApiClient({ endpoint: new URL(`${simulator.url}/v2.0`), now }), key);
  const window = () => ({ from: new Date(clock - 600_000), till: new Date(clock + 600_000) });

  /** Places a simple call through the simulator's Call API, as dispatch would. */
  const place = async (contact: string, externalId: string) => {
    const { result } = await new CallApiClient({ endpoint: new URL(`${simulator.url}/v4.0`) }).call(
      'start.simple_call',
      {
        first_call: 'operator',
        operator: '74951234567',
        virtual_phone_number: VIRTUAL,
        contact,
        external_id: externalId,
      },
      CALL_KEY,
    );
    return result.data.call_session_id;
  };

  it('finds an ended session by its id and by external_id, with its legs', async () => {
    const sessionId = await place('79260000006', 'c_unanswered');
    clock += 61_000;

    const byId = await client().session({ sessionId }, window());
    const byExternalId = await client().session({ externalId: 'c_unanswered' }, window());
    const legs = await client().legs(sessionId, window());

    expect(byId.data).toMatchObject({
      id: sessionId,
      finish_reason: 'subscriber_not_responsible',
      call_api_external_id: 'c_unanswered',
      talk_duration: 0,
      total_duration: 60,
    });
    expect(byExternalId.data?.id).toBe(sessionId);
    expect(legs.data.map((leg) => [leg.is_operator, leg.is_talked, leg.finish_reason])).toEqual([
      [true, false, 'subscriber_not_responsible'],
      [false, false, 'subscriber_not_responsible'],
    ]);
    expect(byId.limits).toMatchObject({ minuteLimit: 3, minuteRemaining: 2 });
  });

  it('lists a session still going only when asked for ongoing calls', async () => {
    const sessionId = await place('79260000001', 'c_ongoing');
    clock += 10_000;

    const ended = await client().session({ sessionId }, window());
    const ongoing = await client().session({ sessionId }, window(), true);

    expect(ended.data).toBeUndefined();
    expect(ongoing.data).toMatchObject({ id: sessionId, finish_time: null });
  });

  it('takes each request from its own budget, apart from the Call API points, and waits when none is left', async () => {
    const sessionId = await place('79260000001', 'c_budget');
    clock += 61_000;
    const metered = new MeteredReports({
      reports: client(),
      limits: table.limits,
      account: 'acme',
      now,
      logger: createLogger('test'),
    });

    // The first reply teaches the budget the Data API's 3 a minute; two more spend them.
    for (let i = 0; i < 3; i += 1) await metered.session({ sessionId }, window());
    const refused = await metered.session({ sessionId }, window()).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(DataApiError);
    expect(refused).toMatchObject({ classification: 'limit', mnemonic: 'no_points' });
    const resetAt = (refused as DataApiError).limits?.minuteResetAt?.getTime() ?? 0;
    expect(resetAt - clock).toBeGreaterThan(55_000);
    expect(resetAt - clock).toBeLessThanOrEqual(60_000);
    // Not sent: the simulator saw three.
    expect(simulator.requestCount('get.calls_report')).toBe(3);
    // The Call API's own budget is another item, untouched: a call could still be placed.
    expect(await table.limits.reserve('acme', 1, now())).toMatchObject({ granted: true, taken: 1 });
    expect(dataApiBudgetKey('acme')).not.toBe('acme');
  });

  it('reports -32029 as a limit with the reset it names, and records it in the budget', async () => {
    const sessionId = await place('79260000001', 'c_limit');
    clock += 61_000;
    // Another client of the key spends the minute first.
    for (let i = 0; i < 3; i += 1) await client().session({ sessionId }, window());
    const metered = new MeteredReports({
      reports: client(),
      limits: table.limits,
      account: 'limited',
      now,
      logger: createLogger('test'),
    });

    const refused = await metered.session({ sessionId }, window()).catch((error: unknown) => error);
    const again = await metered.session({ sessionId }, window()).catch((error: unknown) => error);

    expect(refused).toMatchObject({
      classification: 'limit',
      code: -32029,
      mnemonic: 'limit_exceeded',
    });
    expect(refused).toMatchObject({ params: { limit_type: 'minute' } });
    // The refusal's limits reached the budget: the next one is not even sent.
    expect(again).toMatchObject({ classification: 'limit', mnemonic: 'no_points' });
    expect(simulator.requestCount('get.calls_report')).toBe(4);
  });

  it.each([
    {
      name: 'an expired key',
      key: 'old-key',
      classification: 'auth',
      mnemonic: 'access_token_expired',
    },
    {
      name: 'an unknown key',
      key: 'nobody',
      classification: 'auth',
      mnemonic: 'access_token_invalid',
    },
  ])('classifies $name as $classification', async ({ key, classification, mnemonic }) => {
    const refused = await client(key)
      .session({ sessionId: 1 }, window())
      .catch((error: unknown) => error);

    expect(refused).toMatchObject({ classification, mnemonic });
  });

  it('classifies a filter the report does not allow as rejected, and a server fault as ambiguous', async () => {
    const raw = new DataApiClient({ endpoint: new URL(`${simulator.url}/v2.0`), now });
    const filtered = await raw
      .request(
        'get.calls_report',
        {
          date_from: '2026-03-01 00:00:00',
          date_till: '2026-03-03 00:00:00',
          filter: { field: 'secret_field', operator: '=', value: 1 },
        },
        DATA_KEY,
        z.array(z.unknown()),
      )
      .catch((error: unknown) => error);
    simulator.injectFault({
      fault: { mode: 'internal_error' },
      method: 'get.calls_report',
      times: 1,
    });
    const faulted = await client()
      .session({ sessionId: 1 }, window())
      .catch((error: unknown) => error);
    simulator.injectFault({
      fault: { mode: 'http_502' },
      method: 'get.call_legs_report',
      times: 1,
    });
    const gateway = await client()
      .legs(1, window())
      .catch((error: unknown) => error);

    expect(filtered).toMatchObject({ classification: 'rejected', mnemonic: 'filter_prohibited' });
    expect(faulted).toMatchObject({ classification: 'ambiguous', code: -32603 });
    expect(gateway).toMatchObject({ classification: 'ambiguous' });
  });

  it('classifies a Data API without its component as a configuration error', async () => {
    const disabled = await startSimulator({
      keys: {},
      virtualNumbers: [VIRTUAL],
      dataApi: { keys: { [DATA_KEY]: 'valid' }, componentDisabled: true },
    });
    try {
      const refused = await new DataApiReports(
        new DataApiClient({ endpoint: new URL(`${disabled.url}/v2.0`) }),
        DATA_KEY,
      )
        .session({ sessionId: 1 }, window())
        .catch((error: unknown) => error);

      expect(refused).toMatchObject({
        classification: 'config',
        code: -32008,
        mnemonic: 'method_component_disabled',
      });
    } finally {
      await disabled.close();
    }
  });
});
