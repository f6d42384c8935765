import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseJsonOrUndefined } from '../../../shared/json/parse-json.ts';
import { FatePlan, type FateRule, parseFateRule } from './call-fates.ts';
import { type DataApiOptions, SimulatedDataApi } from './data-api.ts';
import { FaultPlan, type FaultRule, parseFaultRule } from './faults.ts';
import { CallNotifier } from './notifier.ts';
import { SessionIds } from './session-ids.ts';
import { type AccountOptions, SimulatedAccount, type SimulatedCall } from './simulated-account.ts';

export type { FateName, FateRule } from './call-fates.ts';
export type { DataApiOptions } from './data-api.ts';
export type { Fault, FaultRule } from './faults.ts';
export type { KeyState, SimulatedCall } from './simulated-account.ts';

export interface SimulatorOptions extends AccountOptions {
  host?: string;
  port?: number;
  /** The account's Data API (`POST /v2.0`): its keys and limits. No key is valid when absent. */
  dataApi?: DataApiOptions;
  /**
   * A folder to keep the session id counter in (the local runtime's `CALLHOOK_DATA_DIR`), so
   * that a simulator started again on it, after a stop or a kill, never repeats an id; without
   * one, ids start from the clock. One simulator per folder.
   */
  dataDir?: string;
}

export interface RunningSimulator {
  url: string;
  calls(): SimulatedCall[];
  /** Requests naming this method since the last reset, to either API. */
  requestCount(method: string): number;
  /** TCP connections accepted since start: shows whether clients keep them alive. */
  connectionCount(): number;
  injectFault(rule: FaultRule): void;
  clearFaults(): void;
  /** Decides how the next calls end (see `call-fates.ts`), as `POST /_simulator/outcomes`. */
  setOutcome(rule: FateRule): void;
  clearOutcomes(): void;
  /**
   * The customer at `contact` rang the account (now, for 30 s): an inbound session in the
   * Data API's calls report, as `POST /_simulator/inbound` with `{"contact": …}`.
   */
  addInbound(contact: string): void;
  /** Forgets calls, sessions, spent points, faults and outcome rules. */
  reset(): void;
  /** Ends every login session: the next request with such a token is refused. */
  expireSessions(): void;
  /** Posts an "ended" notification to `url` when each call ends, as a provider would. */
  notifyTo(url: string | undefined): void;
  close(): Promise<void>;
}

const INTERNAL_ERROR = {
  jsonrpc: '2.0',
  id: null,
  error: {
    code: -32603,
    message: 'Internal error, contact the support service',
    data: { mnemonic: 'internal_error', field: null, value: null, params: null },
  },
};

/** `::ffff:127.0.0.1` → `127.0.0.1`, so a whitelist can name IPv4 addresses. */
const plainAddress = (address: string | undefined): string =>
  (address ?? '').replace(/^::ffff:/, '');

/**
 * A local Call API: `POST /v4.0` answers JSON-RPC like the documented API (see
 * SimulatedAccount), `POST /v2.0` answers the same account's Data API reports on the calls it
 * accepted (SimulatedDataApi), and the `/_simulator` endpoints let a person or a test look
 * inside, inject faults and decide how calls end:
 * - `GET /_simulator/calls`: every call request accepted;
 * - `POST /_simulator/reset`;
 * - `POST /_simulator/faults` with a FaultRule, `DELETE /_simulator/faults`;
 * - `POST /_simulator/outcomes` with a FateRule, `DELETE /_simulator/outcomes`.
 */
