import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * A route's status-callback receiver on 127.0.0.1 that answers 204 and notes when each
 * `webhook-id` first arrived (`performance.now()`), for the delivery delay.
 */
export const startReceiver = async () => {
  const receivedAt = new Map<string, number>();
  let received = 0;
  const server = createServer((request, response) => {
    const at = performance.now();
    const id = String(request.headers['webhook-id']);
    request.resume();
    request.on('end', () => {
      received += 1;
      if (!receivedAt.has(id)) receivedAt.set(id, at);
      response.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/status`,
    received: () => received,
    /** When each webhook id first arrived. */
    receivedAt: (webhookId: string) => receivedAt.get(webhookId),
    /** Forgets what arrived, for the next lane. */
    clear: () => {
      received = 0;
      receivedAt.clear();
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
};

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
