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
  body?: unknown,
): Promise<Answer<T>> => {
  const response = await fetch(urlOf(path, query), {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      accept: 'application/json',
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    // A phone number searched for travels here, in the body: never in a URL.
    ...(body !== undefined && { body: JSON.stringify(body) }),
    cache: 'no-store',
    credentials: 'omit',
    ...(signal !== undefined && { signal }),
  });
  const text = await response.text();
  let answer: unknown = null;
  try {
    answer = text === '' ? null : JSON.parse(text);
  } catch {
    // An answer that is not JSON (a gateway's page) is reported by its status alone.
  }
  if (response.status === 401) throw new SessionEnded(asProblem(401, answer).detail);
  if (!response.ok) return { ok: false, problem: asProblem(response.status, answer) };
  return { ok: true, body: answer as T };
};

/** What a failed request says to a person. */
export const describeFailure = (error: unknown): string =>
  error instanceof TypeError
    ? 'callhook did not answer: check that it is running and reachable.'
    : 'The request failed unexpectedly.';

export const problemText = (problem: Problem): string => `${problem.title}: ${problem.detail}`;
