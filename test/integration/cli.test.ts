import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.ts';
import { WEEKDAYS } from '../../shared/routes/calling-hours.ts';
import { getCall, postHook, waitForStatus } from '../support/http.ts';
import {
  ADMIN_KEY,
  HOOK_TOKEN,
  queueIdle,
  shippedConfig,
  startTestRuntime,
  type TestRuntime,
} from '../support/runtime.ts';
import { runToExit } from '../support/spawn-main.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Everything every run printed, for the check that the admin key is never in it. */
const printed: string[] = [];

/** Runs the real CLI, through its bin, as a script would; the admin key only in the environment. */
const callhook = async (
  args: string[],
  env: Record<string, string | undefined> = {},
  command: string[] = [process.execPath, 'bin/callhook.mjs'],
): Promise<Run> => {
  const [file = '', ...prefix] = command;
  const child = spawn(file, [...prefix, ...args], {
    env: { ...process.env, CALLHOOK_ADMIN_KEY: ADMIN_KEY, NO_COLOR: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run = await runToExit(child);
  printed.push(run.stdout, run.stderr);
  return run;
};

/** The rows of a table the CLI printed: its lines after the header, split into cells. */
const rowsOf = (table: string): string[][] =>
  (table.split('\n\n')[0] ?? '')
    .split('\n')
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => line.split(/ {2,}/));

/** A port nothing listens on: one the system gave and took back. */
const closedPort = async (): Promise<number> => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
};

/** The weekday three days from today (UTC): a window on that day alone is closed all today. */
const inThreeDays = WEEKDAYS[(new Date().getUTCDay() + 6 + 3) % 7] ?? 'mon';

describe('callhook CLI against the local runtime', () => {
  let rt: TestRuntime;
  /** Three placed calls on `callback`, oldest first, and two scheduled ones on `later`. */
  const placed: string[] = [];
  const scheduled: string[] = [];
  let failing: Server | undefined;
  let failingUrl: string;
  let dir: string | undefined;
  /** The local secrets file `send` signs with: the test runtime's route token. */
  let secretsFile: string;
  /** An npm cache of this file's own, for npx. */
  let npmCache: string;

  beforeAll(async () => {
    const shipped = JSON.parse(JSON.stringify(await shippedConfig())) as {
      routes: Record<string, Record<string, unknown>>;
    };
    shipped.routes.later = {
      ...shipped.routes.callback,
      calling_hours: { time_zone: 'UTC', days: [inThreeDays], from: '00:00', to: '23:59' },
    };
    rt = await startTestRuntime({
      config: parseConfig(shipped, 'cli test'),
      sweepIntervalMs: 0,
      // Placed calls stay placed for the whole file: the views below show them as they are.
      simulator: { callDurationMs: 3_600_000 },
    });
    const made = await mkdtemp(join(tmpdir(), 'callhook-cli-'));
    dir = made;
    secretsFile = join(made, 'secrets.json');
    npmCache = join(made, 'npm-cache');
    await writeFile(secretsFile, JSON.stringify({ 'demo/hook-token': HOOK_TOKEN }));
    for (let i = 1; i <= 3; i++) {
      const answer = await postHook(
        rt.bridgeUrl,
        'callback',
        { phone: `+7926100000${i}` },
        { headers: { 'idempotency-key': `cli-${i}` } },
      );
      placed.push(String(answer.body.call_id));
      await waitForStatus(rt.bridgeUrl, String(answer.body.call_id), 'placed');
    }
    for (let i = 1; i <= 2; i++) {
      const answer = await postHook(rt.bridgeUrl, 'later', { phone: `+7926200000${i}` });
      expect(answer.body.status).toBe('scheduled');
      scheduled.push(String(answer.body.call_id));
    }
    // Not callhook's API: a 5xx problem, as a broken deploy answers, and a 200 that is no page.
    const server = createServer((request, response) => {
      if (request.url?.startsWith('/calls?') === true) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"hello":"world"}');
        return;
      }
      response.writeHead(503, { 'content-type': 'application/problem+json' });
      response.end(JSON.stringify({ status: 503, code: 'unavailable', detail: 'Try later.' }));
    });
    failing = server;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    failingUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) =>
      failing === undefined ? resolve(undefined) : failing.close(resolve),
    );
    await rt?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  /** `callhook <words>` against the test runtime: the words split at spaces, then its --url. */
  const onRuntime = (words: string, env: Record<string, string | undefined> = {}) =>
    callhook([...words.split(' '), '--url', rt.bridgeUrl], env);

  it('npx callhook --help runs the project’s own bin and lists the commands and exit codes', async () => {
    // A fresh npm cache, offline: npx links the project itself, and needs nothing from a registry.
    const run = await callhook(
      ['--help'],
      { npm_config_cache: npmCache, npm_config_offline: 'true' },
      ['npx', 'callhook'],
    );

    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    for (const command of [
      'calls ls',
      'calls get',
      'calls find',
      'calls export',
      'calls retry',
      'calls cancel',
      'calls again',
      'send',
    ])
      expect(run.stdout).toContain(`  ${command}  `);
    for (const code of ['0', '1', '2', '3', '4', '70'])
      expect(run.stdout).toMatch(new RegExp(`^  ${code} +\\S`, 'm'));
  });

  it('calls ls prints a table of the calls, newest first, without colour into a pipe', async () => {
    const run = await onRuntime('calls ls --route callback');

    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(
      /^CALL ID +STATUS +ROUTE +CONTACT +TRIES +CREATED +NOTE$/,
    );
    expect(rowsOf(run.stdout).map(([id, status, route]) => [id, status, route])).toEqual(
      [...placed].reverse().map((id) => [id, 'placed', 'callback']),
    );
    expect(rowsOf(run.stdout)[0]?.[3]).toBe('*******0003');
    expect(run.stdout).not.toContain('\x1b');
  });

  it('without --url it talks to the local runtime on PORT, where npm start listens', async () => {
    const run = await callhook(['calls', 'ls', '--route', 'later'], {
      PORT: new URL(rt.bridgeUrl).port,
    });

    expect(run.code).toBe(0);
    expect(rowsOf(run.stdout).map(([id]) => id)).toEqual([...scheduled].reverse());
  });

  it('calls ls --json prints the API’s answer exactly', async () => {
    const direct = await fetch(`${rt.bridgeUrl}/calls?route=later`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });

    const run = await onRuntime('calls ls --route later --json');

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${await direct.text()}\n`);
  });

  it('filters by status and by the contact’s last 4 digits, and finds an event by its key', async () => {
    const [byStatus, byLast4, byKey] = await Promise.all([
      onRuntime('calls ls --status scheduled,failed'),
      onRuntime('calls ls --last4 0002'),
      onRuntime('calls ls --route callback --key cli-2'),
    ]);

    expect(rowsOf(byStatus.stdout).map(([id, status]) => [id, status])).toEqual(
      [...scheduled].reverse().map((id) => [id, 'scheduled']),
    );
    expect(rowsOf(byStatus.stdout)[0]?.[6]).toMatch(/^due \d{4}-\d{2}-\d{2} 00:00:00Z$/);
    expect(rowsOf(byLast4.stdout).map(([id]) => id)).toEqual([scheduled[1], placed[1]]);
    expect(rowsOf(byKey.stdout).map(([id]) => id)).toEqual([placed[1]]);
  });

  it('pages with --cursor: the page says how to ask for the next one', async () => {
    const first = await onRuntime('calls ls --route callback --limit 2');
    const cursor = first.stdout.match(/^next page: --cursor (\S+)$/m)?.[1] ?? '';
    const second = await onRuntime(`calls ls --route callback --limit 2 --cursor ${cursor}`);

    expect(rowsOf(first.stdout).map(([id]) => id)).toEqual([placed[2], placed[1]]);
    expect(cursor).not.toBe('');
    expect(second.code).toBe(0);
    expect(rowsOf(second.stdout).map(([id]) => id)).toEqual([placed[0]]);
    expect(second.stdout).not.toContain('next page');
  });

  it('calls export writes the filtered calls as CSV or JSON, every page, masked as the list is', async () => {
    const csv = await onRuntime('calls export --last4 0002');
    const json = await onRuntime('calls export --last4 0002 --format json');
    const bad = await onRuntime('calls export --format xml');

    expect(csv.code).toBe(0);
    const lines = csv.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'call_id,created_at,updated_at,route,event_key,status,result,talk_s,attempt,attempts,contact,error_reason',
    );
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual([scheduled[1], placed[1]]);
    const rows = JSON.parse(json.stdout) as { call_id: string; contact: string }[];
    expect(rows.map((row) => [row.call_id, row.contact])).toEqual([
      [scheduled[1], '*******0002'],
      [placed[1], '*******0002'],
    ]);
    expect(`${csv.stdout}${json.stdout}`).not.toMatch(/926[12]000002/);
    expect(bad.code).toBe(2);
  });

  it('calls find finds the calls to a full number; calls again refuses a call still ringing', async () => {
    const found = await callhook(['calls', 'find', '+7 926 100-00-02', '--url', rt.bridgeUrl]);
    const again = await onRuntime(`calls again ${placed[1]}`);

    expect(found.code).toBe(0);
    expect(rowsOf(found.stdout).map(([id]) => id)).toEqual([placed[1]]);
    expect(again).toEqual({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/^not_callable_again: .+ is placed: only a completed call/),
    });
    for (const command of ['calls export', 'calls find', 'calls again']) {
      const help = await callhook([...command.split(' '), '--help']);
      expect({ command, code: help.code }).toEqual({ command, code: 0 });
      expect(help.stdout).toContain(`usage: callhook ${command} `);
    }
  });

  it('calls get shows the call’s fields, its timeline and the event it was made for', async () => {
    const id = placed[0] ?? '';
    const run = await onRuntime(`calls get ${id}`);

    expect(run.code).toBe(0);
    const [shown = '', event = ''] = run.stdout.split('\n\nevent as received');
    // As received, masked by the server; the field the route read marked with what it is.
    const received = Buffer.byteLength(JSON.stringify({ phone: '+79261000001' }));
    expect(event).toBe(
      ` (${received} bytes received)\n{\n  "phone": "*******0001"  ← contact\n}\n`,
    );
    const [fields = '', timeline = ''] = shown.split('\n\ntimeline\n');
    expect(fields.split('\n').slice(0, 5)).toEqual([
      `call_id          ${id}`,
      'status           placed',
      'route            callback',
      'method           start.simple_call',
      'contact          *******0001',
    ]);
    expect(timeline.split('\n')[0]).toMatch(/^AT +TYPE +STATE +DETAIL$/);
    expect(rowsOf(timeline).map((row) => row.slice(1))).toEqual([
      ['status', 'queued', 'accepted (key from header)'],
      ['status', 'dialing'],
      ['status', 'placed', 'provider accepted the call'],
    ]);
  });

  it('calls retry sends an unknown call again, and it is placed', async () => {
    rt.simulator.injectFault({
      fault: { mode: 'drop_after' },
      method: 'start.simple_call',
      times: 1,
    });
    const answer = await postHook(rt.bridgeUrl, 'callback', { phone: '+79263000001' });
    const id = String(answer.body.call_id);
    await waitForStatus(rt.bridgeUrl, id, 'unknown');
    await queueIdle(rt.queue);

    const run = await onRuntime(`calls retry ${id}`);

    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^status +queued$/m);
    expect(run.stdout).toMatch(/^\S+ \S+ +status +queued +retry requested by an operator/m);
    await waitForStatus(rt.bridgeUrl, id, 'placed');
  });

  it('calls cancel cancels a scheduled call; cancelling it again is the API’s refusal, exit 1', async () => {
    const id = scheduled[0] ?? '';

    const run = await onRuntime(`calls cancel ${id} --json`);
    const again = await onRuntime(`calls cancel ${id}`);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ call_id: id, status: 'cancelled' });
    expect((await getCall(rt.bridgeUrl, id)).body.status).toBe('cancelled');
    expect(again).toEqual({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/^not_cancellable: .+\n$/),
    });
  });

  it('a call that does not exist is exit 1 with the problem’s code and detail on stderr', async () => {
    const id = `c_${'0'.repeat(32)}`;

    const run = await onRuntime(`calls get ${id} --json`);

    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `call_not_found: No call with id "${id}".\n`,
    });
  });

  it('a bad flag or a missing argument is exit 2, with the usage', async () => {
    const [badFlag, noId, noCommand] = await Promise.all([
      onRuntime('calls ls --stauts failed'),
      onRuntime('calls get'),
      callhook(['calls', 'list']),
    ]);

    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain("Unknown option '--stauts'");
    expect(badFlag.stderr).toContain('usage: callhook calls ls ');
    expect(noId.code).toBe(2);
    expect(noId.stderr).toMatch(/^expected one <call_id>, got none\nusage: callhook calls get/);
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toMatch(/^unknown command: "calls list"/);
    expect(badFlag.stdout + noId.stdout + noCommand.stdout).toBe('');
  });

  it('another API without CALLHOOK_ADMIN_KEY, or over plain http to another machine, is exit 2', async () => {
    const noKey = await onRuntime('calls ls', {
      CALLHOOK_ADMIN_KEY: undefined,
    });
    const plain = await callhook(['calls', 'ls', '--url', 'http://calls.example.com']);

    expect(noKey).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('set CALLHOOK_ADMIN_KEY'),
    });
    expect(plain).toMatchObject({ code: 2, stderr: expect.stringContaining('use https') });
  });

  it('a wrong key is exit 4, and the key is never printed', async () => {
    const wrong = 'wrong-key-4f1c2e';

    const run = await onRuntime('calls ls', {
      CALLHOOK_ADMIN_KEY: wrong,
    });

    expect(run).toEqual({ code: 4, stdout: '', stderr: 'unauthorized: The admin key is wrong.\n' });
  });

  it('nothing listening is exit 3, and so is a 5xx answer or one that is not the API’s', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;

    const [unreachable, failed, impostor] = await Promise.all([
      callhook(['calls', 'ls', '--url', url]),
      callhook(['calls', 'get', placed[0] ?? '', '--url', failingUrl]),
      callhook(['calls', 'ls', '--limit', '1', '--url', failingUrl]),
    ]);

    expect(unreachable).toMatchObject({ code: 3, stdout: '' });
    expect(unreachable.stderr).toMatch(new RegExp(`^cannot reach ${url}: .*ECONNREFUSED`));
    expect(failed).toEqual({ code: 3, stdout: '', stderr: 'unavailable: Try later.\n' });
    expect(impostor).toEqual({
      code: 3,
      stdout: '',
      stderr: 'the answer is not one of callhook’s: is --url callhook’s API?\n',
    });
  });

  it('callhook send posts a route its sample, as npm run send does; an unknown route is exit 2', async () => {
    const env = { CALLHOOK_SECRETS_FILE: secretsFile };
    const run = await onRuntime('send callback', env);
    const unknown = await onRuntime('send calback', env);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`POST ${rt.bridgeUrl}/hooks/callback`);
    expect(run.stdout).toMatch(/^→ 202$/m);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no route named "calback"; did you mean `callback`\?/);
  });

  it('printed the admin key in none of the runs above', () => {
    expect(printed.length).toBeGreaterThan(20);
    for (const text of printed) {
      expect(text).not.toContain(ADMIN_KEY);
      expect(text).not.toContain('wrong-key-4f1c2e');
    }
  });
});
