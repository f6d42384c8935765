import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../infra/local/lambda-context.ts';
import { dispatchCall } from '../../shared/dispatch/dispatch-call.ts';
import { createLogger, RESERVED_LOG_KEYS } from '../../shared/logging/logger.ts';
import {
  dispatchConfig,
  keySecrets,
  queuedRecord,
  startDispatchFixture,
} from '../support/dispatch.ts';

/**
 * The real Powertools logger, as the functions create it, with its output captured: it writes
 * each log line as one JSON text to stdout (stderr for errors).
 */
const capturedLogger = () => {
  const lines: Record<string, unknown>[] = [];
  const capture = (chunk: unknown) => {
    for (const line of String(chunk).split('\n')) {
      if (line.trim().startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  const logger = createLogger('log-reasons-test');
  // The test setup silences every logger; this one must speak to be heard.
  logger.setLogLevel('INFO');
  return { logger, lines };
};

/** An address nothing listens on: a connection to it is refused before anything is sent. */
const closedUrl = async (): Promise<string> => {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return `http://127.0.0.1:${port}`;
};

describe('Log lines keep the provider reason', () => {
  let fixture: Awaited<ReturnType<typeof startDispatchFixture>>;
  beforeAll(async () => {
    fixture = await startDispatchFixture();
  });
  afterAll(() => fixture.close());
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const dispatchWith = async (callId: string, baseUrl: string) => {
    const { logger, lines } = capturedLogger();
    await fixture.table.store.create(queuedRecord(callId), new Date());
    await dispatchCall(
      {
        config: dispatchConfig(baseUrl),
        store: fixture.table.store,
        limits: fixture.table.limits,
        connection: { secrets: keySecrets },
        logger,
        now: () => new Date(),
      },
      callId,
    );
    return lines;
  };

  it('"call outcome unknown" carries the provider\'s message', async () => {
    fixture.simulator.reset();
    fixture.simulator.injectFault({
      fault: { mode: 'internal_error' },
      method: 'start.simple_call',
    });

    const lines = await dispatchWith('c_log_unknown', fixture.simulator.url);

    const line = lines.find((entry) => entry.message === 'call outcome unknown');
    expect(line).toMatchObject({
      level: 'ERROR',
      call_id: 'c_log_unknown',
      reason: 'internal_error',
      error_message: 'Internal error, contact the support service',
    });
    expect(lines.map((entry) => entry.message)).not.toContainEqual(
      expect.stringContaining('reserved key'),
    );
  });

  it('"call will be retried" carries why the request could not be sent', async () => {
    const lines = await dispatchWith('c_log_retry', await closedUrl());

    const line = lines.find((entry) => entry.message === 'call will be retried');
    expect(line).toMatchObject({
      level: 'WARN',
      call_id: 'c_log_retry',
      reason: 'unreachable',
      error_message: expect.stringMatching(/^request could not be sent: .*ECONNREFUSED/),
    });
    expect(lines.map((entry) => entry.message)).not.toContainEqual(
      expect.stringContaining('reserved key'),
    );
  });

  it('knows every key Powertools writes itself, so none can be used as an attribute', () => {
    const { logger, lines } = capturedLogger();
    // With a Lambda context the formatter writes all of its own keys.
    logger.addContext(lambdaContext('log-reasons-test'));
    process.env._X_AMZN_TRACE_ID = 'Root=1-00000000-000000000000000000000000;Sampled=1';
    try {
      logger.info('own keys only');
    } finally {
      delete process.env._X_AMZN_TRACE_ID;
    }

    const [line] = lines;
    expect(line).toBeDefined();
    const reserved: readonly string[] = RESERVED_LOG_KEYS;
    expect(Object.keys(line ?? {}).filter((key) => !reserved.includes(key))).toEqual([]);
  });

  it('refuses a reserved attribute key at compile time, where Powertools would drop it', () => {
    const { logger, lines } = capturedLogger();

    // The typecheck (`tsc --noEmit`) fails on this line if the guard in logger.ts is removed.
    // @ts-expect-error: `message` is a reserved key.
    logger.warn('call will be retried', { reason: 'unreachable', message: 'the reason' });

    const line = lines.find((entry) => entry.message === 'call will be retried');
    expect(line).toMatchObject({ reason: 'unreachable' });
    expect(JSON.stringify(lines)).not.toContain('the reason');
  });
});
