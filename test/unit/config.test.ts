import { readFile } from 'node:fs/promises';
import { getCountries } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_COUNTRIES } from '../../shared/config/countries.ts';
import {
  ConfigError,
  loadConfigFile,
  parseConfig,
  parseConfigText,
} from '../../shared/config/load.ts';
import { PRESETS } from '../../shared/routes/presets.ts';

const shipped = async () => JSON.parse(await readFile('callhook.config.json', 'utf8'));

const problemsOf = (value: unknown): readonly string[] => {
  try {
    parseConfig(value, 'test');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('Function: parseConfig', () => {
  it('accepts the shipped config and fills in defaults', async () => {
    const config = parseConfig(await shipped(), 'callhook.config.json');

    expect(config.retention_days).toBe(30);
    expect(config.routes.callback?.auth).toMatchObject({
      header: 'X-Callhook-Token',
      query: 'token',
    });
    expect(config.accounts.demo).toMatchObject({ backend: 'callapi', api_version: 'v4.0' });
  });

  it('requires a provider or a base URL for an account', async () => {
    const config = await shipped();
    delete config.accounts.demo.provider;

    expect(problemsOf(config)).toContainEqual(
      expect.stringMatching(/^accounts\.demo: set "provider"/),
    );
  });

  it('refuses an informer route without a message', async () => {
    const config = await shipped();
    delete config.routes['order-confirmation'].call.contact_message;

    expect(problemsOf(config)).toContainEqual(
      expect.stringMatching(/^routes\.order-confirmation\.call\.contact_message: /),
    );
  });

  it('refuses a fixed param the Call API does not know', async () => {
    const config = await shipped();
    config.routes.callback.call.params.ring_twice = true;

    expect(problemsOf(config)).toContainEqual(
      expect.stringMatching(/^routes\.callback\.call\.params: .*ring_twice/),
    );
  });

  it('refuses a route name that cannot be a URL segment', async () => {
    const config = await shipped();
    config.routes['Call Me'] = config.routes.callback;

    expect(problemsOf(config)).toContainEqual(expect.stringMatching(/^routes\.Call Me: /));
  });
});

describe('The supported country list', () => {
  it('is exactly the countries libphonenumber-js has numbering plans for', () => {
    expect([...SUPPORTED_COUNTRIES].sort()).toEqual(getCountries().sort());
  });
});

describe('The config compiled into a Lambda bundle', () => {
  // The CDK app compiles the parsed config as JSON and the functions read it back without the
  // schema, so the schema's output must survive JSON whole: no dates, maps or functions.
  it.each([
    ['the shipped config', 'callhook.config.json'],
    ['the deploy example', 'infra/aws/example.config.json'],
  ])('reads back from JSON exactly as the schema parsed %s', async (_, file) => {
    const parsed = await loadConfigFile(file);
    expect(JSON.parse(JSON.stringify(parsed))).toStrictEqual(parsed);
  });

  it('reads back from JSON exactly for a route of every preset', async () => {
    const config = await shipped();
    const base = config.routes.callback;
    for (const preset of Object.keys(PRESETS)) {
      config.routes[`via-${preset}`] = { ...base, preset } as typeof base;
    }
    const parsed = parseConfigText(JSON.stringify(config), 'presets');
    expect(Object.keys(parsed.routes).length).toBe(Object.keys(PRESETS).length + 2);
    expect(JSON.parse(JSON.stringify(parsed))).toStrictEqual(parsed);
  });
});
