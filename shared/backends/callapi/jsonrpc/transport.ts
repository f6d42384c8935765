import http from 'node:http';
import https from 'node:https';
import type { BackendError, BackendErrorInit } from '../../backend-error.ts';

export interface TransportTimeouts {
  /** From the start of the request until a socket is connected. */
  connectMs: number;
  /** From the moment the request is fully sent until the whole reply has arrived. */
  responseMs: number;
}

export const DEFAULT_TIMEOUTS: TransportTimeouts = { connectMs: 3_000, responseMs: 15_000 };

// Created once per container so keep-alive connections survive across invocations.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

export interface HttpReply {
  status: number;
  body: string;
}

/** Builds the caller's own error class from the transport's classified failure. */
export type ErrorOf<E extends BackendError> = (init: BackendErrorInit, options: ErrorOptions) => E;

/**
 * POSTs one JSON body. Failures are classified by whether the request had fully left: before
 * that the provider cannot have acted on it (`unreachable`), after it may have (`ambiguous`);
 * `errorOf` makes them the API's own error.
 */
export const postJson = <E extends BackendError>(
  url: URL,
  payload: string,
  timeouts: TransportTimeouts,
  errorOf: ErrorOf<E>,
): Promise<HttpReply> =>
  new Promise((resolve, reject) => {
    const unreachable = (message: string, cause?: unknown) =>
      errorOf({ classification: 'unreachable', message }, { cause });
    const ambiguous = (message: string, cause?: unknown) =>
      errorOf({ classification: 'ambiguous', message }, { cause });
    const lib = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
    const body = Buffer.from(payload, 'utf8');
    let sent = false;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const fail = (error: E) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(error);
    };

    const request = lib.request(url, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json; charset=UTF-8',
        'content-length': body.length,
      },
    });

    timer = setTimeout(
      () => fail(unreachable(`no connection within ${timeouts.connectMs} ms`)),
      timeouts.connectMs,
    );
    request.on('socket', (socket) => {
      const connected = () => clearTimeout(timer);
      // A reused keep-alive socket is already connected.
      if (socket.connecting) socket.once('connect', connected);
      else connected();
    });
    request.on('finish', () => {
      sent = true;
      clearTimeout(timer);
      timer = setTimeout(
        () => fail(ambiguous(`no reply within ${timeouts.responseMs} ms after sending`)),
        timeouts.responseMs,
      );
    });
    request.on('error', (error) => {
      fail(
        sent
          ? ambiguous(`connection failed after sending: ${error.message}`, error)
          : unreachable(`request could not be sent: ${error.message}`, error),
      );
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => fail(ambiguous(`reply broken off: ${error.message}`, error)));
      response.on('aborted', () => fail(ambiguous('reply broken off')));
      response.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    request.end(body);
  });
