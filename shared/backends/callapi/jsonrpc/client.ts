import { randomUUID } from 'node:crypto';
import { parseJsonOrUndefined } from '../../../json/parse-json.ts';
import type { Logger } from '../../../logging/logger.ts';
import { type LimitsSnapshot, parseLimits } from '../../../pacing/limits.ts';
import { RpcErrorCode } from '../../../validation/provider-numbers.ts';
import * as z from '../../../validation/zod.ts';
import type { BackendError, BackendErrorClass, BackendErrorInit } from '../../backend-error.ts';
import { unreadableReply } from '../../unreadable-reply.ts';
import { DEFAULT_TIMEOUTS, postJson, type TransportTimeouts } from './transport.ts';

/**
 * What sets one provider's JSON-RPC 2.0 API apart from another's: the rest (the request, the
 * reply's envelope, its id, its error object, its limits and its version notice) is the same.
 */
export interface JsonRpcDialect<E extends BackendError> {
  /** The API's name, for the deprecation warning. */
  api: string;
  /** The API's own error class: every failure of a request is one. */
  error: new (
    init: BackendErrorInit,
    options?: ErrorOptions,
  ) => E;
  /** What a documented error means for the caller. */
  classify: (code: number, mnemonic: string | undefined) => BackendErrorClass;
  /**
   * Where `metadata` sits: beside `result` or `error` (`envelope`, the Call API), or inside them
   * (`inside`, the Data API: `result` is `{ data, metadata }`, and `error.data.metadata`), the
   * envelope's own read when they have none.
   */
  metadata: 'envelope' | 'inside';
  /** The flag of `metadata.api_version` that says the version is deprecated, as spelt. */
  deprecatedFlag: string;
  /** Whether the API's messages start with the method (`get.calls_report: HTTP 502`). */
  namesMethod: boolean;
}

export interface JsonRpcClientOptions {
  endpoint: URL;
  timeouts?: TransportTimeouts;
  now?: () => Date;
  logger?: Pick<Logger, 'warn'>;
}

export interface JsonRpcReply<T> {
  result: T;
  /** The key's points as this reply reports them. */
  limits: LimitsSnapshot | undefined;
  /** The reply's `metadata`, wherever the dialect puts it, for whatever else it reports. */
  metadata: unknown;
}

const Id = z.union([z.string(), z.number(), z.null()]);

/** `result` where `metadata` sits inside it: `{ data, metadata }`. */
const ResultInside = z.object({ data: z.unknown(), metadata: z.optional(z.unknown()) });
type ResultInside = z.infer<typeof ResultInside>;

