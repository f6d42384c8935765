import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTables, type RunningDynalite, startDynalite } from '../../infra/local/dynalite.ts';
import { DynamoDbCallStore } from '../../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { DynamoDbContactCapStore } from '../../shared/adapters/dynamodb/dynamodb-contact-cap-store.ts';
import { DynamoDbContactWindowStore } from '../../shared/adapters/dynamodb/dynamodb-contact-window-store.ts';
import { DynamoDbKeptEvents } from '../../shared/adapters/dynamodb/dynamodb-kept-events.ts';
import { InProcessQueue } from '../../shared/adapters/local/in-process-queue.ts';
import type { DispatchMessage } from '../../shared/calls/dispatch-queue.ts';
import { SWEEP_TIMING } from '../../shared/dispatch/sweep-timing.ts';
import {
  type Accepted,
  acceptWebhook,
  type IngestDeps,
} from '../../shared/ingest/accept-webhook.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { numberingForConfig } from '../../shared/routes/numbering-for.ts';
import { demoConfig } from '../support/configs.ts';

/*
 * The per-number cap counts only calls that were created: a refused request (a 409 for a key
 * already used with another number) or an ingest that died between its two writes must not
 * keep a number from its first real order for 24 hours.
 */

const config = demoConfig(
  {
    orders: {
      auth: { type: 'none' },
      call: {
        method: 'start.informer_call',
        contact: 'phone',
        contact_message: {
          type: 'tts',
          value: "'Order ' & order_id & ' is confirmed.' & (note ? ' ' & note : '')",
        },
      },
      idempotency_key: 'order_id',
    },
  },
  {
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
    return (error as { code?: string }).code ?? String(error);
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
      keptEvents: new DynamoDbKeptEvents({
        tableName: names.calls,
        clientConfig: dynamo.clientConfig,
      }),
      queue: new InProcessQueue<DispatchMessage>(),
      secrets: { get: async () => '' },
      contacts: new DynamoDbContactCapStore({
        tableName: names.contacts,
        clientConfig: dynamo.clientConfig,
        hashKey: async () => 'contact-cap-test-key',
      }),
      contactWindows: new DynamoDbContactWindowStore({
        tableName: names.contacts,
        clientConfig: dynamo.clientConfig,
        hashKey: async () => 'contact-cap-test-key',
      }),
      logger: createLogger('contact-cap-test'),
      now: () => clock,
      timing: SWEEP_TIMING,
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

  it('keeps counting the created call when a racing delivery of its key is refused', async () => {
    const phone = '79261110004';
    // A and B share the event's key and the number, not the message: whichever is stored
    // first, the other is refused, and the stored call must stay counted.
    let releaseA: () => void = () => {};
    const aMayCreate = new Promise<void>((resolve) => {
      releaseA = resolve;
    });
    const store = deps.store;
    let creates = 0;
    const racing: IngestDeps = {
      ...deps,
      store: {
        ...store,
        get: (id) => store.get(id),
        create: async (record, at) => {
          creates += 1;
          if (creates === 1) await aMayCreate;
          return store.create(record, at);
        },
      } as IngestDeps['store'],
    };
    const send = (text: string) =>
      outcomeOf(
        acceptWebhook(
          racing,
          'orders',
          request({ order_id: '4001', phone: `+${phone}`, note: text }),
        ),
      );
    const routeWithNote = config.routes.orders;
    expect(routeWithNote).toBeDefined();

    const a = send('first');
    await vi.waitFor(() => expect(creates).toBe(1));
    const b = await send('second');
    releaseA();

    expect([await a, b]).toEqual(['idempotency_conflict', 202]);
    expect(await deps.contacts.counted(phone, clock)).toHaveLength(1);
  });

  it('does not charge the number again for a delivery of a call made over 24 hours ago', async () => {
    const phone = '79261110005';
    const first = [
      await order('5001', `+${phone}`),
      await order('5002', `+${phone}`),
      await order('5003', `+${phone}`),
    ];
    clock = new Date(clock.getTime() + 25 * 3_600_000);
    // The number's record is full of calls from yesterday: this order prunes them.
    expect(await order('5004', `+${phone}`)).toBe(202);

    const replays = [await order('5001', `+${phone}`), await order('5002', `+${phone}`)];

    expect(first).toEqual([202, 202, 202]);
    expect(replays).toEqual([200, 200]);
    expect(await deps.contacts.counted(phone, clock)).toHaveLength(1);
    expect(await order('5005', `+${phone}`)).toBe(202);
  });

  it('places an event refused with 429 when it is sent again once the number has room', async () => {
    const phone = '+79261110006';
    for (const id of ['6001', '6002', '6003']) expect(await order(id, phone)).toBe(202);
    expect(await order('6004', phone)).toBe('contact_rate_limited');

    clock = new Date(clock.getTime() + 86_400_000 + 1_000);

    expect(await order('6004', phone)).toBe(202);
  });

  it('stops counting a call an ingest admitted but never stored, once that ingest is over', async () => {
    const phone = '79261110003';
    // Two ingests died after counting their call and before storing it.
    await deps.contacts.admit(phone, 'c_never_stored_1', clock, 3);
    await deps.contacts.admit(phone, 'c_never_stored_2', clock, 3);
    expect(await order('3001', `+${phone}`)).toBe(202);

    // While such an ingest might still be running, its entry counts (this event is skipped).
    expect(await order('3002', `+${phone}`)).toBe('contact_rate_limited');
    clock = new Date(clock.getTime() + 61_000);
    const later = [await order('3003', `+${phone}`), await order('3004', `+${phone}`)];

    expect(later).toEqual([202, 202]);
    expect(await order('3005', `+${phone}`)).toBe('contact_rate_limited');
    expect((await deps.contacts.counted(phone, clock)).map((e) => e.call_id)).not.toContain(
      'c_never_stored_1',
    );
  });
});
