/** What both simulated APIs refuse before reading a request's method or params. */
export type EnvelopeRefusal =
  | 'parse_error'
  | 'batch_opreations_not_supported'
  | 'invalid_request'
  | 'notifications_not_supported'
  | 'method_not_found';

export interface JsonRpcEnvelope<M extends string> {
  id: string | number;
  method: M;
  params: Record<string, unknown>;
}

/**
 * Reads a JSON-RPC 2.0 request as the providers' APIs do (the Call API's and the Data API's
 * overviews list the same refusals, in this order): `refuse` builds each API's own error.
 */
export const readEnvelope = <M extends string>(
  raw: string,
  isMethod: (method: string) => method is M,
  refuse: (mnemonic: EnvelopeRefusal, details?: { field: string }) => Error,
): JsonRpcEnvelope<M> => {
  let request: unknown;
  try {
    request = JSON.parse(raw);
  } catch {
    throw refuse('parse_error');
  }
  if (Array.isArray(request)) throw refuse('batch_opreations_not_supported');
  if (typeof request !== 'object' || request === null) throw refuse('invalid_request');
  const envelope = request as Record<string, unknown>;
  if (!('id' in envelope)) throw refuse('notifications_not_supported');
  const { id, jsonrpc, method, params } = envelope;
  if (typeof id !== 'string' && typeof id !== 'number') {
    throw refuse('invalid_request', { field: 'id' });
  }
  if (jsonrpc !== '2.0') throw refuse('invalid_request', { field: 'jsonrpc' });
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw refuse('invalid_request', { field: 'params' });
  }
  if (typeof method !== 'string' || !isMethod(method)) throw refuse('method_not_found');
  return { id, method, params: params as Record<string, unknown> };
};
