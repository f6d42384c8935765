import type { HttpGet } from './ports.ts';

/** Plain GETs with a deadline, for the API's `/health`. */
export const fetchHttp = (timeoutMs = 10_000): HttpGet => ({
  get: async (url) => {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: await response.text() };
  },
});
