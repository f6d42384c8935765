import { createHmac, timingSafeEqual } from 'node:crypto';
import { ProblemError, quoteInput } from '../http/problem-error.ts';
import { isCallId } from './call-id.ts';
import { CALL_STATUSES, type CallRecord, type CallStatus } from './call-record.ts';
import { CALL_RESULTS, type CallResult } from './call-result.ts';
import type { CallQuery, CallStore, ListPosition } from './call-store.ts';
import { lastResultOf } from './call-view.ts';
import { callIdFor, type KeySource } from './idempotency.ts';

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 100;
/** The longest event key looked up: longer than any key a sender could have given. */
export const MAX_KEY_LENGTH = 1024;

const PARAMETERS = [
  'status',
  'result',
  'route',
  'since',
  'until',
  'contact_last4',
  'limit',
  'cursor',
  'key',
];
/** Every source a call id can be derived from (`callIdFor`): a key names at most one each. */
const KEY_SOURCES: readonly KeySource[] = ['header', 'route', 'sender', 'content'];
/** ISO 8601: a date, or a date-time with its offset. */
const ISO_TIME =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const CURSOR_VERSION = 1;

export type QueryParameters = Readonly<Record<string, string | undefined>>;

/** What `GET /calls` asks for, checked. */
export interface ListRequest {
  filters: Omit<CallQuery, 'limit' | 'after'> & {
    /** How the last attempt ended: judged on each record read, after the store's filters. */
    results?: CallResult[];
  };
  limit: number;
  cursor?: string;
  key?: string;
}

const invalidFilter = (detail: string, parameter: string) =>
  new ProblemError('invalid_filter', detail, { parameter });

/** Whether the date and clock fields are real ones: `Date.parse` rolls February 30 over. */
const isRealTime = (value: string): boolean => {
  const [y, m, d, hh = 0, mm = 0, ss = 0] = (value.match(/\d+/g) ?? []).map(Number);
  if (y === undefined || m === undefined || d === undefined) return false;
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCMonth() === m - 1 && day.getUTCDate() === d && hh < 24 && mm < 60 && ss < 60;
};

const timeOf = (name: string, value: string): string => {
  const time = Date.parse(value);
  if (!ISO_TIME.test(value) || Number.isNaN(time) || !isRealTime(value))
    throw invalidFilter(`${name} must be an ISO 8601 time, not ${quoteInput(value)}.`, name);
  return new Date(time).toISOString();
};

/** The query string of `GET /calls`; a parameter it does not know, or a bad value, is a 400. */
export const parseListRequest = (parameters: QueryParameters): ListRequest => {
  for (const name of Object.keys(parameters)) {
    if (!PARAMETERS.includes(name))
      throw invalidFilter(
        `Unknown parameter ${quoteInput(name)}; GET /calls takes ${PARAMETERS.join(', ')}.`,
        name,
      );
  }
  const { status, result, route, since, until, contact_last4, limit, cursor, key } = parameters;
  const filters: ListRequest['filters'] = {};
  if (status !== undefined) {
    const statuses = [...new Set(status.split(','))];
    for (const one of statuses) {
      if (!(CALL_STATUSES as readonly string[]).includes(one))
        throw invalidFilter(
          `status ${quoteInput(one)} is not one of ${CALL_STATUSES.join(', ')}.`,
          'status',
        );
    }
    filters.statuses = statuses as CallStatus[];
  }
  if (result !== undefined) {
    const results = [...new Set(result.split(','))];
    for (const one of results) {
      if (!(CALL_RESULTS as readonly string[]).includes(one))
        throw invalidFilter(
          `result ${quoteInput(one)} is not one of ${CALL_RESULTS.join(', ')}.`,
          'result',
        );
    }
    filters.results = results as CallResult[];
  }
  if (route !== undefined) {
    if (route === '' || route.length > 128)
      throw invalidFilter('route must be a route name (1 to 128 characters).', 'route');
    filters.route = route;
  }
  if (since !== undefined) filters.since = timeOf('since', since);
  if (until !== undefined) filters.until = timeOf('until', until);
  if (filters.since !== undefined && filters.until !== undefined && filters.since > filters.until)
    throw invalidFilter('since is after until.', 'since');
  if (contact_last4 !== undefined) {
    if (!/^\d{4}$/.test(contact_last4))
      throw invalidFilter('contact_last4 must be 4 digits.', 'contact_last4');
    filters.contactLast4 = contact_last4;
  }
  let pageSize = DEFAULT_LIST_LIMIT;
  if (limit !== undefined) {
    pageSize = /^\d{1,3}$/.test(limit) ? Number(limit) : 0;
    if (pageSize < 1 || pageSize > MAX_LIST_LIMIT)
      throw invalidFilter(`limit must be a whole number from 1 to ${MAX_LIST_LIMIT}.`, 'limit');
  }
  if (key !== undefined) {
    if (route === undefined)
      throw invalidFilter('key needs route: an event key is its route’s.', 'key');
    if (key === '' || key.length > MAX_KEY_LENGTH)
      throw invalidFilter(`key must be 1 to ${MAX_KEY_LENGTH} characters.`, 'key');
    if (cursor !== undefined)
      throw invalidFilter('key names one event: it takes no cursor.', 'cursor');
  }
  return {
    filters,
    limit: pageSize,
    ...(cursor !== undefined && { cursor }),
    ...(key !== undefined && { key }),
  };
};

