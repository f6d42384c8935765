import {
  BackendError,
  type BackendErrorClass,
  type BackendErrorInit,
} from '../../backend-error.ts';

export type {
  BackendErrorClass as CallApiErrorClass,
  BackendErrorInit as CallApiErrorInit,
} from '../../backend-error.ts';

/** A Call API failure: a `BackendError` whose mnemonic, code and params are the provider's. */
export class CallApiError extends BackendError {
  constructor(init: BackendErrorInit, options?: ErrorOptions) {
    super(init, options);
    this.name = 'CallApiError';
  }
}

const CONFIG_MNEMONICS = new Set([
  'ip_not_whitelisted',
  'forbidden',
  'component_disabled',
  'account_inactive',
  'virtual_phone_number_not_found',
]);

/** Classifies a JSON-RPC error object the provider returned. */
export const classifyRpcError = (code: number, mnemonic: string | undefined): BackendErrorClass => {
  if (mnemonic !== undefined && CONFIG_MNEMONICS.has(mnemonic)) return 'config';
  if (code === -32029) return 'limit';
  if (code === -32001) return 'auth';
  // internal_error: the server failed somewhere in the middle; the call may exist.
  if (code === -32603) return 'ambiguous';
  if (code === -32003 || code === -32007 || code === -32008 || code === -32009) return 'config';
  return 'rejected';
};
