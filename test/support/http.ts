import { expect, vi } from 'vitest';
import { ADMIN_KEY, HOOK_TOKEN } from './runtime.ts';
import type { SignedRequest } from './senders.ts';

export interface Answer {
  status: number;
  contentType: string | null;
  headers: Headers;
  body: Record<string, unknown>;
}

const answer = async (response: Response): Promise<Answer> => {
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    headers: response.headers,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
};

export const postHook = async (
  baseUrl: string,
  route: string,
  body: unknown,
  init: { headers?: Record<string, string>; token?: string | null; raw?: string | Buffer } = {},
): Promise<Answer> => {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
  const token = init.token === undefined ? HOOK_TOKEN : init.token;
  if (token !== null) headers['x-callhook-token'] = token;
  const response = await fetch(`${baseUrl}/hooks/${route}`, {
    method: 'POST',
    headers,
    body: init.raw ?? JSON.stringify(body),
  });
  return answer(response);
};

/** Posts a request as its signing sender would: its own headers, its exact bytes, no token. */
export const postSigned = (
  baseUrl: string,
  route: string,
  signed: SignedRequest,
  init: { query?: string; headers?: Record<string, string> } = {},
): Promise<Answer> =>
  postHook(baseUrl, `${route}${init.query ?? ''}`, null, {
    headers: { ...signed.headers, ...init.headers },
    raw: signed.body,
    token: null,
  });

/** A fresh number per call (`+7926` + `block` + a counter), so the per-number cap bites only where a test means it to. */
export const freshPhones = (block: string) => {
  let seq = 0;
  return () => {
    seq += 1;
    return `+7926${block}${String(seq).padStart(4, '0')}`;
  };
};

export const getCall = async (baseUrl: string, callId: string, key = ADMIN_KEY): Promise<Answer> =>
  answer(
    await fetch(`${baseUrl}/calls/${callId}`, { headers: { authorization: `Bearer ${key}` } }),
  );

export const postCallAction = async (
  baseUrl: string,
  callId: string,
  action: 'cancel' | 'retry' | 'abandon',
  key = ADMIN_KEY,
): Promise<Answer> =>
  answer(
    await fetch(`${baseUrl}/calls/${callId}/${action}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
    }),
  );

/** Polls the call's public view until it reaches `status` (an event we cannot subscribe to over HTTP). */
export const waitForStatus = async (
  baseUrl: string,
  callId: string,
  status: string,
): Promise<Record<string, unknown>> =>
  vi.waitFor(
    async () => {
      const { body } = await getCall(baseUrl, callId);
      expect(body.status).toBe(status);
      return body;
    },
    { timeout: 10_000, interval: 20 },
  );
