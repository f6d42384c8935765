import { randomBytes } from 'node:crypto';
import { parseJsonOrUndefined } from '../../../shared/json/parse-json.ts';
import { type CallFate, fateByLastDigit } from './call-fates.ts';
import { type JsonRpcEnvelope, readEnvelope } from './json-rpc-envelope.ts';
import {
  type CallStarter,
  COMPONENT_OF,
  checkParams,
  METHOD_RULES,
  type SimulatedMethod,
} from './param-rules.ts';
import { resetSeconds } from './reset-seconds.ts';
import { RpcFailure } from './rpc-errors.ts';
import { SessionIds } from './session-ids.ts';

export type KeyState = 'valid' | 'expired' | 'blocked';

/** The account the simulator pretends to be, and how its clock runs. */
/** How long an accepted call lasts when nothing says otherwise: `callDurationMs`'s default. */
export const SIMULATED_CALL_MS = 60_000;

export interface AccountOptions {
  /** Permanent access keys and their state. */
  keys: Record<string, KeyState>;
  /** login → password, for `login.user`. */
  logins?: Record<string, string>;
  /** How long a `login.user` session lasts, in simulator time. Default one hour. */
  sessionTtlMs?: number;
  /** The account's own virtual numbers (E.164 digits). */
  virtualNumbers: string[];
  /** Virtual numbers that have a scenario, for `start.vnumber_call`. Default: all of them. */
  numbersWithScenario?: string[];
  scenarios?: number[];
  /** Employee id → phone; an employee without a phone has no active number. */
  employees?: Record<number, string | null>;
  mediaFiles?: number[];
  tags?: Record<number, string>;
  blacklist?: string[];
  ttsMaxLength?: number;
  disabledComponents?: string[];
  accountInactive?: boolean;
  /** Source addresses allowed to call; everyone when absent. */
  ipWhitelist?: string[];
  /** Points per minute and per day, and what each method costs (1 when absent). */
  minuteLimit?: number;
  dayLimit?: number;
  points?: Partial<Record<SimulatedMethod, number>>;
  /** How much faster than real time the limits' minute and day pass (60: a minute lasts 1 s). */
  timeScale?: number;
  /** How long an accepted call stays active in `list.calls`, in real milliseconds (a minute). */
  callDurationMs?: number;
  /** When set, every reply says this version is deprecated in favour of `latest_version`. */
  deprecated?: { latest_version: string };
  /** How each call ends, for the Data API's reports; by the number's last digit when absent. */
  fateOf?: (contact: string) => CallFate;
  now?: () => number;
}

/** A call request the simulator accepted, as `GET /_simulator/calls` lists it. */
export interface SimulatedCall {
  method: CallStarter;
  params: Record<string, unknown>;
  call_session_id: number;
  received_at: string;
}

interface ActiveCall {
  call: SimulatedCall;
  startedAt: number;
  endsAt: number;
  tags: number[];
  fate: CallFate;
}

/** A call as the Data API reports it: when it started and ends, by the simulator's clock. */
export type SimulatedSession = Readonly<Omit<ActiveCall, 'tags'>>;

interface Window {
  spent: number;
  resetsAt: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

type Params = Record<string, unknown>;
type Reply = Record<string, unknown>;

/**
 * The Call API's behaviour for one account, transport aside: request validation, auth, the
 * account's facts, points limits and active calls. `handle` takes a request's text and answers
 * the JSON-RPC reply object.
 */
export class SimulatedAccount {
  readonly #options: AccountOptions;
  readonly #now: () => number;
  #calls: SimulatedCall[] = [];
  #active = new Map<number, ActiveCall>();
  #sessions = new Map<string, number>();
  #requests = new Map<string, number>();
  readonly #sessionIds: SessionIds;
  #minute!: Window;
  #day!: Window;

  /** `sessionIds` hands out the calls' session ids: by default in memory, from the clock. */
  constructor(options: AccountOptions, sessionIds?: SessionIds) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#sessionIds = sessionIds ?? SessionIds.inMemory(this.#now());
    this.reset();
  }

  /** Forgets calls, sessions, counts and spent points; session ids go on, never reused. */
  reset(): void {
    this.#calls = [];
    this.#active.clear();
    this.#sessions.clear();
    this.#requests.clear();
    this.#minute = { spent: 0, resetsAt: this.#now() + this.#windowMs(MINUTE_MS) };
    this.#day = { spent: 0, resetsAt: this.#now() + this.#windowMs(DAY_MS) };
  }

