/**
 * The calls list as a file: CSV and JSON, with the columns the list shows, masked as it is (no
 * full number, no secret). No DOM here: the CLI's `calls export` writes the same files.
 */
import type { CallView } from './api-types.ts';

/** The columns an export carries, masked as the list shows them: no full number, no secret. */
const COLUMNS = [
  'call_id',
  'created_at',
  'updated_at',
  'route',
  'event_key',
  'status',
  'result',
  'talk_s',
  'attempt',
  'attempts',
  'contact',
  'error_reason',
] as const;

type Row = Record<(typeof COLUMNS)[number], string | number | null>;

const rowOf = (call: CallView): Row => ({
  call_id: call.call_id,
  created_at: call.created_at,
  updated_at: call.updated_at,
  route: call.route,
  event_key: call.event_key ?? null,
  status: call.status,
  result: call.result ?? null,
  talk_s: call.talk_s ?? null,
  attempt: call.attempt,
  attempts: call.attempts,
  contact: call.contact,
  error_reason: call.error?.reason ?? null,
});

/**
 * One CSV field (RFC 4180): quoted when it must be. A text that starts like a formula is
 * prefixed with an apostrophe, so a spreadsheet shows a sender's key instead of running it.
 */
const csvField = (value: string | number | null): string => {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export const toCsv = (calls: readonly CallView[]): string =>
  [
    COLUMNS.join(','),
    ...calls.map((call) => {
      const row = rowOf(call);
      return COLUMNS.map((column) => csvField(row[column])).join(',');
    }),
  ].join('\r\n');

export const toJson = (calls: readonly CallView[]): string =>
  `${JSON.stringify(calls.map(rowOf), null, 2)}\n`;
