import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_FILE, configJsonSchemaText } from '../../shared/config/json-schema.ts';
import { runToExit } from '../support/spawn-main.ts';

const checkConfig = (file: string) =>
  runToExit(
    spawn(process.execPath, ['--import', 'tsx', 'infra/config-check.ts', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );

const presetRoute = {
  preset: 'tilda-form',
  account: 'demo',
  auth: { secret: 'demo/hook-token' },
  call: { params: { operator: '74951234567' } },
};

describe('The config file: JSON Schema and config:check', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callhook-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const write = async (name: string, config: unknown) => {
    const file = join(dir, name);
    await writeFile(file, JSON.stringify(config));
    return file;
  };

  it('commits the schema generated from the zod schema (run npm run config:schema)', async () => {
    expect(await readFile(CONFIG_SCHEMA_FILE, 'utf8')).toBe(configJsonSchemaText());
  });

  it('accepts the shipped config and a preset route, and refuses a route without a call', async () => {
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(configJsonSchemaText()));
    const shipped = JSON.parse(await readFile('callhook.config.json', 'utf8'));
    const withPreset = { ...shipped, routes: { tilda: presetRoute } };
    const { call: _, ...withoutCall } = shipped.routes.callback;

    expect(validate(shipped)).toBe(true);
    expect(validate(withPreset)).toBe(true);
    expect(validate({ ...shipped, routes: { broken: withoutCall } })).toBe(false);
  });

  it('says a valid file is valid, and warns about a route anyone can call', async () => {
    const shipped = JSON.parse(await readFile('callhook.config.json', 'utf8'));
    shipped.routes.open = { ...shipped.routes.callback, auth: { type: 'none' } };

    const { code, stdout } = await checkConfig(await write('open.json', shipped));

    expect(code).toBe(0);
    expect(stdout).toContain('is valid: 1 account(s), 3 route(s)');
    expect(stdout).toContain('warning: routes.open.auth');
  });

  const writeText = async (name: string, text: string) => {
    const file = join(dir, name);
    await writeFile(file, text);
    return file;
  };
  /** The problems config:check printed, one per line. */
  const problemLines = (stderr: string) =>
    stderr
      .split('\n')
      .filter((line) => line.startsWith('  - '))
      .map((line) => line.slice(4));

  it('accepts a config with comments and trailing commas (JSONC)', async () => {
    const text = await readFile('callhook.config.json', 'utf8');
    const commented = text
      .replace('"accounts": {', '// who places the calls\n  "accounts": { /* one */')
      .replace(/\n(\s*)\}\n\}\n$/, ',\n$1},\n}\n');

    const { code, stdout } = await checkConfig(await writeText('commented.json', commented));

    expect(commented).toContain('},\n}');
    expect(code).toBe(0);
    expect(stdout).toContain('is valid: 1 account(s), 2 route(s)');
  });

  it('names the line and column of a syntax mistake, and nothing else', async () => {
    const text = '{\n  "accounts": {}\n  "routes": {}\n}\n';

    const { code, stderr } = await checkConfig(await writeText('syntax.json', text));

    expect(code).toBe(1);
    expect(problemLines(stderr)).toEqual(['3:3: syntax error: expected a comma']);
  });

  it('names the key a misspelled one was meant to be', async () => {
    const shipped = JSON.parse(await readFile('callhook.config.json', 'utf8'));
    shipped.routes.callback.defualt_country = 'KZ';

    const { code, stderr } = await checkConfig(await write('typo.json', shipped));

    expect(code).toBe(1);
    expect(problemLines(stderr)).toEqual([
      'routes.callback.defualt_country: unknown key; did you mean `default_country`?',
    ]);
  });

  it('reports an unknown preset in one line', async () => {
    const shipped = JSON.parse(await readFile('callhook.config.json', 'utf8'));
    const file = await write('wix.json', {
      ...shipped,
      routes: { broken: { ...presetRoute, preset: 'wix' } },
    });

    const { code, stderr } = await checkConfig(file);

    expect(code).toBe(1);
    expect(problemLines(stderr)).toEqual([
      expect.stringMatching(
        /^routes\.broken\.preset: unknown preset "wix"; expected one of `shopify-orders-create`, /,
      ),
    ]);
  });

  it.each([
    {
      name: 'a preset route without the operator its call needs',
      route: { ...presetRoute, call: {} },
      path: 'routes.broken.call.params.operator',
    },
    {
      name: 'an unknown preset',
      route: { ...presetRoute, preset: 'wix' },
      path: 'routes.broken.preset',
    },
    {
      name: 'a stripe route with a non-numeric tolerance',
      route: {
        ...presetRoute,
        preset: 'stripe-checkout-completed',
        auth: { secret: 's', tolerance_seconds: 'x' },
      },
      path: 'routes.broken.auth.tolerance_seconds',
    },
    {
      name: 'calling hours in a zone that does not exist',
      route: {
        ...presetRoute,
        calling_hours: { time_zone: 'Mars/Olympus', from: '09:00', to: '21:00' },
      },
      path: 'routes.broken.calling_hours.time_zone',
    },
    {
      name: 'a window that ends before it starts',
      route: { ...presetRoute, calling_hours: { time_zone: 'UTC', from: '21:00', to: '09:00' } },
      path: 'routes.broken.calling_hours.to',
    },
    {
      name: 'a callback URL without its signing secret',
      route: { ...presetRoute, callback_url: 'https://shop.example/hook' },
      path: 'routes.broken.callback_secret',
    },
  ])('names the path of $name and exits 1', async ({ route, path }) => {
    const shipped = JSON.parse(await readFile('callhook.config.json', 'utf8'));
    const file = await write('broken.json', { ...shipped, routes: { broken: route } });

    const { code, stderr } = await checkConfig(file);

    expect(code).toBe(1);
    expect(stderr).toContain(`${path}:`);
  });
});
