import { maskPhone } from '../logging/mask.ts';
import type { CallOutcome, CallRecord } from './call-record.ts';

/** The raw provider event names the contact: it stays in the record, not in the answer. */
const viewOutcome = ({ event: _, ...outcome }: CallOutcome) => outcome;

/** What `GET /calls/{id}` shows: no secret, and the contact masked to its last 4 digits. */
export const toCallView = (record: CallRecord) => ({
  call_id: record.call_id,
  route: record.route,
  status: record.status,
  method: record.request?.method ?? null,
  contact:
    record.request === undefined
      ? (record.contact_masked ?? null)
      : maskPhone(record.request.params.contact),
  call_session_id: record.call_session_id ?? null,
  attempts: record.attempts,
  due_at: record.due_at ?? null,
  outcome: record.outcome === undefined ? null : viewOutcome(record.outcome),
  created_at: record.created_at,
  updated_at: record.updated_at,
  error: record.error ?? null,
  history: record.history,
});
