import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWarnings } from '../../shared/config/config-warnings.ts';
import {
  ConfigError,
  loadConfigFile,
  parseConfig,
  parseConfigText,
} from '../../shared/config/load.ts';
import { PRESETS } from '../../shared/senders/registry.ts';

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
      expect.stringMatching(/^routes\.callback\.call\.params\.ring_twice: unknown key/),
    );
  });

  it("takes a route's holidays as real dates, and names a date that does not exist", async () => {
    const config = await shipped();
    const hours = { time_zone: 'Europe/Moscow', from: '09:00', to: '21:00' };
    config.routes.callback.calling_hours = { ...hours, holidays: ['2027-01-07', '2027-02-23'] };
    expect(parseConfig(config, 'test').routes.callback?.calling_hours?.holidays).toEqual([
      '2027-01-07',
      '2027-02-23',
    ]);

    config.routes.callback.calling_hours = { ...hours, holidays: ['2027-02-30', '23.02.2027'] };
    expect(problemsOf(config)).toEqual([
      expect.stringMatching(/^routes\.callback\.calling_hours\.holidays\.0: a date that exists/),
      expect.stringMatching(/^routes\.callback\.calling_hours\.holidays\.1: a date "YYYY-MM-DD"/),
    ]);
  });

  it('refuses a route name that cannot be a URL segment', async () => {
    const config = await shipped();
    config.routes['Call Me'] = config.routes.callback;

    expect(problemsOf(config)).toContainEqual(expect.stringMatching(/^routes\.Call Me: /));
  });
});

const problemsOfText = (text: string): readonly string[] => {
  try {
    parseConfigText(text, 'test');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('Function: loadConfigFile, on JSONC', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callhook-jsonc-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loads a file with comments and trailing commas as the same config as plain JSON', async () => {
    const file = join(dir, 'commented.json');
    await writeFile(
      file,
      `{
  // the local simulator stands in for the provider
  "accounts": {
    "demo": {
      "provider": "simulator", /* no phone rings */
      "secret": "demo/callapi",
      "virtual_phone_number": "74993720692",
    },
  },
  "routes": {
    "callback": {
      "account": "demo",
      "auth": { "type": "token", "secret": "demo/hook-token", },
      "call": {
        "method": "start.simple_call",
        "contact": "phone", // JSONata
        "params": { "first_call": "operator", "operator": "74951234567" },
      },
    },
  },
}
`,
    );

    const config = await loadConfigFile(file);

    expect(config).toStrictEqual(
      parseConfig(
        {
          accounts: {
            demo: {
              provider: 'simulator',
              secret: 'demo/callapi',
              virtual_phone_number: '74993720692',
            },
          },
          routes: {
            callback: {
              account: 'demo',
              auth: { type: 'token', secret: 'demo/hook-token' },
              call: {
                method: 'start.simple_call',
                contact: 'phone',
                params: { first_call: 'operator', operator: '74951234567' },
              },
            },
          },
        },
        'plain',
      ),
    );
  });

  it.each([
    [
      'a missing comma',
      '{\n  "accounts": {}\n  "routes": {}\n}',
      '3:3: syntax error: expected a comma',
    ],
    [
      'a value left out',
      '{\n  "accounts": {},\n  "routes": \n}',
      '4:1: syntax error: expected a value',
    ],
    ['single quotes', "{ 'accounts': {} }", '1:3: syntax error: unexpected character'],
    [
      'a comment left open',
      '{ "accounts": {} /* routes',
      '1:18: syntax error: a comment that is never closed',
    ],
    ['an empty file', '', '1:1: syntax error: expected a value'],
  ])('reports %s as one problem at its line:column', (_, text, problem) => {
    expect(problemsOfText(text)).toEqual([problem]);
  });
});

