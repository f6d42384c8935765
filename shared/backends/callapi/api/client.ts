import type { LimitsSnapshot } from '../../../pacing/limits.ts';
import type * as z from '../../../validation/zod.ts';
import {
  JsonRpcClient,
  type JsonRpcClientOptions,
  type JsonRpcDialect,
} from '../jsonrpc/client.ts';
import { CallApiError, classifyRpcError } from './call-api-error.ts';
import { METHODS, type MethodName, type ParamsOf, type ResultOf } from './methods.ts';

export interface CallApiReply<T> {
  result: T;
  limits: LimitsSnapshot | undefined;
}

export type CallApiClientOptions = JsonRpcClientOptions;

/** `metadata` beside `result` and `error`; the deprecation flag as the Call API spells it. */
const CALL_API = {
  api: 'Call API',
  error: CallApiError,
  classify: classifyRpcError,
  metadata: 'envelope',
  deprecatedFlag: 'current_version_depricated',
  namesMethod: false,
} satisfies JsonRpcDialect<CallApiError>;

/** A JSON-RPC 2.0 client for one Call API endpoint. */
export class CallApiClient {
  readonly #rpc: JsonRpcClient<CallApiError>;

  constructor(options: CallApiClientOptions) {
    this.#rpc = new JsonRpcClient(CALL_API, options);
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
    const { result, limits } = await this.#rpc.request(method, params, resultSchema);
    return { result, limits };
  }
}
