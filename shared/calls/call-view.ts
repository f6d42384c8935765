import { maskPhone } from '../logging/mask.ts';
import type { CallRecord } from './call-record.ts';

/** What `GET /calls/{id}` shows: no secret, and the contact masked to its last 4 digits. */
export const toCallView = (record: CallRecord) => ({
  call_id: record.call_id,
  route: record.route,
  status: record.status,
  method: record.request.method,
  contact: maskPhone(record.request.params.contact),
  call_session_id: record.call_session_id ?? null,
  attempts: record.attempts,
  created_at: record.created_at,
  updated_at: record.updated_at,
  error: record.error ?? null,
  history: record.history,
});
