import { CallSeconds, EpochMs, ProviderId } from '../../validation/provider-numbers.ts';
import * as z from '../../validation/zod.ts';
import { BackendError } from '../backend-error.ts';
import { unreadableReply } from '../unreadable-reply.ts';

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
      // Not JSON, the wrong shape, or a number out of its range: `ambiguous`, as for any reply
      // after sending (a job added under an `Idempotence-Key` is found again by resending).
      throw new BackendError(unreadableReply(`JAICP ${method}`, 'reply', parsed.error));
    }
    return parsed.data;
  }
}

/*
 * The numbers of JAICP's replies have their ranges (shared/validation/provider-numbers.ts): job
 * ids are positive safe integers, `callDuration` 0 … 7 days in seconds, `finishedAt` an instant
 * in ms before 2100. A reply with one out of range is unreadable, as above.
 */

/**
 * A job id, which the API spells as a number or a string of digits: a positive safe integer,
 * kept as its decimal text (the backend id), and sent back as a number.
 */
export const JobId = z.pipe(
  z.pipe(
    z.union([z.number(), z.pipe(z.string().check(z.regex(/^\d+$/)), z.transform(Number))]),
    ProviderId,
  ),
  z.transform(String),
);

export const JobIds = z.array(JobId).check(z.minLength(1));

/**
 * One job's report. A job that has not ended (`planned`, `inProcess`, `onRetry`) reports no end
 * and no duration: those may come as `null` as well as absent.
 */
export const JobReport = z.looseObject({
  id: JobId,
  jobStatus: z.string(),
  callDuration: z.nullish(CallSeconds),
  callResult: z.optional(z.unknown()),
  finishedAt: z.nullish(EpochMs),
});
export type JobReport = z.infer<typeof JobReport>;

export const JobReports = z.array(JobReport);
