import type { CallRequest } from '../callapi/methods.ts';

export const CALL_STATUSES = ['queued', 'dialing', 'placed', 'failed', 'unknown'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export interface CallError {
  /** The provider's mnemonic (e.g. `contact_in_blacklist`) or callhook's own reason. */
  reason: string;
  message: string;
  code?: number;
}

export interface HistoryEntry {
  status: CallStatus;
  at: string;
  reason?: string;
}

/** One accepted event and the one call it may place. */
export interface CallRecord {
  call_id: string;
  route: string;
  account: string;
  status: CallStatus;
  /** The Call API request exactly as it will be sent, minus `access_token` and `external_id`. */
  request: CallRequest;
  /** Hash of `request`: the same idempotency key with another fingerprint is a conflict. */
  fingerprint: string;
  attempts: number;
  max_attempts: number;
  call_session_id?: number;
  error?: CallError;
  lease_owner?: string;
  /** ISO time after which a `dialing` claim is considered abandoned. */
  lease_expires_at?: string;
  history: HistoryEntry[];
  /** Incremented by every write; conditional updates compare it. */
  version: number;
  created_at: string;
  updated_at: string;
  /** Epoch seconds; DynamoDB's TTL attribute. Code treats an expired record as absent. */
  expires_at: number;
}

/** Keeps history short: the record must stay far below DynamoDB's item size limit. */
export const HISTORY_LIMIT = 20;

export const appendHistory = (history: HistoryEntry[], entry: HistoryEntry): HistoryEntry[] =>
  [...history, entry].slice(-HISTORY_LIMIT);