  /** Ends every `login.user` session at once, as the provider does when they time out. */
  expireSessions(): void {
    this.#sessions.clear();
  }

  /** Every call request accepted since the last reset, without access tokens. */
  calls(): SimulatedCall[] {
    return [...this.#calls];
  }

  /** Every call accepted since the last reset, with its times and fate, oldest first. */
  sessions(): SimulatedSession[] {
    return [...this.#active.values()].map(({ tags: _, ...session }) => ({ ...session }));
  }

  /** The simulator's clock, which the Data API's reports read too. */
  now(): number {
    return this.#now();
  }

  /** How many requests named this method since the last reset, whatever their outcome. */
  requestCount(method: string): number {
    return this.#requests.get(method) ?? 0;
  }

  /** Reads the method name of a request, for fault matching; undefined when unreadable. */
  static methodOf(raw: string): string | undefined {
    const request = parseJsonOrUndefined(raw) as Record<string, unknown> | null | undefined;
    const method = typeof request === 'object' ? request?.method : undefined;
    return typeof method === 'string' ? method : undefined;
  }

  handle(raw: string, contentType: string | undefined, sourceIp: string): Reply {
    let id: unknown = null;
    try {
      if (!/^application\/json\s*(;|$)/i.test(contentType ?? ''))
        throw new RpcFailure('invalid_request');
      const envelope = this.#envelope(raw);
      id = envelope.id;
      const { method, params } = envelope;
      this.#requests.set(method, this.requestCount(method) + 1);
      const whitelist = this.#options.ipWhitelist;
      if (whitelist !== undefined && !whitelist.includes(sourceIp)) {
        throw new RpcFailure('ip_not_whitelisted', { params: { ip: sourceIp } });
      }
      if (method !== 'login.user') this.#authenticate(params);
      if (this.#options.accountInactive === true) throw new RpcFailure('account_inactive');
      const component = COMPONENT_OF[method];
      if ((this.#options.disabledComponents ?? []).includes(component)) {
        throw new RpcFailure('component_disabled', { params: { component_name: component } });
      }
      const cost = this.#options.points?.[method] ?? 1;
      this.#checkLimits(cost);
      checkParams(params, METHOD_RULES[method]);
      const data = this.#perform(method, params);
      this.#minute.spent += cost;
      this.#day.spent += cost;
      return { jsonrpc: '2.0', id, result: { data }, metadata: this.#metadata(true) };
    } catch (error) {
      if (!(error instanceof RpcFailure)) throw error;
      return { jsonrpc: '2.0', id, error: error.error, ...this.#errorMetadata(error) };
    }
  }

  #envelope(raw: string): JsonRpcEnvelope<SimulatedMethod> {
    return readEnvelope(
      raw,
      (method): method is SimulatedMethod => Object.hasOwn(METHOD_RULES, method),
      (mnemonic, details) => new RpcFailure(mnemonic, details),
    );
  }

  #authenticate(params: Params): void {
    const token = params.access_token;
    if (token === undefined)
      throw new RpcFailure('required_parameter_missed', { field: 'access_token' });
    if (typeof token !== 'string') throw new RpcFailure('access_token_invalid');
    const state = Object.hasOwn(this.#options.keys, token) ? this.#options.keys[token] : undefined;
    if (state === 'expired') throw new RpcFailure('access_token_expired');
    if (state === 'blocked') throw new RpcFailure('access_token_blocked');
    if (state === 'valid') return;
    // A session token that expired is simply not found any more.
    const expiresAt = this.#sessions.get(token);
    if (expiresAt === undefined || expiresAt <= this.#now())
      throw new RpcFailure('access_token_invalid');
  }

  #windowMs(length: number): number {
    return length / (this.#options.timeScale ?? 1);
  }

  #roll(): void {
    const now = this.#now();
    if (now >= this.#minute.resetsAt)
      this.#minute = { spent: 0, resetsAt: now + this.#windowMs(MINUTE_MS) };
    if (now >= this.#day.resetsAt) this.#day = { spent: 0, resetsAt: now + this.#windowMs(DAY_MS) };
  }

  #limits() {
    this.#roll();
    const minuteLimit = this.#options.minuteLimit ?? 600;
    const dayLimit = this.#options.dayLimit ?? 100_000;
    const secondsUntil = (at: number) => resetSeconds(at, this.#now(), this.#options.timeScale);
    return {
      day_limit: dayLimit,
      day_remaining: dayLimit - this.#day.spent,
      day_reset: secondsUntil(this.#day.resetsAt),
      minute_limit: minuteLimit,
      minute_remaining: minuteLimit - this.#minute.spent,
      minute_reset: secondsUntil(this.#minute.resetsAt),
    };
  }

  #checkLimits(cost: number): void {
    const limits = this.#limits();
    if (limits.minute_remaining < cost) {
      throw new RpcFailure('limit_exceeded', {
        params: { limit_type: 'minute', limit_max_value: limits.minute_limit },
      });
    }
    if (limits.day_remaining < cost) {
      throw new RpcFailure('limit_exceeded', {
        params: { limit_type: 'day', limit_max_value: limits.day_limit },
      });
    }
  }

  #metadata(withLimits: boolean): Record<string, unknown> {
    const deprecated = this.#options.deprecated;
    return {
      ...(withLimits && { limits: this.#limits() }),
      ...(deprecated !== undefined && {
        api_version: {
          current_version_depricated: true,
          current_version: 'v4.0',
          latest_version: deprecated.latest_version,
        },
      }),
    };
  }

  #errorMetadata(error: RpcFailure): { metadata?: unknown } {
    const metadata = this.#metadata(error.withLimits('callApi'));
    return Object.keys(metadata).length > 0 ? { metadata } : {};
  }

  #perform(method: SimulatedMethod, params: Params): unknown {
    switch (method) {
      case 'login.user':
        return this.#login(params);
      case 'logout.user':
        this.#sessions.delete(String(params.access_token));
        return { success: true };
      case 'release.call':
        this.#activeCall(params).endsAt = this.#now();
        return { success: 'true' };
      case 'tag.call':
        return this.#tag(params);
      case 'list.calls':
        return this.#list(params);
      default:
        return this.#startCall(method, params);
    }
  }

  #login(params: Params): unknown {
    const logins = this.#options.logins ?? {};
    const login = String(params.login);
    if (!Object.hasOwn(logins, login) || logins[login] !== params.password) {
      throw new RpcFailure('auth_error');
    }
    const token = randomBytes(24).toString('hex');
    const expiresAt = this.#now() + (this.#options.sessionTtlMs ?? 3_600_000);
    this.#sessions.set(token, expiresAt);
    return { access_token: token, expire_at: Math.floor(expiresAt / 1000) };
  }

  #activeCall(params: Params): ActiveCall {
    const active = this.#active.get(Number(params.call_session_id));
    if (active === undefined || active.endsAt <= this.#now()) {
      throw new RpcFailure('call_session_not_found', {
        field: 'call_session_id',
        value: params.call_session_id,
      });
    }
    return active;
  }

  #tag(params: Params): unknown {
    const active = this.#activeCall(params);
    const tagId = Number(params.tag_id);
    if (!Object.hasOwn(this.#options.tags ?? {}, tagId)) {
      throw new RpcFailure('tag_not_found', {
        field: 'tag_id',
        value: tagId,
        params: { tag_id: tagId },
      });
    }
    if (active.tags.includes(tagId))
      throw new RpcFailure('duplicate_tag', { field: 'tag_id', value: tagId });
    active.tags.push(tagId);
    return { success: 'true' };
  }

  #list(params: Params): unknown {
    const now = this.#now();
    return [...this.#active.values()]
      .filter((a) => a.endsAt > now)
      .map(({ call, tags }) => ({
        call_session_id: call.call_session_id,
        direction: (call.params.direction as string | undefined) ?? 'in',
        start_time: call.received_at.replace('Z', ''),
        virtual_phone_number: String(call.params.virtual_phone_number),
        contact_phone_number: String(call.params.contact),
        external_id: (call.params.external_id as string | undefined) ?? null,
        tags: tags.map((tag_id) => ({ tag_id, tag_name: this.#options.tags?.[tag_id] ?? '' })),
        legs: [
          {
            leg_id: call.call_session_id * 10,
            calling_phone_number: String(call.params.virtual_phone_number),
            called_phone_number: String(call.params.contact),
            is_operator: false,
            employee_id: null,
            employee_full_name: null,
            record_call_enabled: false,
            state: 'Разговор',
          },
        ],
      }))
      .filter((call) => params.direction === undefined || call.direction === params.direction)
      .filter(
        (call) =>
          params.virtual_phone_number === undefined ||
          call.virtual_phone_number === params.virtual_phone_number,
      );
  }

  #startCall(method: CallStarter, params: Params): unknown {
    this.#checkAccountFacts(method, params);
    const callSessionId = this.#sessionIds.next();
    const { access_token: _token, ...shown } = params;
    const call: SimulatedCall = {
      method,
      params: shown,
      call_session_id: callSessionId,
      received_at: new Date(this.#now()).toISOString(),
    };
    this.#calls.push(call);
    const fate = (this.#options.fateOf ?? fateByLastDigit)(String(params.contact));
    // A fate that names its durations lasts that long; any other, the account's call length.
    const lengthMs =
      fate.talk_s !== undefined || fate.wait_s !== undefined
        ? ((fate.wait_s ?? 0) + (fate.talk_s ?? 0)) * 1000
        : (this.#options.callDurationMs ?? SIMULATED_CALL_MS);
    this.#active.set(callSessionId, {
      call,
      startedAt: this.#now(),
      endsAt: this.#now() + lengthMs,
      tags: [],
      fate,
    });
    return { call_session_id: callSessionId };
  }

  #checkAccountFacts(method: CallStarter, params: Params): void {
    const options = this.#options;
    const virtualNumber = String(params.virtual_phone_number);
    if (!options.virtualNumbers.includes(virtualNumber)) {
      throw new RpcFailure('virtual_phone_number_not_found', {
        field: 'virtual_phone_number',
        value: virtualNumber,
        params: { virtual_phone_number: virtualNumber },
      });
    }
    const contact = String(params.contact);
    if (options.virtualNumbers.includes(contact)) {
      throw new RpcFailure('own_virtual_phone_number_not_allowed', {
        field: 'contact',
        value: contact,
      });
    }
    if ((options.blacklist ?? []).includes(contact)) {
      const documentedCode =
        method === 'start.simple_call' || method === 'start.employee_call' ? -32002 : -32602;
      throw new RpcFailure('contact_in_blacklist', {
        field: 'contact',
        value: contact,
        params: { contact },
        code: documentedCode,
      });
    }
    if (
      method === 'start.scenario_call' &&
      !(options.scenarios ?? []).includes(Number(params.scenario_id))
    ) {
      throw new RpcFailure('scenario_not_found', {
        field: 'scenario_id',
        value: params.scenario_id,
        params: { scenario_id: params.scenario_id },
      });
    }
    if (
      method === 'start.vnumber_call' &&
      !(options.numbersWithScenario ?? options.virtualNumbers).includes(virtualNumber)
    ) {
      throw new RpcFailure('scenario_not_found', {
        code: -32007,
        message: 'Virtual phone number does not have a scenario',
      });
    }
    if (method === 'start.employee_call') this.#checkEmployee(params.employee as Params);
    this.#checkMedia(params);
  }

  #checkEmployee(employee: Params): void {
    const employees = this.#options.employees ?? {};
    const id = Number(employee.id);
    if (!Object.hasOwn(employees, id)) {
      throw new RpcFailure('employee_not_found', {
        field: 'employee.id',
        value: id,
        params: { employee_id: id },
      });
    }
    if (employee.phone_number === undefined && employees[id] == null) {
      throw new RpcFailure('no_active_phone_number', { field: 'employee.phone_number' });
    }
  }

  #checkMedia(params: Params): void {
    const mediaFiles = this.#options.mediaFiles ?? [];
    const missing = (id: unknown, field: string) =>
      new RpcFailure('media_file_not_found', { field, value: id, params: { media_file_id: id } });
    if (params.media_file_id !== undefined && !mediaFiles.includes(Number(params.media_file_id))) {
      throw missing(params.media_file_id, 'media_file_id');
    }
    const maxLength = this.#options.ttsMaxLength ?? 1000;
    for (const field of ['contact_message', 'operator_message', 'employee_message']) {
      const message = params[field] as { type: string; value: string } | undefined;
      if (message?.type === 'media' && !mediaFiles.includes(Number(message.value))) {
        throw missing(message.value, `${field}.value`);
      }
      if (message?.type === 'tts' && message.value.length > maxLength) {
        throw new RpcFailure('tts_text_exceeded', {
          field: `${field}.value`,
          params: {
            tts_message_max_length: maxLength,
            sent_tts_message_length: message.value.length,
          },
        });
      }
    }
  }
}
