import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callIdFor } from '../../shared/calls/idempotency.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { queuedRecord, startCallsTable } from '../support/dispatch.ts';
import { documentedCodes } from '../support/documented-codes.ts';
import { DYNAMO_ENGINES } from '../support/dynamo-engines.ts';
import { postHook } from '../support/http.ts';
import { shippedConfig, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** The shipped config plus a JAICP route that hands the payload's `extra` to the bot. */
const botConfig = async () => {
  const shipped = JSON.parse(JSON.stringify(await shippedConfig())) as {
    accounts: Record<string, unknown>;
    routes: Record<string, unknown>;
  };
  shipped.accounts.bot = { backend: 'jaicp', provider: 'simulator', secret: 'bot/campaign' };
  shipped.routes.bot = {
    account: 'bot',
    auth: { type: 'token', secret: 'demo/hook-token' },
    call: {
      method: 'jaicp.addPhones',
      contact: 'phone',
      payload: { name: 'name', extra: 'extra' },
    },
  };
  return parseConfig(shipped, 'jaicp payload test');
};

const nested = (levels: number): unknown =>
  JSON.parse(`${'{"d":'.repeat(levels)}1${'}'.repeat(levels)}`);

/** Bot variables a record's request could not hold in DynamoDB as they are. */
const UNSTORABLE: { name: string; extra: string }[] = [
  { name: 'a field named ""', extra: '{"":1}' },
  { name: 'a nested field named ""', extra: '{"a":[{"":1}]}' },
  { name: 'a field name of 64 KiB', extra: `{"${'n'.repeat(65_536)}":1}` },
  { name: 'a number past 2^53', extra: '12345678901234567890' },
  { name: 'a number below DynamoDB range', extra: '1e-200' },
  { name: 'a number above DynamoDB range', extra: '{"n":1e300}' },
  { name: 'nesting the record cannot hold', extra: JSON.stringify(nested(29)) },
];

describe('A JAICP route whose bot variables DynamoDB could not store', () => {
  let runtime: TestRuntime;
  const codes = documentedCodes();
  beforeAll(async () => {
    runtime = await startTestRuntime({
      config: await botConfig(),
      secrets: { 'bot/campaign': 'campaign-token' },
      sweepIntervalMs: 0,
    });
  });
  afterAll(() => runtime.stop());

  // Each from its own number, so the per-number cap never answers first.
  it.each(UNSTORABLE.map((hazard, i) => ({ ...hazard, phone: `+7926000006${i}` })))(
    'refuses $name with 422 invalid_payload, storing only the skipped event, none of its payload',
    async ({ extra, phone }) => {
      const stored = await runtime.storedCalls();

      const answer = await postHook(runtime.bridgeUrl, 'bot', undefined, {
        raw: `{"phone":"${phone}","name":"Zoya","extra":${extra}}`,
      });

      expect(answer).toMatchObject({ status: 422, body: { code: 'invalid_payload' } });
      expect(codes.get('invalid_payload')).toBe(422);
      expect(await runtime.storedCalls()).toBe(stored + 1);
      expect(runtime.queue.sentCount).toBe(0);
    },
  );

  it('accepts variables at the limits DynamoDB allows', async () => {
    const answer = await postHook(runtime.bridgeUrl, 'bot', {
      phone: '+79260000052',
      name: 'Zoya',
      extra: {
        ['n'.repeat(65_535)]: [Number.MAX_SAFE_INTEGER, 1e-130, -0.5, true, null],
        deep: nested(27),
      },
    });

    expect(answer).toMatchObject({ status: 202, body: { status: 'queued' } });
  });
});

// The limits the check allows are DynamoDB's own: a record at them is stored on every engine.
describe.each(DYNAMO_ENGINES)('On $name, a JAICP request at the limits', (engine) => {
  let table: Awaited<ReturnType<typeof startCallsTable>>;
  beforeAll(async () => {
    table = await startCallsTable(engine.start);
  });
  afterAll(() => table.close());

  it('is stored as it is', async () => {
    const callId = callIdFor('bot', 'header', 'limits');
    const payload = {
      name: 'Zoya',
      extra: {
        ['n'.repeat(65_535)]: [Number.MAX_SAFE_INTEGER, 1e-130, -0.5, true, null],
        deep: nested(27),
      },
    };
    await table.store.create(
      {
        ...queuedRecord(callId),
        route: 'bot',
        account: 'bot',
        request: { method: 'jaicp.addPhones', params: { contact: '79260000052', payload } },
      },
      new Date(),
    );

    expect((await table.store.get(callId))?.request?.params).toMatchObject({ payload });
  });
});
