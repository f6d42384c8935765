import * as z from '../../validation/zod.ts';
import { BackendError } from '../backend-error.ts';

export interface JaicpClientOptions {
  baseUrl: string;
  /** The campaign's API token: it sits in the URL path, so no URL is ever put in an error. */
  token: string;
  timeoutMs?: number;
}

/** What an HTTP status says about a request that JAICP answered. */
const classify = (status: number): BackendError['classification'] => {
  if (status === 429) return 'limit';
  if (status === 401 || status === 403 || status === 404) return 'config';
  if (status >= 400 && status < 500) return 'rejected';
  return 'ambiguous';
};

/**
 * The JAICP Calls API over HTTP (see docs/jaicp-calls-api.md). Errors are `BackendError`s
 * classified like the Call API's; a refused connection is `unreachable`, anything that may have
 * reached the server without an answer is `ambiguous`.
 */
export class JaicpClient {
  readonly #options: JaicpClientOptions;

  constructor(options: JaicpClientOptions) {
    this.#options = options;
  }

  async post<T>(
    method: string,
    body: unknown,
    reply: z.ZodMiniType<T>,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const { baseUrl, token, timeoutMs } = this.#options;
    const url = `${baseUrl.replace(/\/$/, '')}/api/calls/campaign/${encodeURIComponent(token)}/${method}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs ?? 10_000),
      });
    } catch (error) {
      const code = (error as { cause?: { code?: unknown } }).cause?.code;
      throw new BackendError(
        {
          classification: code === 'ECONNREFUSED' ? 'unreachable' : 'ambiguous',
          message: `JAICP ${method}: ${typeof code === 'string' ? code : (error as Error).name}`,
        },
        { cause: error },
      );
    }
    const text = await response.text();
    if (!response.ok) {
      throw new BackendError({
        classification: classify(response.status),
        message: `JAICP ${method} answered HTTP ${response.status}`,
        code: response.status,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = reply.safeParse(json);
    if (!parsed.success) {
      throw new BackendError({
        classification: 'ambiguous',
        message: `JAICP ${method} gave a reply callhook cannot read`,
      });
    }
    return parsed.data;
  }
}

/** A job id, which the API spells as a number or a string. */
export const JobId = z.pipe(z.union([z.number(), z.string()]), z.transform(String));

export const JobIds = z.array(JobId).check(z.minLength(1));

export const JobReports = z.array(
  z.looseObject({
    id: JobId,
    jobStatus: z.string(),
    callDuration: z.optional(z.number()),
    callResult: z.optional(z.unknown()),
    finishedAt: z.optional(z.number()),
  }),
);
