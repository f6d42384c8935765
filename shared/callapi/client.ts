import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { parseJsonOrUndefined } from '../json/parse-json.ts';
import { CallApiError, classifyRpcError } from './call-api-error.ts';
import { type LimitsSnapshot, parseLimits } from './limits.ts';
import { DEFAULT_TIMEOUTS, postJson, type TransportTimeouts } from './transport.ts';

const RpcError = z.object({
  code: z.number(),
  message: z.string(),
  data: z
    .object({
      mnemonic: z.string().optional(),
      field: z.string().nullish(),
      value: z.unknown().optional(),
      params: z.record(z.string(), z.unknown()).nullish(),
    })
    .nullish(),
});

const RpcReply = z.union([
  z.object({
    jsonrpc: z.literal('2.0'),
    id: z.union([z.string(), z.number(), z.null()]),
    result: z.unknown(),
    metadata: z.unknown().optional(),
  }),
  z.object({
    jsonrpc: z.literal('2.0'),
    id: z.union([z.string(), z.number(), z.null()]),
    error: RpcError,
    metadata: z.unknown().optional(),
  }),
]);

export interface CallApiReply<T> {
  result: T;
  limits: LimitsSnapshot | undefined;
}

export interface CallApiClientOptions {
  endpoint: URL;
  timeouts?: TransportTimeouts;
  now?: () => Date;
}

/** A JSON-RPC 2.0 client for one Call API endpoint. */
export class CallApiClient {
  readonly #endpoint: URL;
  readonly #timeouts: TransportTimeouts;
  readonly #now: () => Date;

  constructor(options: CallApiClientOptions) {
    this.#endpoint = options.endpoint;
    this.#timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
    this.#now = options.now ?? (() => new Date());
  }

  /** Sends one request; resolves with the parsed result or rejects with a `CallApiError`. */
  async request<T>(
    method: string,
    params: Record<string, unknown>,
    resultSchema: z.ZodType<T>,
  ): Promise<CallApiReply<T>> {
    const id = randomUUID();
    const reply = await postJson(
      this.#endpoint,
      JSON.stringify({ jsonrpc: '2.0', id, method, params }),
      this.#timeouts,
    );
    const now = this.#now();
    if (reply.status >= 500) {
      throw new CallApiError({ classification: 'ambiguous', message: `HTTP ${reply.status}` });
    }
    const envelope = RpcReply.safeParse(parseJsonOrUndefined(reply.body));
    if (!envelope.success) {
      throw new CallApiError({
        classification: 'ambiguous',
        message: `HTTP ${reply.status} without a JSON-RPC reply`,
      });
    }
    const limits = parseLimits(envelope.data.metadata, now);
    if ('error' in envelope.data) {
      const { code, message, data } = envelope.data.error;
      throw new CallApiError({
        classification: classifyRpcError(code, data?.mnemonic),
        message,
        code,
        ...(data?.mnemonic !== undefined && { mnemonic: data.mnemonic }),
        ...(data?.field != null && { field: data.field }),
        ...(data?.value !== undefined && { value: data.value }),
        ...(data?.params != null && { params: data.params }),
        ...(limits !== undefined && { limits }),
      });
    }
    if (envelope.data.id !== id) {
      throw new CallApiError({
        classification: 'ambiguous',
        message: 'the reply answers another request id',
      });
    }
    const result = resultSchema.safeParse(envelope.data.result);
    if (!result.success) {
      throw new CallApiError({
        classification: 'ambiguous',
        message: `the result of ${method} has an unexpected shape`,
      });
    }
    return { result: result.data, limits };
  }
}
