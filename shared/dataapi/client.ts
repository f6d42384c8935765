import { randomUUID } from 'node:crypto';
import { BackendError } from '../backends/backend-error.ts';
import { unreadableReply } from '../backends/unreadable-reply.ts';
import { type LimitsSnapshot, parseLimits } from '../callapi/limits.ts';
import { DEFAULT_TIMEOUTS, postJson, type TransportTimeouts } from '../callapi/transport.ts';
import { parseJsonOrUndefined } from '../json/parse-json.ts';
import type { Logger } from '../logging/logger.ts';
import { ItemCount, RpcErrorCode } from '../validation/provider-numbers.ts';
import * as z from '../validation/zod.ts';
import { classifyDataApiError, DataApiError } from './data-api-error.ts';

const Id = z.union([z.string(), z.number(), z.null()]);

/** `metadata` sits inside `result` on success and inside `error.data` on failure. */
const RpcReply = z.union([
  z.object({
    jsonrpc: z.literal('2.0'),
    id: Id,
    result: z.object({ data: z.unknown(), metadata: z.optional(z.unknown()) }),
    metadata: z.optional(z.unknown()),
  }),
  z.object({
    jsonrpc: z.literal('2.0'),
    id: Id,
    error: z.object({
      code: z.number(),
      message: z.string(),
      data: z.nullish(
        z.object({
          mnemonic: z.optional(z.string()),
          field: z.nullish(z.string()),
          value: z.optional(z.unknown()),
          params: z.nullish(z.record(z.string(), z.unknown())),
          metadata: z.optional(z.unknown()),
        }),
      ),
    }),
    metadata: z.optional(z.unknown()),
  }),
]);

/** Advisory, like the limits beside it: a count out of range is left out, as if not sent. */
const TotalItems = z.object({ total_items: ItemCount });

const ApiVersion = z.object({
  api_version: z.object({
    current_version_deprecated: z.boolean(),
    current_version: z.optional(z.string()),
    latest_version: z.optional(z.string()),
  }),
});

export interface DataApiReply<T> {
  data: T;
  /** The key's points as this reply reports them. */
  limits: LimitsSnapshot | undefined;
  totalItems: number | undefined;
}

export interface DataApiClientOptions {
  endpoint: URL;
  timeouts?: TransportTimeouts;
  now?: () => Date;
  logger?: Pick<Logger, 'warn'>;
}

// One warning per container and endpoint: the notice repeats in every reply.
const deprecationWarned = new Set<string>();

/**
 * A JSON-RPC 2.0 client for one Data API endpoint (`…/v2.0`). Every failure is a
 * `DataApiError`, classified like the Call API's; the reply's limits travel with the result or
 * the error, for the key's own points budget. A result that fails its schema (the wrong shape,
 * or a number out of its range) is an `ambiguous` error with mnemonic `unreadable_reply`, and
 * `field` the place in the reply: none of it is used, and the report can be asked again.
 */
export class DataApiClient {
  readonly #endpoint: URL;
  readonly #timeouts: TransportTimeouts;
  readonly #now: () => Date;
  readonly #logger: Pick<Logger, 'warn'> | undefined;

  constructor(options: DataApiClientOptions) {
    this.#endpoint = options.endpoint;
    this.#timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
    this.#now = options.now ?? (() => new Date());
    this.#logger = options.logger;
  }

  /** Sends one request with `access_token`; resolves with its `data`, checked by `schema`. */
  async request<T>(
    method: string,
    params: Record<string, unknown>,
    accessToken: string,
    schema: z.ZodMiniType<T>,
  ): Promise<DataApiReply<T>> {
    const id = randomUUID();
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id,
      method,
      params: { access_token: accessToken, ...params },
    });
    let reply: Awaited<ReturnType<typeof postJson>>;
    try {
      reply = await postJson(this.#endpoint, body, this.#timeouts);
    } catch (error) {
      // The transport speaks the Call API's error; the class is what matters.
      if (!(error instanceof BackendError)) throw error;
      throw new DataApiError(
        { classification: error.classification, message: `${method}: ${error.message}` },
        { cause: error },
      );
    }
    const now = this.#now();
    if (reply.status >= 500) {
      throw new DataApiError({
        classification: 'ambiguous',
        message: `${method}: HTTP ${reply.status}`,
      });
    }
    const envelope = RpcReply.safeParse(parseJsonOrUndefined(reply.body));
    if (!envelope.success) {
      throw new DataApiError({
        classification: 'ambiguous',
        message: `${method}: HTTP ${reply.status} without a JSON-RPC reply`,
      });
    }
    const rpc = envelope.data;
    if ('error' in rpc) {
      const { code, message, data } = rpc.error;
      const limits = parseLimits(data?.metadata ?? rpc.metadata, now);
      const checkedCode = RpcErrorCode.safeParse(code);
      if (!checkedCode.success) {
        // A code out of range says nothing sure about the request; it would be stored, too.
        throw new DataApiError({
          ...unreadableReply(method, 'error.code', checkedCode.error),
          ...(limits !== undefined && { limits }),
        });
      }
      throw new DataApiError({
        classification: classifyDataApiError(code),
        message: `${method}: ${message}`,
        code,
        ...(data?.mnemonic !== undefined && { mnemonic: data.mnemonic }),
        ...(data?.field != null && { field: data.field }),
        ...(data?.value !== undefined && { value: data.value }),
        ...(data?.params != null && { params: data.params }),
        ...(limits !== undefined && { limits }),
      });
    }
    const metadata = rpc.result.metadata ?? rpc.metadata;
    const limits = parseLimits(metadata, now);
    this.#warnIfDeprecated(metadata);
    if (rpc.id !== id) {
      throw new DataApiError({
        classification: 'ambiguous',
        message: `${method}: the reply answers another request id`,
        ...(limits !== undefined && { limits }),
      });
    }
    const data = schema.safeParse(rpc.result.data);
    if (!data.success) {
      // The wrong shape, or a number out of its range (reports.ts): nothing of it is used.
      throw new DataApiError({
        ...unreadableReply(method, 'result.data', data.error),
        ...(limits !== undefined && { limits }),
      });
    }
    const total = TotalItems.safeParse(metadata);
    return {
      data: data.data,
      limits,
      totalItems: total.success ? total.data.total_items : undefined,
    };
  }

  #warnIfDeprecated(metadata: unknown): void {
    const version = ApiVersion.safeParse(metadata);
    if (!version.success || !version.data.api_version.current_version_deprecated) return;
    if (deprecationWarned.has(this.#endpoint.href)) return;
    deprecationWarned.add(this.#endpoint.href);
    this.#logger?.warn('Data API version is deprecated; move to the latest version', {
      endpoint: this.#endpoint.href,
      current_version: version.data.api_version.current_version,
      latest_version: version.data.api_version.latest_version,
    });
  }
}