export const startSimulator = async (options: SimulatorOptions): Promise<RunningSimulator> => {
  const fates = new FatePlan();
  const nowMs = (options.now ?? Date.now)();
  const sessionIds =
    options.dataDir === undefined
      ? SessionIds.inMemory(nowMs)
      : await SessionIds.persistent(options.dataDir, nowMs);
  const account = new SimulatedAccount(
    { fateOf: (contact) => fates.take(contact), ...options },
    sessionIds,
  );
  const dataApi = new SimulatedDataApi(account, options.dataApi ?? { keys: {} }, options.timeScale);
  const faults = new FaultPlan();

  const json = (res: http.ServerResponse, status: number, payload: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(payload));
  };

  /**
   * Applies the fault a request meets, if any: `answered` when the fault took the request's
   * place, `dropAfter` when the request is to be processed and its reply never sent.
   */
  const faulted = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: string,
  ): Promise<{ answered: boolean; dropAfter: boolean }> => {
    const fault = faults.take(SimulatedAccount.methodOf(body) ?? '');
    if (fault?.mode === 'delay') await sleep(fault.ms);
    if (fault?.mode === 'drop_before') {
      req.socket.destroy();
      return { answered: true, dropAfter: false };
    }
    if (fault?.mode === 'http_502') {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
      return { answered: true, dropAfter: false };
    }
    if (fault?.mode === 'internal_error') {
      json(res, 200, INTERNAL_ERROR);
      return { answered: true, dropAfter: false };
    }
    return { answered: false, dropAfter: fault?.mode === 'drop_after' };
  };

  const reports = async (req: http.IncomingMessage, res: http.ServerResponse, body: string) => {
    const fault = await faulted(req, res, body);
    if (fault.answered) return;
    const reply = dataApi.handle(body, req.headers['content-type']);
    if (fault.dropAfter) return req.socket.destroy();
    json(res, 200, reply);
  };

  const rpc = async (req: http.IncomingMessage, res: http.ServerResponse, body: string) => {
    const fault = await faulted(req, res, body);
    if (fault.answered) return;
    const accepted = account.calls().length;
    const reply = account.handle(
      body,
      req.headers['content-type'],
      plainAddress(req.socket.remoteAddress),
    );
    notify(body, reply, accepted);
    if (fault.dropAfter) return req.socket.destroy();
    json(res, 200, reply);
  };

  const server = http.createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://simulator').pathname;
      const route = `${req.method} ${path}`;
      if (route === 'POST /v4.0') return await rpc(req, res, body);
      if (route === 'POST /v2.0') return await reports(req, res, body);
      if (route === 'GET /_simulator/calls') return json(res, 200, account.calls());
      if (route === 'POST /_simulator/reset') {
        reset();
        return json(res, 200, { reset: true });
      }
      if (route === 'POST /_simulator/faults') {
        const rule = parseFaultRule(parseJsonOrUndefined(body));
        if (rule === undefined) return json(res, 400, { error: 'not a fault rule' });
        faults.add(rule);
        return json(res, 200, { added: rule });
      }
      if (route === 'DELETE /_simulator/faults') {
        faults.clear();
        return json(res, 200, { cleared: true });
      }
      if (route === 'POST /_simulator/outcomes') {
        const rule = parseFateRule(parseJsonOrUndefined(body));
        if (rule === undefined) return json(res, 400, { error: 'not an outcome rule' });
        fates.add(rule);
        return json(res, 200, { added: rule });
      }
      if (route === 'POST /_simulator/inbound') {
        const contact = (parseJsonOrUndefined(body) as { contact?: unknown } | undefined)?.contact;
        if (typeof contact !== 'string' || !/^\d{7,15}$/.test(contact)) {
          return json(res, 400, { error: 'not an inbound call: {"contact": "<digits>"}' });
        }
        dataApi.addInbound(contact, account.now());
        return json(res, 200, { added: { contact } });
      }
      if (route === 'DELETE /_simulator/outcomes') {
        fates.clear();
        return json(res, 200, { cleared: true });
      }
      json(res, 404, { error: 'not found' });
    } catch {
      // A simulator bug: answer as a failing provider would rather than crash the server.
      if (!res.headersSent) json(res, 500, { error: 'simulator failure' });
    }
  });

  const notifier = new CallNotifier();
  /** Tells the notifier about calls this request started or released. */
  const notify = (body: string, reply: Record<string, unknown>, acceptedBefore: number) => {
    const sessions = account.sessions();
    for (const call of account.calls().slice(acceptedBefore)) {
      const session = sessions.find((s) => s.call.call_session_id === call.call_session_id);
      if (session === undefined) continue;
      const lengthMs = session.endsAt - session.startedAt;
      // Only a call that talked has talk time; its own, when its fate names one.
      const talkedMs =
        session.fate.name !== 'talked'
          ? 0
          : session.fate.talk_s !== undefined
            ? session.fate.talk_s * 1000
            : lengthMs;
      notifier.started(call, lengthMs, talkedMs);
    }
    if (SimulatedAccount.methodOf(body) !== 'release.call' || !('result' in reply)) return;
    const params = (parseJsonOrUndefined(body) as { params?: { call_session_id?: unknown } })
      ?.params;
    const call = account.calls().find((c) => c.call_session_id === params?.call_session_id);
    if (call !== undefined) notifier.released(call, Date.now() - Date.parse(call.received_at));
  };

  const reset = () => {
    account.reset();
    dataApi.reset();
    fates.clear();
    faults.clear();
    notifier.clear();
  };

  let connections = 0;
  server.on('connection', () => {
    connections += 1;
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls: () => account.calls(),
    requestCount: (method) => account.requestCount(method) + dataApi.requestCount(method),
    connectionCount: () => connections,
    injectFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    setOutcome: (rule) => fates.add(rule),
    addInbound: (contact) => dataApi.addInbound(contact, account.now()),
    clearOutcomes: () => fates.clear(),
    reset,
    expireSessions: () => account.expireSessions(),
    notifyTo: (url) => notifier.setTarget(url),
    close: async () => {
      notifier.clear();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
};
