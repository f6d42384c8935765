import { describe, expect, it } from 'vitest';
import { CALL_API } from '../../shared/backends/callapi/callapi.ts';
import { CALL_API_CLIENTS } from '../../shared/backends/callapi/callapi-clients.ts';
import { backendOfRecord, type ClientRegistry } from '../../shared/backends/client-registry.ts';
import { BACKEND_CONFIGS, backendConfigOf } from '../../shared/backends/config-registry.ts';
import {
  BACKENDS,
  type BackendRegistry,
  entryOf,
  followUpOf,
} from '../../shared/backends/registry.ts';
import { parseConfig } from '../../shared/config/load.ts';

const config = parseConfig(
  {
    accounts: {
      bot: { backend: 'jaicp', secret: 'bot/token' },
      phone: { provider: 'uis', secret: 'uis/key', virtual_phone_number: '74993720692' },
      reporting: {
        provider: 'uis',
        secret: 'uis/key',
        virtual_phone_number: '74993720692',
        events_secret: 'uis/events',
        data_api: { secret: 'uis/data' },
      },
    },
    routes: {
      r: {
        account: 'phone',
        auth: { type: 'token', secret: 't' },
        call: {
          method: 'start.informer_call',
          contact: 'phone',
          contact_message: { type: 'tts', value: 'm' },
        },
      },
    },
  },
  'test',
);
const connection = { secrets: { get: async () => '' } };

describe('The backend registry', () => {
  it('gives each route call method to exactly one backend', () => {
    const methods = Object.values(BACKENDS).flatMap((entry) => [...entry.methods]);

    expect(new Set(methods).size).toBe(methods.length);
  });

  it.each(Object.keys(config.accounts))(
    "builds account %s's backend with the capabilities its entry states",
    async (name) => {
      const backend = await backendOfRecord({ config, connection }, { account: name });
      const account = config.accounts[name];
      if (account === undefined) throw new Error('no account');

      expect(backend).toMatchObject(entryOf(account).capabilities);
    },
  );

  it('has no backend for a record whose account is gone from the config', async () => {
    expect(await backendOfRecord({ config, connection }, { account: 'gone' })).toBeUndefined();
  });

  it('does not compile without an entry for every backend, each for its own accounts', () => {
    // @ts-expect-error: the JAICP entry is missing.
    const missing: BackendRegistry = { callapi: CALL_API };
    // @ts-expect-error: the Call API's entry cannot serve JAICP accounts.
    const crossed: BackendRegistry = { callapi: CALL_API, jaicp: CALL_API };
    // The clients, kept apart for ingest's sake, are held to every backend the same way.
    // @ts-expect-error: the JAICP clients are missing.
    const noClients: ClientRegistry = { callapi: CALL_API_CLIENTS };
    // @ts-expect-error: the Call API's clients cannot serve JAICP accounts.
    const crossedClients: ClientRegistry = { callapi: CALL_API_CLIENTS, jaicp: CALL_API_CLIENTS };

    expect([missing, crossed, noClients, crossedClients]).toHaveLength(4);
  });

  it("states the same methods in each backend's config as in its runtime entry", () => {
    for (const [name, entry] of Object.entries(BACKENDS)) {
      const configured = BACKEND_CONFIGS[name as keyof typeof BACKENDS].calls.map(
        (call) => call.shape.method.value,
      );

      expect(configured).toEqual([...entry.methods]);
    }
  });

  it.each(Object.keys(config.accounts))(
    "names account %s's secrets with the shapes its runtime entry reads them as",
    (name) => {
      const account = config.accounts[name];
      if (account === undefined) throw new Error('no account');
      const secrets = backendConfigOf(account).secrets(account);
      const entry = entryOf(account);

      expect(secrets.find((secret) => secret.readBy === 'calls')).toMatchObject({
        name: account.secret,
        shape: entry.secretShape,
      });
      expect(secrets.find((secret) => secret.readBy === 'events')?.name).toBe(
        entry.eventsSecret(account),
      );
    },
  );

  it('follows up calls by report only where the account has reports to read', () => {
    expect({
      reporting: followUpOf(config, 'reporting'),
      phone: followUpOf(config, 'phone'),
      bot: followUpOf(config, 'bot'),
      gone: followUpOf(config, 'gone'),
      inherited: followUpOf(config, 'toString'),
    }).toEqual({
      reporting: 'report',
      phone: 'none',
      bot: 'progress',
      gone: 'none',
      inherited: 'none',
    });
  });

  it.each(Object.keys(config.accounts))(
    "builds account %s's backend with what its follow-up asks",
    async (name) => {
      const backend = await backendOfRecord({ config, connection }, { account: name });
      const asks = { report: 'readReport', progress: 'progress', none: undefined } as const;
      const method = asks[followUpOf(config, name)];

      expect(method === undefined || typeof backend?.[method] === 'function').toBe(true);
    },
  );
});