/** The filters a cursor belongs to: it continues only the query that gave it. */
const filtersDigest = (filters: ListRequest['filters']): string =>
  JSON.stringify([
    filters.statuses === undefined ? null : [...filters.statuses].sort(),
    filters.route ?? null,
    filters.since ?? null,
    filters.until ?? null,
    filters.contactLast4 ?? null,
    ...(filters.results === undefined ? [] : [[...filters.results].sort()]),
  ]);

/**
 * A cursor is the position where a page ended, with its version and the filters it belongs to,
 * as base64url JSON, then a MAC over it (HMAC-SHA256 under a key derived from the admin key): a
 * cursor callhook did not give, or one given for other filters, is refused, never read.
 */
export class CursorCodec {
  readonly #key: Buffer;

  constructor(adminKey: string) {
    this.#key = createHmac('sha256', adminKey).update('callhook GET /calls cursor').digest();
  }

  #mac(text: string): Buffer {
    return createHmac('sha256', this.#key).update(text).digest().subarray(0, 16);
  }

  encode(position: ListPosition, filters: ListRequest['filters']): string {
    const text = Buffer.from(
      JSON.stringify({
        v: CURSOR_VERSION,
        c: position.created_at,
        i: position.call_id,
        f: filtersDigest(filters),
      }),
    ).toString('base64url');
    return `${text}.${this.#mac(text).toString('base64url')}`;
  }

  decode(cursor: string, filters: ListRequest['filters']): ListPosition {
    const refused = new ProblemError(
      'invalid_cursor',
      'The cursor is not one this query gave: start again without it.',
    );
    const [text, mac, ...rest] = cursor.split('.');
    if (text === undefined || mac === undefined || rest.length > 0) throw refused;
    const given = Buffer.from(mac, 'base64url');
    const expected = this.#mac(text);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    } catch {
      throw refused;
    }
    const { v, c, i, f } = (parsed ?? {}) as Record<string, unknown>;
    if (
      v !== CURSOR_VERSION ||
      typeof c !== 'string' ||
      Number.isNaN(Date.parse(c)) ||
      typeof i !== 'string' ||
      !isCallId(i) ||
      f !== filtersDigest(filters)
    )
      throw refused;
    return { created_at: c, call_id: i };
  }
}

export interface CallListDeps {
  store: CallStore;
  adminKey: () => Promise<string>;
}

const matchesFilters = (record: CallRecord, filters: ListRequest['filters']): boolean =>
  (filters.statuses === undefined || filters.statuses.includes(record.status)) &&
  (filters.since === undefined || record.created_at >= filters.since) &&
  (filters.until === undefined || record.created_at <= filters.until) &&
  (filters.contactLast4 === undefined || record.contact_last4 === filters.contactLast4) &&
  matchesResult(record, filters);

const matchesResult = (record: CallRecord, filters: ListRequest['filters']): boolean => {
  if (filters.results === undefined) return true;
  const { result } = lastResultOf(record);
  return result !== null && filters.results.includes(result);
};

/**
 * The call of one event by the key its sender knows. The call id is derived from the route, the
 * key's source and the key (`callIdFor`), so each source's candidate is read directly: no index,
 * nothing written per call, and consistent reads.
 */
export const callsByEventKey = async (
  store: CallStore,
  route: string,
  key: string,
): Promise<CallRecord[]> => {
  const records = await Promise.all(
    KEY_SOURCES.map((source) => store.get(callIdFor(route, source, key))),
  );
  return records
    .filter((record): record is CallRecord => record?.route === route)
    .sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
};

/** `GET /calls`: a page of calls, newest first, and the cursor of the next one. */
export const listCalls = async (
  deps: CallListDeps,
  parameters: QueryParameters,
): Promise<{ records: CallRecord[]; nextCursor: string | null }> => {
  const request = parseListRequest(parameters);
  if (request.key !== undefined && request.filters.route !== undefined) {
    const records = await callsByEventKey(deps.store, request.filters.route, request.key);
    return {
      records: records.filter((record) => matchesFilters(record, request.filters)),
      nextCursor: null,
    };
  }
  const codec = new CursorCodec(await deps.adminKey());
  const after =
    request.cursor === undefined ? undefined : codec.decode(request.cursor, request.filters);
  const { results: _, ...storeFilters } = request.filters;
  const page = await deps.store.list({
    ...storeFilters,
    limit: request.limit,
    ...(after !== undefined && { after }),
  });
  return {
    records: page.records.filter((record) => matchesResult(record, request.filters)),
    nextCursor: page.next === undefined ? null : codec.encode(page.next, request.filters),
  };
};
