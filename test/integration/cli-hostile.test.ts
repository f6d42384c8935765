import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../infra/cli/io.ts';
import { runCli } from '../../infra/cli/main.ts';
import { HOOK_TOKEN } from '../support/runtime.ts';

/*
 * The CLI against a server that is not on its side (a wrong --url, a proxy in between): what it
 * answers reaches the terminal as text, and what the CLI sends goes to that server alone.
 */

const ADMIN_KEY = 'hostile-test-admin-key-9d2b';
/** Sequences a terminal acts on: colour, OSC 52 (write the clipboard), an 8-bit CSI. */
const ESCAPES = '\x1b[31m\x1b]52;c;ZWNobyBwd25lZA==\x07\u009b2J';
const CALL_ID = `c_${'b2'.repeat(16)}`;

const listen = async (server: Server): Promise<string> => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const close = async (server: Server | undefined) => {
  if (server === undefined) return;
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
};

const page = {
  items: [
    {
      call_id: CALL_ID,
      route: `route${ESCAPES}`,
      status: 'failed',
      method: null,
      contact: `*******0001${ESCAPES}`,
      call_session_id: null,
      attempts: 1,
      due_at: null,
      outcome: null,
      created_at: '2025-03-01T09:00:00.000Z',
      updated_at: '2025-03-01T09:00:00.000Z',
      error: { reason: `reason${ESCAPES}`, message: 'm' },
      history: [],
    },
  ],
  next_cursor: `cursor${ESCAPES}`,
};

/** Whether `text` holds any character a terminal would act on rather than show. */
const hasControls = (text: string): boolean =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are the point.
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(text);

describe('callhook CLI against a hostile server', () => {
  let hostile: Server | undefined;
  let thief: Server | undefined;
  let hostileUrl: string;
  let dir: string | undefined;
  const env: Record<string, string> = { CALLHOOK_ADMIN_KEY: ADMIN_KEY };
  /** Every request the server the redirects point at was sent. */
  const stolen: IncomingMessage[] = [];

  beforeAll(async () => {
    thief = createServer((request, response) => {
      stolen.push(request);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const thiefUrl = await listen(thief);
    hostile = createServer((request, response) => {
      const url = request.url ?? '';
      if (url.startsWith('/calls?status=failed')) {
        // JSON, but not callhook's page: a call id that is a number, an error that is text.
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ items: [{ call_id: 5, history: [] }], next_cursor: null }));
      } else if (url === `/calls/${CALL_ID}x`) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ ...page.items[0], call_id: `${CALL_ID}x`, outcome: 7 }));
      } else if (url.startsWith('/calls?status=placed')) {
        // callhook's shape, but numbers where it sends text: shown as they are.
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            items: [{ ...page.items[0], route: 9, created_at: 7, error: null }],
            next_cursor: null,
          }),
        );
      } else if (url === '/calls' || url.startsWith('/calls?')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(page));
      } else if (url.startsWith('/calls/')) {
        response.writeHead(307, { location: `${thiefUrl}/calls` }).end();
      } else if (url === '/hooks/callback') {
        response.writeHead(307, { location: `${thiefUrl}/hooks/callback` }).end();
      } else if (url === '/hooks/order-confirmation') {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(`broken${ESCAPES}\nsecond line`);
      } else response.writeHead(404).end();
    });
    hostileUrl = await listen(hostile);
    dir = await mkdtemp(join(tmpdir(), 'callhook-cli-hostile-'));
    env.CALLHOOK_SECRETS_FILE = join(dir, 'secrets.json');
    await writeFile(env.CALLHOOK_SECRETS_FILE, JSON.stringify({ 'demo/hook-token': HOOK_TOKEN }));
  });
  afterAll(async () => {
    await close(hostile);
    await close(thief);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const run = async (args: string[], extraEnv: Record<string, string> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      env: { ...env, ...extraEnv },
      colour: false,
    };
    const code = await runCli([...args, '--url', hostileUrl], io);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  };

  it('calls ls shows every field and the next cursor with their control characters escaped', async () => {
    const listed = await run(['calls', 'ls']);

    expect(listed.code).toBe(0);
    expect(hasControls(listed.stdout)).toBe(false);
    expect(listed.stdout).toContain('next page: --cursor cursor\\u001b[31m\\u001b]52;c;');
    expect(listed.stdout).toContain('reason\\u001b[31m');
  });

  it('calls ls --json prints the same JSON, an 8-bit control character in it as an escape', async () => {
    const listed = await run(['calls', 'ls', '--json']);

    expect(listed.code).toBe(0);
    // JSON.stringify escaped ESC and BEL in the server's answer, but sent U+009B (CSI) raw.
    expect(JSON.parse(listed.stdout)).toEqual(page);
    expect(hasControls(listed.stdout)).toBe(false);
  });

  it('an answer of another shape is exit 3, not a bug; one with numbers for texts is shown', async () => {
    const foreign = await run(['calls', 'ls', '--status', 'failed']);
    const call = await run(['calls', 'get', `${CALL_ID}x`]);
    const numbers = await run(['calls', 'ls', '--status', 'placed']);

    expect([foreign.code, foreign.stderr]).toEqual([
      3,
      'the answer is not one of callhook’s: is --url callhook’s API?',
    ]);
    expect([call.code, call.stderr]).toEqual([
      3,
      'the answer is not one of callhook’s: is --url callhook’s API?',
    ]);
    expect(numbers.code).toBe(0);
    expect(numbers.stdout.split('\n')[1]?.split(/ {2,}/)).toEqual([
      CALL_ID,
      'failed',
      '9',
      '*******0001\\u001b[31m\\u001b]52;c;ZWNobyBwd25lZA==\\u0007\\u009b2J',
      '1',
      '7',
    ]);
  });

  it('a key that cannot go in a header is exit 2, and is never printed', async () => {
    // As `export CALLHOOK_ADMIN_KEY=$(cat keys.txt)` reads a file of two lines: fetch refuses
    // the header with a TypeError that quotes its whole value.
    const key = `${ADMIN_KEY}-first\nsecond-line`;
    const refused = await run(['calls', 'ls'], { CALLHOOK_ADMIN_KEY: key });

    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/CALLHOOK_ADMIN_KEY/);
    expect(`${refused.stdout}${refused.stderr}`).not.toContain(`${ADMIN_KEY}-first`);
  });

  it('calls get does not follow a redirect with the admin key: exit 3', async () => {
    const got = await run(['calls', 'get', CALL_ID]);

    expect(got.code).toBe(3);
    expect(stolen).toEqual([]);
    expect(`${got.stdout}${got.stderr}`).not.toContain(ADMIN_KEY);
  });

  it('send does not follow a redirect with the route’s token', async () => {
    const sent = await run(['send', 'callback']);

    expect(sent.stdout).toMatch(/^→ 307$/m);
    expect(sent.code).toBe(3);
    // Followed, the 307 would post the body and the X-Callhook-Token header there again.
    expect(stolen.map((request) => request.url)).toEqual([]);
  });

  it('send shows an answer that is not JSON line by line, its control characters escaped', async () => {
    const sent = await run(['send', 'order-confirmation']);

    expect(sent.stdout).toMatch(/^→ 500$/m);
    expect(hasControls(sent.stdout)).toBe(false);
    expect(sent.stdout.split('\n').slice(-2)).toEqual([
      'broken\\u001b[31m\\u001b]52;c;ZWNobyBwd25lZA==\\u0007\\u009b2J',
      'second line',
    ]);
  });
});
