import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTables, type RunningDynalite, startDynalite } from '../../infra/local/dynalite.ts';
import { DynamoDbCallStore } from '../../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { DynamoDbContactCapStore } from '../../shared/adapters/dynamodb/dynamodb-contact-cap-store.ts';
import { InProcessQueue } from '../../shared/adapters/local/in-process-queue.ts';
import type { DispatchMessage } from '../../shared/calls/dispatch-queue.ts';
import { parseConfig } from '../../shared/config/load.ts';
import {
  type Accepted,
  acceptWebhook,
  type IngestDeps,
} from '../../shared/ingest/accept-webhook.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { numberingForConfig } from '../../shared/routes/numbering-for.ts';

/*
 * The per-number cap counts only calls that were created: a refused request (a 409 for a key
 * already used with another number) or an ingest that died between its two writes must not
 * keep a number from its first real order for 24 hours.
 */

const config = parseConfig(
  {
    accounts: {
      demo: { provider: 'simulator', secret: 'demo/callapi', virtual_phone_number: '74993720692' },
    },
    routes: {
      orders: {
        account: 'demo',
        auth: { type: 'none' },
        call: {
          method: 'start.informer_call',
          contact: 'phone',
          contact_message: { type: 'tts', value: "'Order ' & order_id & ' is confirmed.'" },
        },
        idempotency_key: 'order_id',
      },
    },
    per_number_daily_limit: 3,
  },
  'contact-cap test',
);

const request = (body: Record<string, unknown>) => ({
  headers: { 'content-type': 'application/json' },
  query: {},
  body: Buffer.from(JSON.stringify(body)),
});

const outcomeOf = async (run: Promise<Accepted>) => {
  try {
    return (await run).statusCode;
  } catch (error) {
    return (error as { code?: string }).code ?? 'threw';
  }
};

describe('The per-number cap counts only created calls', () => {
  let dynamo: RunningDynalite;
  let deps: IngestDeps;
  let clock = new Date('2026-12-01T10:00:00Z');

  beforeAll(async () => {
    dynamo = await startDynalite();
    const names = { calls: 'calls', contacts: 'contacts', limits: 'limits' };
    await createTables(dynamo.clientConfig, names);
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    deps = {
      config,
      numbering: numberingForConfig(config),
      store: new DynamoDbCallStore({ tableName: names.calls, clientConfig: dynamo.clientConfig }),
      queue: new InProcessQueue<DispatchMessage>(),
      secrets: { get: async () => '' },
      contacts: new DynamoDbContactCapStore({
        tableName: names.contacts,
        clientConfig: dynamo.clientConfig,
        hashKey: async () => 'contact-cap-test-key',
      }),
      logger: createLogger('contact-cap-test'),
      now: () => clock,
    };
  });
  afterAll(() => dynamo.close());

  const order = (order_id: string, phone: string) =>
    outcomeOf(acceptWebhook(deps, 'orders', request({ order_id, phone })));

  it('charges nothing to the number a refused 409 named', async () => {
    expect(await order('1001', '+79261110001')).toBe(202);
    const conflicts = [
      await order('1001', '+79261110002'),
      await order('1001', '+79261110002'),
      await order('1001', '+79261110002'),
    ];

    const ownOrders = [
      await order('2001', '+79261110002'),
      await order('2002', '+79261110002'),
      await order('2003', '+79261110002'),
      await order('2004', '+79261110002'),
    ];

    expect(conflicts).toEqual([
      'idempotency_conflict',
      'idempotency_conflict',
      'idempotency_conflict',
    ]);
    expect(ownOrders).toEqual([202, 202, 202, 'contact_rate_limited']);
  });

  it('stops counting a call an ingest admitted but never stored, once that ingest is over', async () => {
    const phone = '79261110003';
    // Two ingests died after counting their call and before storing it.
    await deps.contacts.admit(phone, 'c_never_stored_1', clock, 3);
    await deps.contacts.admit(phone, 'c_never_stored_2', clock, 3);
    expect(await order('3001', `+${phone}`)).toBe(202);

    // While such an ingest might still be running, its entry counts.
    expect(await order('3002', `+${phone}`)).toBe('contact_rate_limited');
    clock = new Date(clock.getTime() + 61_000);
    const later = [await order('3002', `+${phone}`), await order('3003', `+${phone}`)];

    expect(later).toEqual([202, 202]);
    expect(await order('3004', `+${phone}`)).toBe('contact_rate_limited');
    expect((await deps.contacts.counted(phone, clock)).map((e) => e.call_id)).not.toContain(
      'c_never_stored_1',
    );
  });
});
