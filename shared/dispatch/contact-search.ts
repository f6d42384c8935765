import type { CallRecord } from '../calls/call-record.ts';
import type { CallStore } from '../calls/call-store.ts';
import type { ContactCapStore } from '../guardrails/contact-cap.ts';
import { ProblemError } from '../http/problem-error.ts';
import { numberCallsToday } from './call-again.ts';

/** What `POST /calls/search` asks for: a full number, in the body, never in a URL. */
export interface ContactSearch {
  /** E.164 digits, without the plus sign: the form a call's request holds its contact in. */
  contact: string;
  route?: string;
}

/** The most calls one search answers: a number is rarely called more often. */
export const MAX_SEARCH_RESULTS = 100;

const invalid = (detail: string, parameter: string) =>
  new ProblemError('invalid_filter', detail, { parameter });

/**
 * The body of `POST /calls/search`: `{"contact": "+7 926 000-01-02"}`, optionally with a
 * `route`. The number in international form; spaces, dashes, dots and brackets are let through.
 */
export const parseContactSearch = (body: unknown): ContactSearch => {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ProblemError('malformed_body', 'Send a JSON object: {"contact": "+79260000000"}.');
  const fields = body as Record<string, unknown>;
  for (const name of Object.keys(fields)) {
    if (name !== 'contact' && name !== 'route')
      throw invalid(
        `Unknown field ${JSON.stringify(name.slice(0, 64))}; send contact and route.`,
        name,
      );
  }
  const { contact, route } = fields;
  if (typeof contact !== 'string' || !/^\s*\+?[\d\s().-]{7,32}$/.test(contact))
    throw invalid(
      'contact must be a phone number in international form (+79260000000).',
      'contact',
    );
  const digits = contact.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15)
    throw invalid('contact must have 7 to 15 digits (E.164).', 'contact');
  if (route !== undefined && (typeof route !== 'string' || route === '' || route.length > 128))
    throw invalid('route must be a route name (1 to 128 characters).', 'route');
  return { contact: digits, ...(typeof route === 'string' && { route }) };
};

export interface ContactSearchDeps {
  store: CallStore;
  contacts: ContactCapStore;
  now: () => Date;
}

/**
 * The calls to one number, newest first. The number is never stored or looked up in clear: its
 * last 24 hours come from the per-number counts, keyed by the number's HMAC under the
 * deployment's contact key (the same entries the cap and the customer's own call read); older
 * calls from the list's `contact_last4` filter, each compared in full on the record read.
 */
export const callsByContact = async (
  deps: ContactSearchDeps,
  search: ContactSearch,
): Promise<CallRecord[]> => {
  const today = await numberCallsToday(deps.contacts, search.contact, deps.now());
  const ids = [...new Set(today.map((entry) => entry.call_id))];
  const recent = await Promise.all(ids.map((id) => deps.store.get(id)));
  const older = await deps.store.list({
    contactLast4: search.contact.slice(-4),
    ...(search.route !== undefined && { route: search.route }),
    limit: MAX_SEARCH_RESULTS,
  });
  const found = new Map<string, CallRecord>();
  for (const record of [...recent, ...older.records]) {
    if (record === undefined || record.request?.params.contact !== search.contact) continue;
    if (search.route !== undefined && record.route !== search.route) continue;
    found.set(record.call_id, record);
  }
  return [...found.values()]
    .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0))
    .slice(0, MAX_SEARCH_RESULTS);
};
