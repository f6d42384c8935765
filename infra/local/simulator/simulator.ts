import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkParams, METHOD_RULES, type SimulatedMethod } from './param-rules.ts';
import { RpcFailure } from './rpc-errors.ts';

export type KeyState = 'valid' | 'expired' | 'blocked';

export interface SimulatorOptions {
  host?: string;
  port?: number;
  /** Permanent access keys and their state. */
  keys: Record<string, KeyState>;
  /** The account's own virtual numbers (E.164 digits). */
  virtualNumbers: string[];
  blacklist?: string[];
  ttsMaxLength?: number;
  /** Points per minute and per day; every call method costs `pointsPerCall`. */
  minuteLimit?: number;
  dayLimit?: number;
  pointsPerCall?: number;
  now?: () => number;
}

/** A call request the simulator accepted, as `GET /_simulator/calls` lists it. */
export interface SimulatedCall {
  method: SimulatedMethod;
  params: Record<string, unknown>;
  call_session_id: number;
  received_at: string;
}

export interface RunningSimulator {
  url: string;
  calls(): SimulatedCall[];
  reset(): void;
  close(): Promise<void>;
}

interface Window {
  spent: number;
  resetsAt: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * A local Call API (JSON-RPC 2.0 over HTTP, `POST /v4.0`) that validates and answers like the
 * documented one: request structure, authentication, per-method parameters, the account's numbers
 * and blacklist, TTS length, and points-based limits reported in `metadata.limits`.
 */
export const startSimulator = async (options: SimulatorOptions): Promise<RunningSimulator> => {
  const now = options.now ?? Date.now;
  const minuteLimit = options.minuteLimit ?? 600;
  const dayLimit = options.dayLimit ?? 100_000;
  const pointsPerCall = options.pointsPerCall ?? 1;
  let calls: SimulatedCall[] = [];
  let nextSessionId = 100_000_001;
  let minute: Window = { spent: 0, resetsAt: now() + MINUTE_MS };
  let day: Window = { spent: 0, resetsAt: now() + DAY_MS };

  const roll = (window: Window, length: number): Window =>
    now() >= window.resetsAt ? { spent: 0, resetsAt: now() + length } : window;

  const limits = () => {
    minute = roll(minute, MINUTE_MS);
    day = roll(day, DAY_MS);
    return {
      day_limit: dayLimit,
      day_remaining: dayLimit - day.spent,
      day_reset: Math.ceil((day.resetsAt - now()) / 1000),
      minute_limit: minuteLimit,
      minute_remaining: minuteLimit - minute.spent,
      minute_reset: Math.ceil((minute.resetsAt - now()) / 1000),
    };
  };

  const authenticate = (params: Record<string, unknown>) => {
    const token = params.access_token;
    if (token === undefined)
      throw new RpcFailure('required_parameter_missed', { field: 'access_token' });
    const state =
      typeof token === 'string' && Object.hasOwn(options.keys, token)
        ? options.keys[token]
        : undefined;
    if (state === undefined) throw new RpcFailure('access_token_invalid');
    if (state === 'expired') throw new RpcFailure('access_token_expired');
    if (state === 'blocked') throw new RpcFailure('access_token_blocked');
  };

  const charge = () => {
    const current = limits();
    if (current.minute_remaining < pointsPerCall) {
      throw new RpcFailure('limit_exceeded', {
        params: { limit_type: 'minute', limit_max_value: minuteLimit },
      });
    }
    if (current.day_remaining < pointsPerCall) {
      throw new RpcFailure('limit_exceeded', {
        params: { limit_type: 'day', limit_max_value: dayLimit },
      });
    }
  };

  const checkAccountFacts = (method: SimulatedMethod, params: Record<string, unknown>) => {
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
      throw new RpcFailure('contact_in_blacklist', {
        field: 'contact',
        value: contact,
        params: { contact },
        ...(method === 'start.informer_call' && { code: -32602 }),
      });
    }
    const maxLength = options.ttsMaxLength ?? 1000;
    for (const field of ['contact_message', 'operator_message']) {
      const message = params[field] as { type: string; value: string } | undefined;
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
  };

  const handleRpc = (raw: string, contentType: string | undefined) => {
    let id: unknown = null;
    try {
      if (!/^application\/json\s*(;|$)/i.test(contentType ?? ''))
        throw new RpcFailure('invalid_request');
      let request: unknown;
      try {
        request = JSON.parse(raw);
      } catch {
        throw new RpcFailure('parse_error');
      }
      if (Array.isArray(request)) throw new RpcFailure('batch_opreations_not_supported');
      if (typeof request !== 'object' || request === null) throw new RpcFailure('invalid_request');
      const envelope = request as Record<string, unknown>;
      if (!('id' in envelope)) throw new RpcFailure('notifications_not_supported');
      if (typeof envelope.id === 'string' || typeof envelope.id === 'number') id = envelope.id;
      else throw new RpcFailure('invalid_request', { field: 'id' });
      if (envelope.jsonrpc !== '2.0') throw new RpcFailure('invalid_request', { field: 'jsonrpc' });
      const params = envelope.params;
      if (typeof params !== 'object' || params === null || Array.isArray(params)) {
        throw new RpcFailure('invalid_request', { field: 'params' });
      }
      const method = envelope.method;
      if (typeof method !== 'string' || !Object.hasOwn(METHOD_RULES, method)) {
        throw new RpcFailure('method_not_found');
      }
      const simulated = method as SimulatedMethod;
      const typedParams = params as Record<string, unknown>;
      authenticate(typedParams);
      charge();
      checkParams(typedParams, METHOD_RULES[simulated]);
      checkAccountFacts(simulated, typedParams);

      minute.spent += pointsPerCall;
      day.spent += pointsPerCall;
      const callSessionId = nextSessionId++;
      const { access_token: _token, ...shown } = typedParams;
      calls.push({
        method: simulated,
        params: shown,
        call_session_id: callSessionId,
        received_at: new Date(now()).toISOString(),
      });
      return {
        jsonrpc: '2.0',
        id,
        result: { data: { call_session_id: callSessionId } },
        metadata: { limits: limits() },
      };
    } catch (error) {
      if (!(error instanceof RpcFailure)) throw error;
      return {
        jsonrpc: '2.0',
        id,
        error: error.error,
        ...(error.withLimits && { metadata: { limits: limits() } }),
      };
    }
  };

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(payload));
    };
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    if (req.method === 'POST' && path === '/v4.0') {
      try {
        return reply(200, handleRpc(body, req.headers['content-type']));
      } catch {
        // A simulator bug: answer as a failing provider would rather than crash the server.
        return reply(500, { error: 'simulator failure' });
      }
    }
    if (req.method === 'GET' && path === '/_simulator/calls') return reply(200, calls);
    if (req.method === 'POST' && path === '/_simulator/reset') {
      reset();
      return reply(200, { reset: true });
    }
    reply(404, { error: 'not found' });
  });

  const reset = () => {
    calls = [];
    minute = { spent: 0, resetsAt: now() + MINUTE_MS };
    day = { spent: 0, resetsAt: now() + DAY_MS };
  };

  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls: () => [...calls],
    reset,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
};
