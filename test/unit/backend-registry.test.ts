import { describe, expect, it } from 'vitest';
import { CALL_API } from '../../shared/backends/callapi/callapi.ts';
import {
  BACKENDS,
  type BackendRegistry,
  backendOfRecord,
  entryOf,
} from '../../shared/backends/registry.ts';
import { parseConfig } from '../../shared/config/load.ts';

const config = parseConfig(
  {
    accounts: {
      bot: { backend: 'jaicp', secret: 'bot/token' },
      phone: { provider: 'uis', secret: 'uis/key', virtual_phone_number: '74993720692' },
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

    expect([missing, crossed]).toHaveLength(2);
  });
});
