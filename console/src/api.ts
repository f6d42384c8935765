import type { Problem } from './api-types.ts';

/** The admin key was refused: the session is over, whatever the request was. */
export class SessionEnded extends Error {}

export type Answer<T> = { ok: true; body: T } | { ok: false; problem: Problem };

/**
 * The API's URL for `path`, beside the page's own: the console is at `<api>/console`, so
 * `calls` is `<api>/calls` wherever the API is mounted (a stage or a base path included).
 */
const urlOf = (path: string, query?: URLSearchParams): string => {
  const url = new URL(path, document.baseURI);
  if (query !== undefined) url.search = query.toString();
  return url.toString();
};

const asProblem = (status: number, body: unknown): Problem => {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
  return {
    status,
    title: text(fields.title, `HTTP ${status}`),
    detail: text(fields.detail, text(fields.message, 'The API gave no detail.')),
    code: text(fields.code, 'http_error'),
  };
};

/**
 * One request to the API with the admin key. A refused key throws `SessionEnded`; any other
 * refusal is the answer's problem. A network failure throws as `fetch` does.
 */
export const request = async <T>(
  key: string,
  method: 'GET' | 'POST',
  path: string,
  query?: URLSearchParams,
  signal?: AbortSignal,
): Promise<Answer<T>> => {
  const response = await fetch(urlOf(path, query), {
    method,
    headers: { authorization: `Bearer ${key}`, accept: 'application/json' },
    cache: 'no-store',
    credentials: 'omit',
    ...(signal !== undefined && { signal }),
  });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // An answer that is not JSON (a gateway's page) is reported by its status alone.
  }
  if (response.status === 401) throw new SessionEnded(asProblem(401, body).detail);
  if (!response.ok) return { ok: false, problem: asProblem(response.status, body) };
  return { ok: true, body: body as T };
};

/** What a failed request says to a person. */
export const describeFailure = (error: unknown): string =>
  error instanceof TypeError
    ? 'callhook did not answer: check that it is running and reachable.'
    : 'The request failed unexpectedly.';

export const problemText = (problem: Problem): string => `${problem.title}: ${problem.detail}`;