describe('Function: parseConfig, one line per mistake', () => {
  it.each([
    ['a route field', ['routes', 'callback', 'defualt_country'], 'default_country'],
    ['a top-level field', ['retension_days'], 'retention_days'],
    ['an account field', ['accounts', 'demo', 'virtual_phone_numbr'], 'virtual_phone_number'],
    ['a call param', ['routes', 'callback', 'call', 'params', 'opertor'], 'operator'],
    ['a sender verification field', ['routes', 'callback', 'auth', 'heder'], 'header'],
  ])('names the key nearest to a misspelled %s', async (_, path, meant) => {
    const config = await shipped();
    let parent = config;
    for (const key of path.slice(0, -1)) parent = parent[key];
    parent[path.at(-1) as string] = 'RU';

    expect(problemsOf(config)).toEqual([
      `${path.join('.')}: unknown key; did you mean \`${meant}\`?`,
    ]);
  });

  it('reports a misspelled required key once, not also as missing', async () => {
    const config = await shipped();
    const { account, ...route } = config.routes.callback;
    config.routes.callback = { ...route, acount: account };

    expect(problemsOf(config)).toEqual([
      'routes.callback.acount: unknown key; did you mean `account`?',
    ]);
  });

  it('lists the known keys when none is near', async () => {
    const config = await shipped();
    config.routes.callback.colour = 'blue';

    expect(problemsOf(config)).toEqual([
      expect.stringMatching(
        /^routes\.callback\.colour: unknown key; expected one of `preset`, `account`, /,
      ),
    ]);
  });

  it('reports an unknown preset in one line, not every field the preset would have filled in', async () => {
    const config = await shipped();
    config.routes.tilda = {
      preset: 'tilda-from',
      account: 'demo',
      auth: { secret: 'demo/hook-token' },
    };

    expect(problemsOf(config)).toEqual([
      'routes.tilda.preset: unknown preset "tilda-from"; did you mean `tilda-form`?',
    ]);
  });

  it('names the nearest value of a misspelled method, provider or weekday', async () => {
    const config = await shipped();
    config.routes.callback.call.method = 'start.simple_cal';
    config.accounts.demo.provider = 'uiss';

    expect(problemsOf(config)).toEqual([
      'accounts.demo.provider: unknown value "uiss"; did you mean `uis`?',
      'routes.callback.call.method: unknown value "start.simple_cal"; did you mean `start.simple_call`?',
    ]);
  });

  it('names the nearest account of a route whose account does not exist', async () => {
    const config = await shipped();
    config.routes.callback.account = 'dmeo';

    expect(problemsOf(config)).toEqual([
      'routes.callback.account: no account named "dmeo" in "accounts"; did you mean "demo"?',
    ]);
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
    for (const [preset, { cancelling }] of Object.entries(PRESETS)) {
      config.routes[`via-${preset}`] = {
        ...base,
        preset,
        ...(cancelling === true && { cancels: 'callback' }),
      } as typeof base;
    }
    const parsed = parseConfigText(JSON.stringify(config), 'presets');
    expect(Object.keys(parsed.routes).length).toBe(Object.keys(PRESETS).length + 2);
    expect(JSON.parse(JSON.stringify(parsed))).toStrictEqual(parsed);
  });
});

describe('Function: parseConfig, on escalate', () => {
  const config = (dataApi: boolean, escalate: Record<string, unknown>) => ({
    accounts: {
      main: {
        provider: 'simulator',
        secret: 'm/c',
        virtual_phone_number: '74993720692',
        ...(dataApi && { data_api: { secret: 'm/d' } }),
      },
    },
    routes: {
      callback: { preset: 'generic', account: 'main', auth: { secret: 'm/h' }, escalate },
      second: { preset: 'generic', account: 'main', auth: { secret: 'm/h2' } },
    },
  });
  const escalate = { when: ['operator_missed'], to: 'second' };

  it('takes a route that escalates to another on an account with a report', () => {
    expect(problemsOf(config(true, escalate))).toEqual([]);
  });

  it('refuses an escalation with no result to go by, to itself, or to a route that is not there', () => {
    expect(problemsOf(config(false, escalate))).toEqual([
      'routes.callback.escalate: escalate needs to know how the last attempt ended; only the Data API says how a call ended: give account "main" a "data_api"',
    ]);
    expect(problemsOf(config(true, { ...escalate, to: 'callback' }))).toEqual([
      'routes.callback.escalate.to: a route cannot escalate to itself',
    ]);
    expect(problemsOf(config(true, { ...escalate, to: 'third' }))).toEqual([
      'routes.callback.escalate.to: no route named "third" in "routes"',
    ]);
  });
});

describe('Function: configWarnings, on cancelling routes', () => {
  const withRoutes = (routes: Record<string, unknown>) =>
    parseConfig(
      {
        accounts: {
          main: { provider: 'simulator', secret: 'm/c', virtual_phone_number: '74993720692' },
        },
        routes,
      },
      'warnings test',
    );
  const pay = (key: string) => ({
    preset: 'stripe-checkout-completed',
    account: 'main',
    auth: { secret: 'shop/stripe' },
    idempotency_key: key,
  });
  const refunded = { preset: 'stripe-charge-refunded', cancels: 'pay', auth: { secret: 'shop/r' } };

  it('warns when a cancel keys its events otherwise than the route it cancels, and only then', () => {
    const mismatched = configWarnings(withRoutes({ pay: pay('id'), refunded }));
    const matched = configWarnings(
      withRoutes({ pay: pay('data.object.payment_intent'), refunded }),
    );

    expect(mismatched).toEqual([
      'routes.refunded.idempotency_key ("data.object.payment_intent") is not route pay\'s ("id"): its cancels find a call only where both give the same key.',
    ]);
    expect(matched).toEqual([]);
  });
});
