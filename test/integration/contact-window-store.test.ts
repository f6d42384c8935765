import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTables, type RunningDynalite } from '../../infra/local/dynalite.ts';
import { DynamoDbContactWindowStore } from '../../shared/adapters/dynamodb/dynamodb-contact-window-store.ts';
import { DYNAMO_ENGINES } from '../support/dynamo-engines.ts';

/*
 * The contact windows' store: one item per route group and number in the contacts table, every
 * write conditional, so that two events at once never both open a window, and a window ends by
 * its own time (DynamoDB's TTL deletes lazily; dynalite never).
 */

const MINUTE = 60_000;
const T0 = new Date('2026-12-01T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe.each(DYNAMO_ENGINES)('The contact window store, on $name', (engine) => {
  let dynamo: RunningDynalite;
  let windows: DynamoDbContactWindowStore;
  let seq = 0;
  /** A number of its own for each test, so that none sees another's window. */
  const freshNumber = () => {
    seq += 1;
    return `7926555${String(seq).padStart(4, '0')}`;
  };
  const entry = (call_id: string, route = 'form') => ({ call_id, route });

  beforeAll(async () => {
    dynamo = await engine.start();
    await createTables(dynamo.clientConfig, {
      calls: 'calls',
      contacts: 'contacts',
      limits: 'limits',
    });
    windows = new DynamoDbContactWindowStore({
      tableName: 'contacts',
      clientConfig: dynamo.clientConfig,
      hashKey: async () => 'contact-window-test-key',
    });
  }, 60_000);
  afterAll(() => dynamo.close());

  it('opens a window, tells another call who holds it, and its own call that it is its own', async () => {
    const number = freshNumber();

    expect(await windows.claim('leads', number, entry('c_a'), T0, 30 * MINUTE)).toEqual({
      kind: 'opened',
    });
    expect(
      await windows.claim('leads', number, entry('c_b', 'quiz'), at(MINUTE), 30 * MINUTE),
    ).toEqual({
      kind: 'held',
      holder: { call_id: 'c_a', route: 'form', at: T0.getTime(), until: at(30 * MINUTE).getTime() },
    });
    expect(await windows.claim('leads', number, entry('c_a'), at(MINUTE), 30 * MINUTE)).toEqual({
      kind: 'own',
    });
    // Another group's window on the same number is its own.
    expect(await windows.claim('orders', number, entry('c_b'), at(MINUTE), 30 * MINUTE)).toEqual({
      kind: 'opened',
    });
  });

  it('opens the window again once it has ended, by its own time', async () => {
    const number = freshNumber();
    await windows.claim('leads', number, entry('c_a'), T0, 30 * MINUTE);

    expect(
      await windows.claim('leads', number, entry('c_b'), at(30 * MINUTE - 1), 30 * MINUTE),
    ).toMatchObject({ kind: 'held' });
    expect(
      await windows.claim('leads', number, entry('c_b'), at(30 * MINUTE), 30 * MINUTE),
    ).toEqual({ kind: 'opened' });
  });

  it('opens one window for ten events at once', async () => {
    const number = freshNumber();

    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        windows.claim('leads', number, entry(`c_${i}`), T0, 30 * MINUTE),
      ),
    );

    expect(claims.filter((claim) => claim.kind === 'opened')).toHaveLength(1);
    expect(claims.filter((claim) => claim.kind === 'held')).toHaveLength(9);
  });

  it('hands a window over only while it is the one that was read, to one of two at once', async () => {
    const number = freshNumber();
    await windows.claim('leads', number, entry('c_a'), T0, 30 * MINUTE);
    const read = await windows.claim('leads', number, entry('c_x'), T0, 30 * MINUTE);
    if (read.kind !== 'held') throw new Error('not held');

    const taken = await Promise.all([
      windows.takeOver('leads', number, read.holder, entry('c_b'), at(MINUTE), 30 * MINUTE),
      windows.takeOver('leads', number, read.holder, entry('c_c'), at(MINUTE), 30 * MINUTE),
    ]);

    expect(taken.filter(Boolean)).toHaveLength(1);
    const now = await windows.claim('leads', number, entry('c_y'), at(MINUTE), 30 * MINUTE);
    expect(now).toMatchObject({ kind: 'held', holder: { at: at(MINUTE).getTime() } });
  });

  it('releases a window only for the call that holds it', async () => {
    const number = freshNumber();
    await windows.claim('leads', number, entry('c_a'), T0, 30 * MINUTE);

    await windows.release('leads', number, 'c_other');
    expect(await windows.claim('leads', number, entry('c_b'), T0, 30 * MINUTE)).toMatchObject({
      kind: 'held',
    });
    await windows.release('leads', number, 'c_a');
    expect(await windows.claim('leads', number, entry('c_b'), T0, 30 * MINUTE)).toEqual({
      kind: 'opened',
    });
    // Releasing a number nobody holds is nothing.
    await windows.release('leads', freshNumber(), 'c_a');
  });

  it('notes merged events on the holder’s window only, and forgets them with the window', async () => {
    const number = freshNumber();
    await windows.claim('leads', number, entry('c_a'), T0, 30 * MINUTE);

    await windows.note('leads', number, 'c_a', entry('c_b', 'quiz'));
    await windows.note('leads', number, 'c_a', entry('c_c', 'tilda'));
    await windows.note('leads', number, 'c_other', entry('c_d'));

    // A map in the item: in no particular order.
    const merged = await windows.merged('leads', number, 'c_a');
    expect(merged.sort((a, b) => a.call_id.localeCompare(b.call_id))).toEqual([
      { call_id: 'c_b', route: 'quiz' },
      { call_id: 'c_c', route: 'tilda' },
    ]);
    expect(await windows.merged('leads', number, 'c_other')).toEqual([]);
    await windows.claim('leads', number, entry('c_e'), at(30 * MINUTE), 30 * MINUTE);
    expect(await windows.merged('leads', number, 'c_e')).toEqual([]);
  });

  it('keeps no number in clear, and gives each window a TTL at its end', async () => {
    const number = freshNumber();
    await windows.claim('leads', number, entry('c_ttl'), T0, 30 * MINUTE);

    const client = new DynamoDBClient(dynamo.clientConfig);
    const items = (await client.send(new ScanCommand({ TableName: 'contacts' }))).Items ?? [];
    client.destroy();
    const item = items.find((candidate) => candidate.call_id?.S === 'c_ttl');

    expect(JSON.stringify(items)).not.toContain(number.slice(1));
    expect(item?.contact_key?.S).toMatch(/^window#leads#[0-9a-f]{64}$/);
    expect(item?.expires_at?.N).toBe(String(at(30 * MINUTE).getTime() / 1000));
  });
});
