import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../../shared/config/load.ts';
import { readUntil, runToExit, spawnMain } from '../support/spawn-main.ts';

describe('npm start', () => {
  let dir: string;
  let shipped: Record<string, unknown>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callhook-start-'));
    shipped = JSON.parse(await readFile('callhook.config.json', 'utf8'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const withConfig = async (config: unknown): Promise<string> => {
    const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(path, typeof config === 'string' ? config : JSON.stringify(config));
    return path;
  };

  /** Sets `value` at `path` inside a copy of the shipped config. */
  const breakConfig = (path: readonly string[], value: unknown): unknown => {
    const config = structuredClone(shipped);
    let node = config as Record<string, unknown>;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
    node[path.at(-1) ?? ''] = value;
    return config;
  };

  // What npm start prints for a config it refuses is the loader's ConfigError message, whole:
  // one process proves that path; the loader names each broken field in-process (cheaper).
  const brokenFields = [
    {
      name: 'a route naming a missing account',
      path: ['routes', 'callback', 'account'],
      value: 'nobody',
    },
    {
      name: 'a malformed virtual number',
      path: ['accounts', 'demo', 'virtual_phone_number'],
      value: '+7 499 372',
    },
    {
      name: 'an unknown call method',
      path: ['routes', 'callback', 'call', 'method'],
      value: 'start.magic_call',
    },
    {
      name: 'a broken JSONata expression',
      path: ['routes', 'order-confirmation', 'call', 'contact_message', 'value'],
      value: "'Hello ' & (name",
    },
    {
      name: 'an unsupported country',
      path: ['routes', 'callback', 'default_country'],
      value: 'XX',
    },
  ];

  it('stops with exit code 1 and prints the message naming the field', async () => {
    // Act
    const { code, stderr } = await runToExit(
      spawnMain({
        CALLHOOK_CONFIG: await withConfig(breakConfig(['routes', 'callback', 'account'], 'nobody')),
      }),
    );

    // Assess
    expect(code).toBe(1);
    expect(stderr).toContain('routes.callback.account:');
  });

  it.each(brokenFields)('names the field for $name', async ({ path, value }) => {
    const file = await withConfig(breakConfig(path, value));

    const refused = await loadConfigFile(file).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).message).toContain(`${path.join('.')}:`);
  });

  it('stops with exit code 1 and names an unknown field', async () => {
    const { code, stderr } = await runToExit(
      spawnMain({
        CALLHOOK_CONFIG: await withConfig(breakConfig(['routes', 'callback', 'colour'], 'blue')),
      }),
    );

    expect(code).toBe(1);
    expect(stderr).toContain('routes.callback.colour: unknown key');
  });

  it('stops with exit code 1 when the config is not JSON, naming the line and column', async () => {
    const { code, stderr } = await runToExit(
      spawnMain({ CALLHOOK_CONFIG: await withConfig('{\n  "accounts": ') }),
    );

    expect(code).toBe(1);
    expect(stderr).toContain('2:15: syntax error: expected a value');
  });

  it('says plainly when its config file changes that a restart is needed, and whether it is valid', async () => {
    const file = await withConfig(shipped);
    const child = spawnMain({ CALLHOOK_CONFIG: file });
    try {
      await readUntil(child, '/calls/<call_id>');
      const withRoute = structuredClone(shipped) as { routes: Record<string, unknown> };
      withRoute.routes.another = withRoute.routes.callback;
      const changed = readUntil(child, 'changed:');
      await writeFile(file, JSON.stringify(withRoute));
      const notice = await changed;
      expect(notice).toMatch(/changed: this npm start still runs the config it read at start-up/);
      expect(notice).toMatch(/Restart it .* valid, 3 route\(s\)\./);
      const broken = readUntil(child, 'has problems');
      await writeFile(file, '{');
      expect(await broken).toMatch(/changed, and the new file has problems/);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('on a port already taken, says so and names the variable that moves it', async () => {
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as AddressInfo;
    try {
      for (const [variable, env] of [
        ['PORT', { PORT: String(port), SIMULATOR_PORT: '0' }],
        ['SIMULATOR_PORT', { PORT: '0', SIMULATOR_PORT: String(port) }],
      ] as const) {
        const { code, stderr } = await runToExit(spawnMain(env));
        expect({ variable, code }).toEqual({ variable, code: 1 });
        expect(stderr).toContain(`port ${port} is already in use`);
        expect(stderr).toContain(`move this one with ${variable} `);
      }
    } finally {
      taken.close();
    }
  });

  it('prints a curl per route that places a call when pasted into a shell', async () => {
    // Prepare
    const child = spawnMain({});
    try {
      const banner = await readUntil(child, '/calls/<call_id>');
      const curl = banner
        .split('\n')
        .map((line) => line.trim())
        .find((line) => line.startsWith('curl ') && line.includes('/hooks/callback'));
      const simulatorCalls = banner.match(/accepted calls: (\S+)\)/)?.[1];
      expect(curl).toMatch(/^curl /);
      expect(simulatorCalls).toBeDefined();

      // Act
      const { stdout } = await promisify(execFile)('sh', ['-c', curl ?? '']);

      // Assess
      expect(JSON.parse(stdout)).toMatchObject({ status: 'queued', duplicate: false });
      await expect
        .poll(async () => (await (await fetch(simulatorCalls ?? '')).json()) as unknown[], {
          timeout: 10_000,
          interval: 50,
        })
        .toHaveLength(1);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
