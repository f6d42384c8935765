import type { LimitsSnapshot } from '../../../pacing/limits.ts';
import { ItemCount } from '../../../validation/provider-numbers.ts';
import * as z from '../../../validation/zod.ts';
import {
  JsonRpcClient,
  type JsonRpcClientOptions,
  type JsonRpcDialect,
} from '../jsonrpc/client.ts';
import { classifyDataApiError, DataApiError } from './data-api-error.ts';

/**
 * `metadata` inside `result` (`{ data, metadata }`) on success and inside `error.data` on
 * failure; the deprecation flag spelt right; messages that name the method.
 */
const DATA_API = {
  api: 'Data API',
  error: DataApiError,
  classify: classifyDataApiError,
  metadata: 'inside',
  deprecatedFlag: 'current_version_deprecated',
  namesMethod: true,
} satisfies JsonRpcDialect<DataApiError>;

/** Advisory, like the limits beside it: a count out of range is left out, as if not sent. */
const TotalItems = z.object({ total_items: ItemCount });

export interface DataApiReply<T> {
  data: T;
  /** The key's points as this reply reports them. */
  limits: LimitsSnapshot | undefined;
  totalItems: number | undefined;
}

export type DataApiClientOptions = JsonRpcClientOptions;

/**
 * A JSON-RPC 2.0 client for one Data API endpoint (`…/v2.0`). Every failure is a
 * `DataApiError`, classified like the Call API's; the reply's limits travel with the result or
 * the error, for the key's own points budget. A result that fails its schema (the wrong shape,
 * or a number out of its range) is an `ambiguous` error with mnemonic `unreadable_reply`, and
 * `field` the place in the reply: none of it is used, and the report can be asked again.
 */
export class DataApiClient {
  readonly #rpc: JsonRpcClient<DataApiError>;

  constructor(options: DataApiClientOptions) {
    this.#rpc = new JsonRpcClient(DATA_API, options);
  }

  /** Sends one request with `access_token`; resolves with its `data`, checked by `schema`. */
  async request<T>(
    method: string,
    params: Record<string, unknown>,
    accessToken: string,
    schema: z.ZodMiniType<T>,
  ): Promise<DataApiReply<T>> {
    const reply = await this.#rpc.request(method, { access_token: accessToken, ...params }, schema);
    const total = TotalItems.safeParse(reply.metadata);
    return {
      data: reply.result,
      limits: reply.limits,
      totalItems: total.success ? total.data.total_items : undefined,
    };
  }
}
