import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  createDispatchHandler,
  type DispatchHandlerDeps,
} from '../../functions/dispatch/handler.ts';
import { lambdaContext } from '../../infra/local/lambda-context.ts';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import type { CallStore } from '../../shared/calls/call-store.ts';
import { dispatchMessageOf } from '../../shared/calls/dispatch-queue.ts';
import { change } from '../../shared/calls/lifecycle.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { SecretNotFoundError } from '../../shared/secrets/secrets.ts';
import {
  dispatchConfig,
  dispatchFixtureForSuite,
  keySecrets,
  queuedRecord,
  recordingQueue,
  sqsEvent,
} from '../support/dispatch.ts';

const secrets = keySecrets;

describe('Dispatch: outcomes and their safety', () => {
  const fixture = dispatchFixtureForSuite();

  const handlerFor = (
    baseUrl: string,
    overrides: Partial<DispatchHandlerDeps> = {},
    maxAttempts = 3,
  ) =>
    createDispatchHandler({
      config: dispatchConfig(baseUrl, maxAttempts),
      store: fixture.table.store,
      limits: fixture.table.limits,
      queue: recordingQueue().queue,
      connection: { secrets, timeouts: { connectMs: 1_000, responseMs: 300 } },
      logger: createLogger('dispatch-test'),
      now: () => new Date(),
      // Retries come due at once, so a test can deliver the next attempt straight away.
      backoff: { baseMs: 0, maxMs: 0 },
      ...overrides,
    });

  const dispatcher = (baseUrl: string, store: CallStore = fixture.table.store, maxAttempts = 3) => {
    const handler = handlerFor(baseUrl, { store }, maxAttempts);
    return (...callIds: string[]) => handler(sqsEvent(...callIds), lambdaContext('dispatch'));
  };

  /** An upstream that answers every request its own way. */
  const startUpstream = async (answer: (res: http.ServerResponse) => void) => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => answer(res));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: async () => {
        server.closeAllConnections();
        server.close();
        await once(server, 'close');
      },
    };
  };

  it('places the call and records its session id', async () => {
    fixture.simulator.reset();
    await fixture.table.store.create(queuedRecord('c_placed'), new Date());

    const result = await dispatcher(fixture.simulator.url)('c_placed');

    expect(result).toEqual({ batchItemFailures: [] });
    const record = await fixture.table.store.get('c_placed');
    expect(record).toMatchObject({
      status: 'placed',
      attempts: 1,
      call_session_id: fixture.simulator.calls()[0]?.call_session_id,
    });
    expect(record).not.toHaveProperty('lease_owner');
  });

  it('places one call when two dispatchers get the same message at once', async () => {
    fixture.simulator.reset();
    await fixture.table.store.create(queuedRecord('c_twice'), new Date());

    await Promise.all([
      dispatcher(fixture.simulator.url)('c_twice'),
      dispatcher(fixture.simulator.url)('c_twice'),
    ]);

    expect(fixture.simulator.calls()).toHaveLength(1);
    expect((await fixture.table.store.get('c_twice'))?.status).toBe('placed');
  });

  it('never dials again when recording "placed" failed after the provider accepted', async () => {
    // Prepare: the store fails exactly the write that records the placed call.
    fixture.simulator.reset();
    await fixture.table.store.create(queuedRecord('c_lost_write'), new Date());
    const flaky: CallStore = {
      create: (record, now) => fixture.table.store.create(record, now),
      get: (id) => fixture.table.store.get(id),
      update: (id, decide, known) =>
        fixture.table.store.update(
          id,
          (record) => {
            const decided = decide(record);
            if (decided?.name === 'place') throw new Error('DynamoDB unavailable');
            return decided;
          },
          known,
        ),
      listDue: (status, before, limit) => fixture.table.store.listDue(status, before, limit),
      list: (query) => fixture.table.store.list(query),
      findBySession: (key) => fixture.table.store.findBySession(key),
    };

    // Act: the first delivery fails; SQS delivers the message again.
    const first = await dispatcher(fixture.simulator.url, flaky)('c_lost_write');
    const second = await dispatcher(fixture.simulator.url)('c_lost_write');

    // Assess
    expect(first.batchItemFailures).toHaveLength(1);
    expect(second.batchItemFailures).toHaveLength(0);
    expect(fixture.simulator.calls()).toHaveLength(1);
    expect((await fixture.table.store.get('c_lost_write'))?.status).toBe('dialing');
  });

  it('puts an unreachable call back in the queue, then fails it after max attempts', async () => {
    const closed = await startUpstream(() => undefined);
    await closed.close();
    await fixture.table.store.create(queuedRecord('c_unreachable', 2), new Date());
    const { queue, sent } = recordingQueue();
    const handler = handlerFor(closed.url, { queue }, 2);
    const dispatch = () => handler(sqsEvent('c_unreachable'), lambdaContext('dispatch'));

    const first = await dispatch();
    const afterFirst = await fixture.table.store.get('c_unreachable');
    const second = await dispatch();
    const afterSecond = await fixture.table.store.get('c_unreachable');

    // The first failure re-enqueues the call as a new message; the one delivered is done.
    expect(first.batchItemFailures).toHaveLength(0);
    expect(sent.map((s) => s.message)).toEqual([{ call_id: 'c_unreachable' }]);
    expect(afterFirst).toMatchObject({
      status: 'queued',
      attempts: 1,
      error: { reason: 'unreachable' },
    });
    expect(afterFirst?.due_at).toBeDefined();
    expect(second.batchItemFailures).toHaveLength(0);
    expect(afterSecond).toMatchObject({ status: 'failed', attempts: 2 });
    expect(sent).toHaveLength(1);
  });

  it.each([
    {
      name: 'an HTTP 502',
      answer: (res: http.ServerResponse) => {
        res.writeHead(502);
        res.end('Bad Gateway');
      },
    },
    {
      name: 'a reply that is not JSON-RPC',
      answer: (res: http.ServerResponse) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>maintenance</html>');
      },
    },
    { name: 'no reply within the response timeout', answer: () => undefined },
    {
      name: 'a connection dropped after the request',
      answer: (res: http.ServerResponse) => res.destroy(),
    },
  ])('records $name as unknown and does not retry', async ({ name, answer }) => {
    const upstream = await startUpstream(answer);
    const callId = `c_ambiguous_${name.replace(/\W+/g, '_')}`;
    await fixture.table.store.create(queuedRecord(callId), new Date());
    try {
      const result = await dispatcher(upstream.url)(callId);

      expect(result.batchItemFailures).toHaveLength(0);
      expect(await fixture.table.store.get(callId)).toMatchObject({
        status: 'unknown',
        error: { reason: 'ambiguous' },
      });
    } finally {
      await upstream.close();
    }
  });

  it('fails the call at once when the provider refuses the permanent key', async () => {
    fixture.simulator.reset();
    await fixture.table.store.create(queuedRecord('c_bad_key'), new Date());
    const handler = handlerFor(fixture.simulator.url, {
      connection: { secrets: { get: async () => '{"access_token":"revoked"}' } },
    });

    const result = await handler(sqsEvent('c_bad_key'), lambdaContext('dispatch'));

    expect(result.batchItemFailures).toHaveLength(0);
    expect(await fixture.table.store.get('c_bad_key')).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { reason: 'access_token_invalid', code: -32001 },
    });
  });

  it.each([
    ['a wrong shape', '{"token":"x"}', 'secret_invalid'],
    ["the stack's generated placeholder", 'Zk3!q8L^pW2#rT9vX7&nB4@mC6*dF1yH', 'secret_invalid'],
    ['no secret at all', undefined, 'secret_missing'],
  ])(
    'fails the call at once, placing nothing, when the account secret has %s',
    async (_, value, reason) => {
      fixture.simulator.reset();
      const callId = `c_secret_${reason}_${value === undefined ? 'none' : value.length}`;
      await fixture.table.store.create(queuedRecord(callId), new Date());
      const lines: string[] = [];
      const logger = createLogger('dispatch-secret-test');
      logger.error = ((line: string, attributes: Record<string, unknown>) => {
        lines.push(JSON.stringify({ line, ...attributes }));
      }) as typeof logger.error;
      const handler = handlerFor(fixture.simulator.url, {
        logger,
        connection: {
          secrets: {
            get: async (name) => {
              if (value === undefined) throw new SecretNotFoundError(name);
              return value;
            },
          },
        },
      });

      const result = await handler(sqsEvent(callId), lambdaContext('dispatch'));

      expect(result.batchItemFailures).toHaveLength(0);
      expect(await fixture.table.store.get(callId)).toMatchObject({
        status: 'failed',
        attempts: 1,
        error: { reason, message: expect.stringContaining('"acme/callapi"') },
      });
      expect(fixture.simulator.calls()).toHaveLength(0);
      // The provider-configuration alarm counts lines with this classification; the line names
      // the secret, never its value.
      expect(lines.map((line) => JSON.parse(line))).toContainEqual(
        expect.objectContaining({
          line: 'call failed',
          classification: 'config',
          reason,
          error_message: expect.stringContaining('secret "acme/callapi"'),
        }),
      );
      expect(lines.join('\n')).not.toContain('Zk3!q8L');
    },
  );

  it('ignores a message for a call that is no longer queued', async () => {
    fixture.simulator.reset();
    await fixture.table.store.create(queuedRecord('c_done'), new Date());
    await dispatcher(fixture.simulator.url)('c_done');

    await dispatcher(fixture.simulator.url)('c_done');

    expect(fixture.simulator.calls()).toHaveLength(1);
  });

  /** A message carrying the record as its sender stored it (`dispatchMessageOf`). */
  const withRecord = (record: CallRecord) => {
    const event = sqsEvent(record.call_id);
    if (event.Records[0]) event.Records[0].body = JSON.stringify(dispatchMessageOf(record));
    return event;
  };

  it('places a call from the record its message carries, reading nothing first', async () => {
    fixture.simulator.reset();
    const record = queuedRecord('c_carried');
    await fixture.table.store.create(record, new Date());
    const reads: string[] = [];
    const table = fixture.table.store;
    const store: CallStore = {
      create: (r, at) => table.create(r, at),
      get: (callId) => {
        reads.push(callId);
        return table.get(callId);
      },
      update: (callId, decide, known) => table.update(callId, decide, known),
      listDue: (status, before, limit) => table.listDue(status, before, limit),
      list: (query) => table.list(query),
      findBySession: (key) => table.findBySession(key),
    };

    await handlerFor(fixture.simulator.url, { store })(
      withRecord(record),
      lambdaContext('dispatch'),
    );

    expect(fixture.simulator.calls()).toHaveLength(1);
    expect(reads).toEqual([]);
    expect((await fixture.table.store.get('c_carried'))?.status).toBe('placed');
  });

  it('decides again on the stored record when the one its message carries went stale', async () => {
    fixture.simulator.reset();
    const record = queuedRecord('c_stale');
    await fixture.table.store.create(record, new Date());
    // Cancelled by an operator after the message was sent: the message still says `queued`.
    await fixture.table.store.update('c_stale', () =>
      change('cancelWaiting', new Date(), { reason: 'operator' }),
    );

    await handlerFor(fixture.simulator.url)(withRecord(record), lambdaContext('dispatch'));

    expect(fixture.simulator.calls()).toHaveLength(0);
    expect((await fixture.table.store.get('c_stale'))?.status).toBe('cancelled');
  });

  it('drops a malformed message instead of retrying it forever', async () => {
    const handler = handlerFor(fixture.simulator.url);
    const event = sqsEvent('x');
    if (event.Records[0]) event.Records[0].body = 'not json';

    expect(await handler(event, lambdaContext('dispatch'))).toEqual({ batchItemFailures: [] });
  });
});
