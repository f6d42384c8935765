import type { LimitsSnapshot } from '../pacing/limits.ts';

/**
 * What the dispatcher may do after a failed request:
 * - `limit`: wait for the reset, then send again;
 * - `auth`: the token was refused; the request was not processed;
 * - `config`: an operator must fix the account (whitelist, components, numbers);
 * - `rejected`: refused as invalid, nothing happened; sending it again changes nothing;
 * - `ambiguous`: the provider may have acted on it; never send it again automatically;
 * - `unreachable`: the request provably never left this machine.
 */
export type BackendErrorClass =
  | 'limit'
  | 'auth'
  | 'config'
  | 'rejected'
  | 'ambiguous'
  | 'unreachable';

export interface BackendErrorInit {
  classification: BackendErrorClass;
  message: string;
  code?: number;
  mnemonic?: string;
  field?: string;
  value?: unknown;
  params?: Record<string, unknown>;
  limits?: LimitsSnapshot;
}

/** A failed request to a call backend, classified by what the dispatcher may do next. */
export class BackendError extends Error {
  readonly classification: BackendErrorClass;
  readonly code: number | undefined;
  readonly mnemonic: string | undefined;
  readonly field: string | undefined;
  readonly value: unknown;
  readonly params: Record<string, unknown> | undefined;
  readonly limits: LimitsSnapshot | undefined;

  constructor(init: BackendErrorInit, options?: ErrorOptions) {
    super(init.message, options);
    this.name = 'BackendError';
    this.classification = init.classification;
    this.code = init.code;
    this.mnemonic = init.mnemonic;
    this.field = init.field;
    this.value = init.value;
    this.params = init.params;
    this.limits = init.limits;
  }
}
