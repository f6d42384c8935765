import { type JsonRpcEnvelope, readEnvelope } from './json-rpc-envelope.ts';
import { resetSeconds } from './reset-seconds.ts';
import { RpcFailure } from './rpc-errors.ts';
import type { KeyState, SimulatedAccount, SimulatedSession } from './simulated-account.ts';

/** The Data API side of the simulated account. */
export interface DataApiOptions {
  /** Data API keys and their state: issued apart from the Call API's. */
  keys: Record<string, KeyState>;
  minuteLimit?: number;
  dayLimit?: number;
  /** The reports' component is not connected: every method answers `-32008`. */
  componentDisabled?: boolean;
}

type Row = Record<string, unknown>;
type Params = Record<string, unknown>;

/** The reports this simulator answers. */
const REPORT_METHODS = ['get.calls_report', 'get.call_legs_report'] as const;
type ReportMethod = (typeof REPORT_METHODS)[number];

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MAX_SPAN_MS = 92 * DAY_MS;
/** The account's zone: Moscow, UTC+3 all year. Reports give local times and never the zone. */
const ACCOUNT_OFFSET_MS = 3 * 3_600_000;
const DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

const local = (ms: number): string =>
  new Date(ms + ACCOUNT_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
const fromLocal = (text: string): number =>
  Date.parse(`${text.replace(' ', 'T')}Z`) - ACCOUNT_OFFSET_MS;

const SESSION_FIELDS = [
  'id',
  'start_time',
  'finish_time',
  'finish_reason',
  'direction',
  'source',
  'is_lost',
  'contact_phone_number',
  'virtual_phone_number',
  'communication_type',
  'wait_duration',
  'total_wait_duration',
  'talk_duration',
  'clean_talk_duration',
  'total_duration',
  'call_api_request_id',
  'call_api_external_id',
] as const;

const LEG_FIELDS = [
  'id',
  'call_session_id',
  'start_time',
  'connect_time',
  'duration',
  'total_duration',
  'finish_reason',
  'virtual_phone_number',
  'calling_phone_number',
  'called_phone_number',
  'direction',
  'is_transfered',
  'is_operator',
  'is_failed',
  'is_talked',
] as const;

/** A leg's fields returned when the request names none: `is_talked` is not among them. */
const DEFAULT_LEG_FIELDS = LEG_FIELDS.filter((field) => field !== 'is_talked');

/** The seconds a session's parts lasted, from its fate and its times. */
const durations = (session: SimulatedSession, now: number) => {
  const end = Math.min(session.endsAt, now);
  const total = Math.max(0, Math.round((end - session.startedAt) / 1000));
  const talked = session.fate.name === 'talked';
  const wait = session.fate.wait_s ?? (talked ? Math.min(5, total) : total);
  const talk = talked ? (session.fate.talk_s ?? Math.max(0, total - wait)) : 0;
  return { total, wait, talk, talked };
};

const hasOperator = (session: SimulatedSession): boolean =>
  session.call.method !== 'start.informer_call';

const sessionRow = (session: SimulatedSession, now: number): Row => {
  const { call, fate } = session;
  const ended = session.endsAt <= now;
  const { total, wait, talk, talked } = durations(session, now);
  return {
    id: call.call_session_id,
    start_time: local(session.startedAt),
    finish_time: ended ? local(session.endsAt) : null,
    finish_reason: ended ? fate.finish_reason : null,
    direction: 'out',
    source: call.method === 'start.informer_call' ? 'callapi_informer_call' : 'callapi',
    is_lost: !talked,
    contact_phone_number: String(call.params.contact),
    virtual_phone_number: String(call.params.virtual_phone_number),
    communication_type: 'call',
    wait_duration: wait,
    total_wait_duration: wait,
    talk_duration: hasOperator(session) ? talk : 0,
    clean_talk_duration: hasOperator(session) ? talk : 0,
    total_duration: total,
    call_api_request_id: call.call_session_id,
    call_api_external_id: (call.params.external_id as string | undefined) ?? null,
  };
};

/** How long the customer's inbound call lasts (`POST /_simulator/inbound`). */
export const INBOUND_CALL_S = 30;

/** The first id of the inbound sessions: above any the Call API side gives (below 10^14). */
const INBOUND_IDS_FROM = 900_000_000_000_000;

/** An inbound session as the calls report lists it: the customer rang, and talked. */
const inboundRow = (
  session: { id: number; contact: string; startedAt: number; endsAt: number },
  now: number,
): Row => {
  const ended = session.endsAt <= now;
  const total = Math.round((Math.min(now, session.endsAt) - session.startedAt) / 1000);
  return {
    id: session.id,
    start_time: local(session.startedAt),
    finish_time: ended ? local(session.endsAt) : null,
    finish_reason: ended ? 'subscriber_disconnects' : null,
    direction: 'in',
    source: 'va',
    is_lost: false,
    contact_phone_number: session.contact,
    communication_type: 'call',
    wait_duration: 0,
    total_wait_duration: 0,
    talk_duration: total,
    clean_talk_duration: total,
    total_duration: total,
    call_api_request_id: null,
    call_api_external_id: null,
  };
};

/**
 * A session's legs, as `get.call_legs_report` lists them: for a call with an operator, the
 * operator's leg and then (unless the operator missed it) the customer's; for an informer call,
 * the customer's alone. Only the customer's leg of a talked call, and the operator's that took
 * it, have `is_talked`.
 */
const legRows = (session: SimulatedSession, now: number): Row[] => {
  const { call, fate } = session;
  const { total, wait, talk, talked } = durations(session, now);
  const contact = String(call.params.contact);
  const virtual = String(call.params.virtual_phone_number);
  const at = (offsetS: number) => local(session.startedAt + offsetS * 1000);
  const leg = (index: number, fields: Row): Row => ({
    // Unique as the session's id is (session-ids.ts), and below 10^15 as it is below 10^14.
    id: call.call_session_id * 10 + index,
    call_session_id: call.call_session_id,
    virtual_phone_number: virtual,
    calling_phone_number: virtual,
    direction: 'out',
    is_transfered: false,
    total_duration: total,
    ...fields,
  });
  const customer = (index: number, startS: number) =>
    leg(index, {
      start_time: at(startS),
      connect_time: talked ? at(wait) : null,
      duration: talked ? talk : 0,
      finish_reason: fate.finish_reason,
      called_phone_number: contact,
      is_operator: false,
      is_failed: !talked,
      is_talked: talked,
    });
  if (!hasOperator(session)) return [customer(1, 0)];
  const missed = fate.name === 'operator_missed';
  const operator = leg(1, {
    start_time: at(0),
    connect_time: missed ? null : at(0),
    duration: missed ? 0 : total,
    finish_reason: missed
      ? fate.finish_reason
      : talked
        ? 'operator_disconnects'
        : fate.finish_reason,
    called_phone_number: String(call.params.operator ?? call.params.employee ?? ''),
    is_operator: true,
    is_failed: missed,
    is_talked: talked,
  });
  return missed ? [operator] : [operator, customer(2, 0)];
};

interface Filter {
  field?: unknown;
  operator?: unknown;
  value?: unknown;
  filters?: unknown;
  condition?: unknown;
}

/** Refuses a filter naming a field the report does not have, as the Data API does. */
const checkFilter = (filter: Filter, allowed: readonly string[]): void => {
  if (Array.isArray(filter.filters)) {
    for (const part of filter.filters as Filter[]) checkFilter(part, allowed);
    return;
  }
  if (!allowed.includes(String(filter.field))) {
    throw new RpcFailure('filter_prohibited', { field: 'filter.field', value: filter.field });
  }
};

/** Evaluates a documented filter (simple, or a tree of them) on one row. */
const matches = (row: Row, filter: Filter): boolean => {
  if (Array.isArray(filter.filters)) {
    const parts = (filter.filters as Filter[]).map((part) => matches(row, part));
    return filter.condition === 'or' ? parts.some(Boolean) : parts.every(Boolean);
  }
  const value = row[String(filter.field)];
  switch (filter.operator) {
    case '=':
      return value === (filter.value ?? null);
    case '!=':
      return value !== (filter.value ?? null);
    case 'in':
      return Array.isArray(filter.value) && filter.value.includes(value);
    default:
      throw new RpcFailure('invalid_parameter_value', {
        field: 'filter.operator',
        value: filter.operator,
      });
  }
};

const COMMON_PARAMS = [
  'access_token',
  'user_id',
  'limit',
  'offset',
  'filter',
  'fields',
  'sort',
  'date_from',
  'date_till',
];

interface Window {
  spent: number;
  resetsAt: number;
}

/**
 * The Data API for the simulated account (`POST /v2.0`): `get.calls_report` and
 * `get.call_legs_report` over the calls the Call API side accepted, with keys of its own and
 * points limits of its own (one point per successful request), reported in each reply's
 * `metadata.limits` (inside `result`, or inside `error.data` for a refusal).
 */
export class SimulatedDataApi {
  readonly #account: SimulatedAccount;
  readonly #options: DataApiOptions;
  readonly #timeScale: number;
  #requests = new Map<string, number>();
  #minute!: Window;
  #day!: Window;
  /** Calls the customers made to the account (`addInbound`), for `get.calls_report` alone. */
  #inbound: { id: number; contact: string; startedAt: number; endsAt: number }[] = [];

  constructor(account: SimulatedAccount, options: DataApiOptions, timeScale = 1) {
    this.#account = account;
    this.#options = options;
    this.#timeScale = timeScale;
    this.reset();
  }

  /**
   * A customer rang the account from `contact` at `at` for `durationS` seconds: an inbound
   * session (`direction: "in"`) in the calls report once it has ended. Its id is far above
   * the Call API's sessions, so the two never meet.
   */
  addInbound(contact: string, at: number, durationS = INBOUND_CALL_S): void {
    const id = INBOUND_IDS_FROM + this.#inbound.length;
    this.#inbound.push({ id, contact, startedAt: at, endsAt: at + durationS * 1000 });
  }

  reset(): void {
    const now = this.#account.now();
    this.#inbound = [];
    this.#requests.clear();
    this.#minute = { spent: 0, resetsAt: now + MINUTE_MS / this.#timeScale };
    this.#day = { spent: 0, resetsAt: now + DAY_MS / this.#timeScale };
  }

  requestCount(method: string): number {
    return this.#requests.get(method) ?? 0;
  }

  /** Answers one request's text with the JSON-RPC reply object. */
  handle(raw: string, contentType: string | undefined): Record<string, unknown> {
    let id: unknown = null;
    try {
      // The overview requires `application/json; charset=UTF-8`.
      if (!/^application\/json\s*(;|$)/i.test(contentType ?? '')) {
        throw new RpcFailure('invalid_request');
      }
      const envelope = this.#envelope(raw);
      id = envelope.id;
      const { method, params } = envelope;
      this.#requests.set(method, this.requestCount(method) + 1);
      this.#authenticate(params);
      if (this.#options.componentDisabled === true) {
        throw new RpcFailure('method_component_disabled', {
          params: { components: 'reports' },
        });
      }
      this.#checkLimits();
      const data = method === 'get.calls_report' ? this.#calls(params) : this.#legs(params);
      this.#minute.spent += 1;
      this.#day.spent += 1;
      return {
        jsonrpc: '2.0',
        id,
        result: { data, metadata: { limits: this.#limits(), total_items: data.length } },
      };
    } catch (error) {
      if (!(error instanceof RpcFailure)) throw error;
      const { data } = error.error;
      const metadata = error.withLimits('dataApi') && { metadata: { limits: this.#limits() } };
      return { jsonrpc: '2.0', id, error: { ...error.error, data: { ...data, ...metadata } } };
    }
  }

  #envelope(raw: string): JsonRpcEnvelope<ReportMethod> {
    return readEnvelope(
      raw,
      (method): method is ReportMethod => (REPORT_METHODS as readonly string[]).includes(method),
      (mnemonic, details) => new RpcFailure(mnemonic, details),
    );
  }

  #authenticate(params: Params): void {
    const token = params.access_token;
    if (token === undefined) {
      throw new RpcFailure('required_parameter_missed', { field: 'access_token' });
    }
    const state =
      typeof token === 'string' && Object.hasOwn(this.#options.keys, token)
        ? this.#options.keys[token]
        : undefined;
    if (state === 'expired') throw new RpcFailure('access_token_expired');
    if (state === 'blocked') throw new RpcFailure('access_token_blocked');
    if (state !== 'valid') throw new RpcFailure('access_token_invalid');
  }

  #roll(): void {
    const now = this.#account.now();
    if (now >= this.#minute.resetsAt)
      this.#minute = { spent: 0, resetsAt: now + MINUTE_MS / this.#timeScale };
    if (now >= this.#day.resetsAt)
      this.#day = { spent: 0, resetsAt: now + DAY_MS / this.#timeScale };
  }

  #limits() {
    this.#roll();
    const now = this.#account.now();
    const minuteLimit = this.#options.minuteLimit ?? 600;
    const dayLimit = this.#options.dayLimit ?? 100_000;
    const secondsUntil = (at: number) => resetSeconds(at, now, this.#timeScale);
    return {
      day_limit: dayLimit,
      day_remaining: dayLimit - this.#day.spent,
      day_reset: secondsUntil(this.#day.resetsAt),
      minute_limit: minuteLimit,
      minute_remaining: minuteLimit - this.#minute.spent,
      minute_reset: secondsUntil(this.#minute.resetsAt),
    };
  }

  #checkLimits(): void {
    const limits = this.#limits();
    if (limits.minute_remaining < 1) {
      throw new RpcFailure('limit_exceeded', {
        params: { limit_type: 'minute', limit_max_value: limits.minute_limit },
      });
    }
    if (limits.day_remaining < 1) {
      throw new RpcFailure('limit_exceeded', {
        params: { limit_type: 'day', limit_max_value: limits.day_limit },
      });
    }
  }

  /** The common parameters of a report: the span, the page, the filter and the fields. */
  #select(
    params: Params,
    extra: readonly string[],
    rows: (from: number, till: number) => Row[],
    allFields: readonly string[],
    defaultFields: readonly string[],
  ): Row[] {
    const unexpected = Object.keys(params).filter(
      (name) => !COMMON_PARAMS.includes(name) && !extra.includes(name),
    );
    if (unexpected.length > 0) {
      throw new RpcFailure('unexpected_parameters', { field: unexpected[0] ?? '' });
    }
    const span = ['date_from', 'date_till'].map((field) => {
      const value = params[field];
      if (value === undefined) throw new RpcFailure('required_parameter_missed', { field });
      if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(fromLocal(value))) {
        throw new RpcFailure('invalid_parameter_value', { field, value });
      }
      return fromLocal(value);
    }) as [number, number];
    if (span[1] - span[0] > MAX_SPAN_MS) throw new RpcFailure('date_interval_limit_reached');
    const fields = params.fields ?? defaultFields;
    if (!Array.isArray(fields)) throw new RpcFailure('data_type_error', { field: 'fields' });
    const unknownField = fields.find((field) => !allFields.includes(String(field)));
    if (unknownField !== undefined) {
      throw new RpcFailure('unexpected_parameters', { field: 'fields', value: unknownField });
    }
    const filter = params.filter as Filter | undefined;
    if (filter !== undefined) checkFilter(filter, allFields);
    const offset = typeof params.offset === 'number' ? params.offset : 0;
    const limit = typeof params.limit === 'number' ? params.limit : 1000;
    return rows(...span)
      .filter((row) => filter === undefined || matches(row, filter))
      .slice(offset, offset + limit)
      .map((row) => Object.fromEntries(fields.map((field) => [field, row[String(field)] ?? null])));
  }

  #inSpan(session: SimulatedSession, from: number, till: number): boolean {
    return session.startedAt >= from && session.startedAt <= till;
  }

  #calls(params: Params): Row[] {
    const now = this.#account.now();
    const ongoing = params.include_ongoing_calls === true;
    return this.#select(
      params,
      ['include_ongoing_calls'],
      (from, till) =>
        this.#account
          .sessions()
          .filter((s) => this.#inSpan(s, from, till) && (ongoing || s.endsAt <= now))
          .map((s) => sessionRow(s, now))
          .concat(
            this.#inbound
              .filter(
                (s) => s.startedAt >= from && s.startedAt <= till && (ongoing || s.endsAt <= now),
              )
              .map((s) => inboundRow(s, now)),
          ),
      SESSION_FIELDS,
      SESSION_FIELDS,
    );
  }

  #legs(params: Params): Row[] {
    const now = this.#account.now();
    return this.#select(
      params,
      [],
      (from, till) =>
        this.#account
          .sessions()
          .filter((s) => this.#inSpan(s, from, till) && s.endsAt <= now)
          .flatMap((s) => legRows(s, now)),
      LEG_FIELDS,
      DEFAULT_LEG_FIELDS,
    );
  }
}
