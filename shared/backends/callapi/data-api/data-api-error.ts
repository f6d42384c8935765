import {
  BackendError,
  type BackendErrorClass,
  type BackendErrorInit,
} from '../../backend-error.ts';

/**
 * A Data API failure, classified in the same words as the Call API's (`BackendErrorClass`). The
 * Data API only reads, so for its callers the classes come down to: `limit` waits for the
 * reset, `unreachable` and `ambiguous` look again later, and `auth`, `config` and `rejected`
 * need an operator (a key, a whitelist, a component), so they are logged as errors.
 */
export class DataApiError extends BackendError {
  constructor(init: BackendErrorInit, options?: ErrorOptions) {
    super(init, options);
    this.name = 'DataApiError';
  }
}

/**
 * The overview's error groups: `-32029` limits; `-32001` keys and logins; `-32003` a source
 * address not whitelisted or a user without the right; `-32008` a component the method or a
 * parameter needs (`method_component_disabled`, `parameter_component_disabled`); `-32009` a
 * disabled account; `-32603` the server's own failure, worth another look later. Everything
 * else (`-32700`, `-32600`, `-32601`, `-32602` such as `filter_prohibited` or
 * `date_interval_limit_reached`, `-32099`) is a request the API will refuse again as it is.
 */
export const classifyDataApiError = (code: number): BackendErrorClass => {
  if (code === -32029) return 'limit';
  if (code === -32001) return 'auth';
  if (code === -32003 || code === -32008 || code === -32009) return 'config';
  if (code === -32603) return 'ambiguous';
  return 'rejected';
};
