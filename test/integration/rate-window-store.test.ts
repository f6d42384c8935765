import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTables, type RunningDynalite } from '../../infra/local/dynalite.ts';
import { DynamoDbRateWindowStore } from '../../shared/adapters/dynamodb/dynamodb-rate-window-store.ts';
import { DYNAMO_ENGINES } from '../support/dynamo-engines.ts';

/*
 * The browser forms' sliding windows: one item per scope and subject in the contacts table,
 * keyed by an HMAC of the subject, every write conditional on the version read, an expiry for
 * DynamoDB's TTL. Run on dynalite and, where Java is, on the official DynamoDB Local.
 */

const MINUTE = 60_000;
const T0 = new Date('2026-12-01T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const LIMIT = { max: 3, windowMs: 10 * MINUTE };

describe.each(DYNAMO_ENGINES)('The rate window store, on $name', (engine) => {
  let dynamo: RunningDynalite;
  let store: DynamoDbRateWindowStore;
  let seq = 0;
  const subject = () => {
    seq += 1;
    return `198.51.100.${seq}`;
  };

  beforeAll(async () => {
    dynamo = await engine.start();
    await createTables(dynamo.clientConfig, {
      calls: 'calls',
      contacts: 'contacts',
      limits: 'limits',
    });
    store = new DynamoDbRateWindowStore({
      tableName: 'contacts',
      clientConfig: dynamo.clientConfig,
      hashKey: async () => 'rate-window-test-key',
    });
  }, 60_000);
  afterAll(() => dynamo?.close());

  it('admits up to the limit in the window, then refuses with the time until the oldest leaves', async () => {
    const ip = subject();
    for (let n = 0; n < 3; n += 1) {
      expect(await store.admit('ip#form', ip, `r${n}`, at(n * MINUTE), LIMIT)).toEqual({
        admitted: true,
      });
    }
    expect(await store.admit('ip#form', ip, 'r3', at(4 * MINUTE), LIMIT)).toEqual({
      admitted: false,
      retryAfterMs: 6 * MINUTE,
    });
    // The oldest has left: one more fits, and the refused one was never counted.
    expect(await store.admit('ip#form', ip, 'r4', at(10 * MINUTE + 1), LIMIT)).toEqual({
      admitted: true,
    });
    expect(await store.admit('ip#form', ip, 'r5', at(10 * MINUTE + 2), LIMIT)).toMatchObject({
      admitted: false,
    });
  });

  it('counts one id once, and keeps scopes apart', async () => {
    const number = subject();
    for (let n = 0; n < 5; n += 1) {
      expect(await store.admit('number#form', number, 'call-1', at(n), LIMIT)).toEqual({
        admitted: true,
      });
    }
    expect(
      await store.admit('number#other', number, 'call-9', at(0), { max: 1, windowMs: MINUTE }),
    ).toEqual({
      admitted: true,
    });
  });

  it('never admits more than the limit to requests at once', async () => {
    const ip = subject();
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, n) => store.admit('ip#race', ip, `race-${n}`, at(0), LIMIT)),
    );
    expect(answers.filter((answer) => answer.admitted)).toHaveLength(3);
  });

  it('keeps the subject only as an HMAC, with an expiry after its window', async () => {
    const ip = subject();
    await store.admit('ip#stored', ip, 'one', at(0), LIMIT);
    const client = new DynamoDBClient(dynamo.clientConfig);
    const { Items = [] } = await client.send(new ScanCommand({ TableName: 'contacts' }));
    client.destroy();
    const keys = Items.map((item) => item.contact_key?.S ?? '');
    expect(keys.some((key) => key.includes(ip))).toBe(false);
    const item = Items.find((candidate) => candidate.contact_key?.S?.startsWith('rate#ip#stored#'));
    expect(Number(item?.expires_at?.N)).toBe((T0.getTime() + LIMIT.windowMs) / 1000);
  });
});
