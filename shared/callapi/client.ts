import { randomUUID } from 'node:crypto';
import { unreadableReply } from '../backends/unreadable-reply.ts';
import { parseJsonOrUndefined } from '../json/parse-json.ts';
import type { Logger } from '../logging/logger.ts';
import { RpcErrorCode } from '../validation/provider-numbers.ts';
import * as z from '../validation/zod.ts';
import { CallApiError, classifyRpcError } from './call-api-error.ts';
import { type LimitsSnapshot, parseLimits } from './limits.ts';
import { METHODS, type MethodName, type ParamsOf, type ResultOf } from './methods.ts';
import { DEFAULT_TIMEOUTS, postJson, type TransportTimeouts } from './transport.ts';

const RpcError = z.object({
  code: z.number(),
  message: z.string(),
  data: z.nullish(
    z.object({
      mnemonic: z.optional(z.string()),
      field: z.nullish(z.string()),
      value: z.optional(z.unknown()),
      params: z.nullish(z.record(z.string(), z.unknown())),
    }),
  ),
});

const RpcReply = z.union([
  z.object({
    jsonrpc: z.literal('2.0'),
    id: z.union([z.string(), z.number(), z.null()]),
    result: z.unknown(),
    metadata: z.optional(z.unknown()),
  }),
  z.object({
    jsonrpc: z.literal('2.0'),
    id: z.union([z.string(), z.number(), z.null()]),
    error: RpcError,
    metadata: z.optional(z.unknown()),
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
  logger?: Pick<Logger, 'warn'>;
}

const ApiVersion = z.object({
  api_version: z.object({
    current_version_depricated: z.boolean(),
    current_version: z.optional(z.string()),
    latest_version: z.optional(z.string()),
  }),
});

// One warning per container and endpoint: the notice repeats in every reply.
const deprecationWarned = new Set<string>();

/** A JSON-RPC 2.0 client for one Call API endpoint. */
export class CallApiClient {
  readonly #endpoint: URL;
  readonly #timeouts: TransportTimeouts;
  readonly #now: () => Date;
  readonly #logger: Pick<Logger, 'warn'> | undefined;

  constructor(options: CallApiClientOptions) {
    this.#endpoint = options.endpoint;
    this.#timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
    this.#now = options.now ?? (() => new Date());
    this.#logger = options.logger;
  }

  /**
   * Calls a documented method. Params are checked against its schema first, so an invalid
   * request is refused here and never sent; absent optional fields are simply not sent.
   */
  async call<M extends MethodName>(
    method: M,
    params: ParamsOf<M>,
    accessToken?: string,
  ): Promise<CallApiReply<ResultOf<M>>> {
    const spec = METHODS[method];
    const checked = spec.params.safeParse(params);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new CallApiError({
        classification: 'rejected',
        mnemonic: 'invalid_params',
        message: `not sent: ${method} params are invalid: ${issue?.message ?? 'invalid'}`,
        ...(issue !== undefined && { field: issue.path.join('.') }),
      });
    }
    const body: Record<string, unknown> = { ...checked.data };
    if (spec.authenticated) body.access_token = accessToken;
    // TypeScript cannot follow METHODS[M] through the generic; the registry pairs them.
    return this.request(method, body, spec.result as unknown as z.ZodMiniType<ResultOf<M>>);
  }

  /**
   * Sends one request; resolves with the parsed result or rejects with a `CallApiError`. A
   * result that fails `resultSchema` (the wrong shape, or a number out of its range) is
   * `ambiguous` with mnemonic `unreadable_reply` and `field` the place in the reply.
   */
  async request<T>(
    method: string,
    params: Record<string, unknown>,
    resultSchema: z.ZodMiniType<T>,
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
    this.#warnIfDeprecated(envelope.data.metadata);
    if ('error' in envelope.data) {
      const { code, message, data } = envelope.data.error;
      const checkedCode = RpcErrorCode.safeParse(code);
      if (!checkedCode.success) {
        // No documented code, so no sure word on whether the request was acted on.
        throw new CallApiError({
          ...unreadableReply(method, 'error.code', checkedCode.error),
          ...(limits !== undefined && { limits }),
        });
      }
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
      // The wrong shape, or a number out of its range (methods.ts): the request was sent, so
      // whatever it asked for may have happened; nothing of the result is used.
      throw new CallApiError({
        ...unreadableReply(method, 'result', result.error),
        ...(limits !== undefined && { limits }),
      });
    }
    return { result: result.data, limits };
  }

  #warnIfDeprecated(metadata: unknown): void {
    const version = ApiVersion.safeParse(metadata);
    if (!version.success || !version.data.api_version.current_version_depricated) return;
    if (deprecationWarned.has(this.#endpoint.href)) return;
    deprecationWarned.add(this.#endpoint.href);
    this.#logger?.warn('Call API version is deprecated; move to the latest version', {
      endpoint: this.#endpoint.href,
      current_version: version.data.api_version.current_version,
      latest_version: version.data.api_version.latest_version,
    });
  }
}
