import type { LimitsSnapshot } from './limits.ts';

/**
 * What the dispatcher may do after a failed request:
 * - `limit`: wait for the reset, then send again;
 * - `auth`: the token was refused; the request was not processed;
 * - `config`: an operator must fix the account (whitelist, components, numbers);
 * - `rejected`: refused as invalid, nothing happened; sending it again changes nothing;
 * - `ambiguous`: the provider may have acted on it; never send it again automatically;
 * - `unreachable`: the request provably never left this machine.
 */
export type CallApiErrorClass =
  | 'limit'
  | 'auth'
  | 'config'
  | 'rejected'
  | 'ambiguous'
  | 'unreachable';

export interface CallApiErrorInit {
  classification: CallApiErrorClass;
  message: string;
  code?: number;
  mnemonic?: string;
  field?: string;
  value?: unknown;
  params?: Record<string, unknown>;
  limits?: LimitsSnapshot;
}

export class CallApiError extends Error {
  readonly classification: CallApiErrorClass;
  readonly code: number | undefined;
  readonly mnemonic: string | undefined;
  readonly field: string | undefined;
  readonly value: unknown;
  readonly params: Record<string, unknown> | undefined;
  readonly limits: LimitsSnapshot | undefined;

  constructor(init: CallApiErrorInit, options?: ErrorOptions) {
    super(init.message, options);
    this.name = 'CallApiError';
    this.classification = init.classification;
    this.code = init.code;
    this.mnemonic = init.mnemonic;
    this.field = init.field;
    this.value = init.value;
    this.params = init.params;
    this.limits = init.limits;
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
export const classifyRpcError = (code: number, mnemonic: string | undefined): CallApiErrorClass => {
  if (mnemonic !== undefined && CONFIG_MNEMONICS.has(mnemonic)) return 'config';
  if (code === -32029) return 'limit';
  if (code === -32001) return 'auth';
  // internal_error: the server failed somewhere in the middle; the call may exist.
  if (code === -32603) return 'ambiguous';
  if (code === -32003 || code === -32007 || code === -32008 || code === -32009) return 'config';
  return 'rejected';
};
