import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseJsonOrUndefined } from '../../../shared/json/parse-json.ts';
import { FaultPlan, type FaultRule } from '../simulator/faults.ts';
import { type JobWindow, startOf } from './job-clock.ts';

export interface JaicpSimulatorOptions {
  /** Campaign tokens that exist. */
  tokens: string[];
  /** How long a call lasts once its window is open, in simulator time. */
  jobDurationMs?: number;
  now?: () => number;
  host?: string;
  port?: number;
}

/** A call job the simulator holds, as `GET /_simulator/jobs` lists it. */
export interface SimulatedJob {
  id: number;
  token: string;
  idempotenceKey: string | undefined;
  job: Record<string, unknown> & JobWindow;
  createdAt: number;
  cancelled: boolean;
}

export interface RunningJaicpSimulator {
  url: string;
  jobs(): SimulatedJob[];
  requestCount(method: string): number;
  injectFault(rule: FaultRule): void;
  reset(): void;
  close(): Promise<void>;
}

const PREFIX = /^\/api\/calls\/campaign\/([^/]+)\/(addPhones|callJob\/getReport|callJob\/cancel)$/;

/**
 * A local JAICP Calls API (see docs/jaicp-calls-api.md): `addPhones` honours `Idempotence-Key`
 * (the same key returns the same job ids and creates nothing), jobs ring inside their window and
 * finish after `jobDurationMs`, `getReport` and `cancel` work by job id, and the same faults as
 * the Call API simulator can be injected per method.
 */
export const startJaicpSimulator = async (
  options: JaicpSimulatorOptions,
): Promise<RunningJaicpSimulator> => {
  const now = options.now ?? Date.now;
  const duration = options.jobDurationMs ?? 30_000;
  const faults = new FaultPlan();
  let jobs: SimulatedJob[] = [];
  let byKey = new Map<string, number[]>();
  let requests = new Map<string, number>();
  let nextId = 5001;

  const statusOf = (job: SimulatedJob) => {
    const t = now();
    const started = startOf(job.job, job.createdAt);
    const finished = started + duration;
    if (job.cancelled) return { jobStatus: 'canceled' };
    if (t >= finished) {
      return {
        jobStatus: 'longCallWithResult',
        startedAt: started,
        finishedAt: finished,
        callDuration: Math.round(duration / 1000),
      };
    }
    const deadline = job.job.finishDateTime;
    if (deadline !== undefined && Date.parse(deadline) <= t) return { jobStatus: 'notDone' };
    return { jobStatus: t >= started ? 'inProcess' : 'planned' };
  };

  const handle = (method: string, token: string, body: unknown, key: string | undefined) => {
    if (!options.tokens.includes(token))
      return { status: 404, reply: { error: 'campaign not found' } };
    if (method === 'addPhones') {
      if (!Array.isArray(body) || !body.every((j) => typeof j === 'object' && j && 'phone' in j)) {
        return { status: 400, reply: { error: 'expected an array of {"phone": …}' } };
      }
      const known = key === undefined ? undefined : byKey.get(key);
      if (known !== undefined) return { status: 200, reply: known };
      const ids = (body as Record<string, unknown>[]).map((job) => {
        const id = nextId++;
        jobs.push({ id, token, idempotenceKey: key, job, createdAt: now(), cancelled: false });
        return id;
      });
      if (key !== undefined) byKey.set(key, ids);
      return { status: 200, reply: ids };
    }
    const ids = (body as { ids?: unknown })?.ids;
    if (!Array.isArray(ids)) return { status: 400, reply: { error: 'expected {"ids": […]}' } };
    const chosen = jobs.filter((job) => job.token === token && ids.includes(job.id));
    if (method === 'callJob/getReport') {
      return {
        status: 200,
        reply: chosen.map((job) => ({ id: job.id, phone: job.job.phone, ...statusOf(job) })),
      };
    }
    const cancelled = chosen.filter((job) =>
      ['planned', 'inProcess'].includes(statusOf(job).jobStatus),
    );
    for (const job of cancelled) job.cancelled = true;
    return { status: 200, reply: cancelled.map((job) => job.id) };
  };

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://jaicp').pathname;
    const send = (status: number, reply: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply));
    };
    if (req.method === 'GET' && path === '/_simulator/jobs') return send(200, jobs);
    const match = req.method === 'POST' ? PREFIX.exec(path) : null;
    if (match === null) return send(404, { error: 'not found' });
    const [, token = '', method = ''] = match;
    requests.set(method, (requests.get(method) ?? 0) + 1);
    const fault = faults.take(method);
    if (fault?.mode === 'delay') await sleep(fault.ms);
    if (fault?.mode === 'drop_before') return req.socket.destroy();
    if (fault?.mode === 'http_502') return send(502, { error: 'bad gateway' });
    if (fault?.mode === 'internal_error') return send(500, { error: 'internal error' });
    const key = req.headers['idempotence-key'];
    const outcome = handle(
      method,
      decodeURIComponent(token),
      parseJsonOrUndefined(Buffer.concat(chunks).toString('utf8')),
      typeof key === 'string' ? key : undefined,
    );
    if (fault?.mode === 'drop_after') return req.socket.destroy();
    send(outcome.status, outcome.reply);
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    jobs: () => [...jobs],
    requestCount: (method) => requests.get(method) ?? 0,
    injectFault: (rule) => faults.add(rule),
    reset: () => {
      jobs = [];
      byKey = new Map();
      requests = new Map();
      faults.clear();
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
};
