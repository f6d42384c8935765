import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The status this receiver answered with. */
  answered: number;
}

/** A status-callback receiver on 127.0.0.1 that answers `status(n)` to its n-th request. */
export const startReceiver = async (status: (n: number) => number = () => 204) => {
  const received: ReceivedRequest[] = [];
  let decide = (_request: http.IncomingMessage): number => status(received.length + 1);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answered = decide(req);
      received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answered,
      });
      res.writeHead(answered);
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callhook`,
    received,
    /** Answers by the request itself (its headers) from now on, instead of by its number. */
    answerWith: (answer: (request: http.IncomingMessage) => number) => {
      decide = answer;
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
};
