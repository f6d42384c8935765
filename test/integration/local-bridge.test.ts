import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, type ApiFunction } from '../../infra/api-routes.ts';
import { type HttpHandler, startHttpBridge } from '../../infra/local/http-bridge.ts';

/*
 * The local stand-in for API Gateway, on its own, with handlers that only say they were
 * reached: what it answers before any handler runs is problem+json like every other refusal.
 */
describe('The local HTTP bridge', () => {
  let bridge: Awaited<ReturnType<typeof startHttpBridge>>;
  const reached: string[] = [];

  beforeAll(async () => {
    const functions = [...new Set(API_ROUTES.map((route) => route.function))];
    const handler =
      (name: ApiFunction): HttpHandler =>
      async (event) => {
        reached.push(`${name} ${event.routeKey}`);
        return { statusCode: 200, body: '{}' };
      };
    bridge = await startHttpBridge(
      Object.fromEntries(functions.map((name) => [name, handler(name)])) as Record<
        ApiFunction,
        HttpHandler
      >,
      { host: '127.0.0.1', port: 0 },
    );
  });
  afterAll(() => bridge.close());

  it('answers a path of the API asked with a method it does not take 405, naming the methods in Allow', async () => {
    const response = await fetch(`${bridge.url}/calls`, { method: 'DELETE' });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 405, code: 'method_not_allowed' });
    const both = await fetch(`${bridge.url}/calls/c_${'0'.repeat(32)}/again`, { method: 'PUT' });
    expect(both.headers.get('allow')).toBe('GET, POST');
    expect(reached).toEqual([]);
  });

  it('answers a body over the gateway’s limit 413 as problem+json, before any handler', async () => {
    const response = await fetch(`${bridge.url}/hooks/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(11 * 1024 * 1024, 32),
    });

    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(reached).toEqual([]);
  });

  it('still answers a path no route has 404, and passes a good request on', async () => {
    expect((await fetch(`${bridge.url}/nowhere`)).status).toBe(404);
    expect((await fetch(`${bridge.url}/hooks/callback`, { method: 'POST' })).status).toBe(200);
    expect(reached).toEqual(['ingest POST /hooks/{route}']);
  });
});