const replyWith = <R extends z.ZodMiniType>(result: R) =>
  z.union([
    z.object({ jsonrpc: z.literal('2.0'), id: Id, result, metadata: z.optional(z.unknown()) }),
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

/** The reply's envelope by where `metadata` sits. */
const REPLIES = { envelope: replyWith(z.unknown()), inside: replyWith(ResultInside) };

/** The flag itself is read by the name the dialect spells it with. */
const ApiVersion = z.object({
  api_version: z.looseObject({
    current_version: z.optional(z.string()),
    latest_version: z.optional(z.string()),
  }),
});

// One warning per container, API and endpoint: the notice repeats in every reply.
const deprecationWarned = new Set<string>();

/**
 * A JSON-RPC 2.0 client for one endpoint of a provider's API. Every failure is the dialect's
 * error, classified by the dialect; the reply's limits travel with the result or the error. A
 * result that fails its schema (the wrong shape, or a number out of its range) is `ambiguous`
 * with mnemonic `unreadable_reply` and `field` the place in the reply: none of it is used.
 */
export class JsonRpcClient<E extends BackendError> {
  readonly #dialect: JsonRpcDialect<E>;
  readonly #endpoint: URL;
  readonly #timeouts: TransportTimeouts;
  readonly #now: () => Date;
  readonly #logger: Pick<Logger, 'warn'> | undefined;

  constructor(dialect: JsonRpcDialect<E>, options: JsonRpcClientOptions) {
    this.#dialect = dialect;
    this.#endpoint = options.endpoint;
    this.#timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
    this.#now = options.now ?? (() => new Date());
    this.#logger = options.logger;
  }

  /** Sends one request; resolves with its result checked by `schema`, or rejects with `E`. */
  async request<T>(
    method: string,
    params: Record<string, unknown>,
    schema: z.ZodMiniType<T>,
  ): Promise<JsonRpcReply<T>> {
    const dialect = this.#dialect;
    const named = (message: string) => (dialect.namesMethod ? `${method}: ${message}` : message);
    const id = randomUUID();
    const reply = await postJson(
      this.#endpoint,
      JSON.stringify({ jsonrpc: '2.0', id, method, params }),
      this.#timeouts,
      (init, options) => new dialect.error({ ...init, message: named(init.message) }, options),
    );
    const now = this.#now();
    if (reply.status >= 500) {
      throw new dialect.error({
        classification: 'ambiguous',
        message: named(`HTTP ${reply.status}`),
      });
    }
    const envelope = REPLIES[dialect.metadata].safeParse(parseJsonOrUndefined(reply.body));
    if (!envelope.success) {
      throw new dialect.error({
        classification: 'ambiguous',
        message: named(`HTTP ${reply.status} without a JSON-RPC reply`),
      });
    }
    const rpc = envelope.data;
    const inside = dialect.metadata === 'inside';
    // Where `metadata` sits inside, REPLIES checked `result` against ResultInside.
    const nested = inside ? ('error' in rpc ? rpc.error.data : (rpc.result as ResultInside)) : null;
    const metadata = nested?.metadata ?? rpc.metadata;
    const limits = parseLimits(metadata, now);
    const withLimits = limits !== undefined && { limits };
    this.#warnIfDeprecated(metadata);
    if ('error' in rpc) {
      const { code, message, data } = rpc.error;
      const checkedCode = RpcErrorCode.safeParse(code);
      if (!checkedCode.success) {
        // No documented code, so no sure word on whether the request was acted on.
        throw new dialect.error({
          ...unreadableReply(method, 'error.code', checkedCode.error),
          ...withLimits,
        });
      }
      throw new dialect.error({
        classification: dialect.classify(code, data?.mnemonic),
        message: named(message),
        code,
        ...(data?.mnemonic !== undefined && { mnemonic: data.mnemonic }),
        ...(data?.field != null && { field: data.field }),
        ...(data?.value !== undefined && { value: data.value }),
        ...(data?.params != null && { params: data.params }),
        ...withLimits,
      });
    }
    if (rpc.id !== id) {
      throw new dialect.error({
        classification: 'ambiguous',
        message: named('the reply answers another request id'),
        ...withLimits,
      });
    }
    const result = schema.safeParse(inside ? (rpc.result as ResultInside).data : rpc.result);
    if (!result.success) {
      // The wrong shape, or a number out of its range: the request was sent, so whatever it
      // asked for may have happened; nothing of the result is used.
      const root = inside ? 'result.data' : 'result';
      throw new dialect.error({ ...unreadableReply(method, root, result.error), ...withLimits });
    }
    return { result: result.data, limits, metadata };
  }

  #warnIfDeprecated(metadata: unknown): void {
    const { api, deprecatedFlag } = this.#dialect;
    const version = ApiVersion.safeParse(metadata);
    if (!version.success || version.data.api_version[deprecatedFlag] !== true) return;
    const key = `${api} ${this.#endpoint.href}`;
    if (deprecationWarned.has(key)) return;
    deprecationWarned.add(key);
    this.#logger?.warn(`${api} version is deprecated; move to the latest version`, {
      endpoint: this.#endpoint.href,
      current_version: version.data.api_version.current_version,
      latest_version: version.data.api_version.latest_version,
    });
  }
}
