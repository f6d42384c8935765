import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A JSON-RPC server that answers every request with the text a test sets, for that request's id. */
export interface JsonRpcStub {
  url: string;
  /** The reply's text for a request `id` (JSON text, so it can hold `1e400` as sent). */
  answer(text: (id: string, method: string) => string): void;
  /** The methods requested so far, in order. */
  readonly methods: string[];
  close(): Promise<void>;
}

export const startJsonRpcStub = async (): Promise<JsonRpcStub> => {
  let text: (id: string, method: string) => string = () => '{}';
  const methods: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { id, method } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        id: string;
        method: string;
      };
      methods.push(method);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(text(id, method));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answer: (next) => {
      text = next;
    },
    methods,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
};
