import { describe, expect, it } from 'vitest';
import { secretNeeds } from '../../infra/aws/secret-needs.ts';
import { ConfigError, parseConfig } from '../../shared/config/load.ts';
import { secretRequirements } from '../../shared/config/secret-requirements.ts';
import { SHAPE_CHECKS } from '../../shared/secrets/secret-shapes.ts';

const SIMPLE_CALL = {
  method: 'start.simple_call',
  contact: 'phone',
  params: { first_call: 'operator', operator: '74951234567' },
};
const REDIAL = { on: ['no_answer'], max: 2, after_minutes: 10 };

const config = (account: Record<string, unknown>, route: Record<string, unknown> = {}) => ({
  accounts: { shop: account },
  routes: {
    callback: { account: 'shop', auth: { type: 'none' }, call: SIMPLE_CALL, ...route },
  },
});
const CALLAPI = { provider: 'uis', secret: 'shop/callapi', virtual_phone_number: '74993720692' };

const problemsOf = (raw: unknown): readonly string[] => {
  try {
    parseConfig(raw, 'test');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('Config: the Data API key and redials', () => {
  it('takes an account data_api and a route redial, and names the key among the secrets', () => {
    const parsed = parseConfig(
      config({ ...CALLAPI, data_api: { secret: 'shop/dataapi' } }, { redial: REDIAL }),
      'test',
    );

    expect(parsed.routes.callback?.redial).toEqual(REDIAL);
    expect(secretRequirements(parsed)).toContainEqual({
      name: 'shop/dataapi',
      shape: 'dataapi-key',
      namedAt: 'accounts.shop.data_api.secret',
    });
    expect(secretNeeds(parsed)).toMatchObject({
      accounts: ['shop/callapi'],
      reports: ['shop/dataapi'],
    });
  });

  it('refuses a redial on an account without a Data API key, and one on talked', () => {
    expect(problemsOf(config(CALLAPI, { redial: REDIAL }))).toEqual([
      'routes.callback.redial: only the Data API says how a call ended: give account "shop" a "data_api"',
    ]);
    expect(
      problemsOf(
        config(
          { ...CALLAPI, data_api: { secret: 'k' } },
          { redial: { ...REDIAL, on: ['talked'] } },
        ),
      ).join('\n'),
    ).toMatch(/^routes\.callback\.redial\.on\.0: /);
  });

  it('refuses a redial on a JAICP route, which redials by itself', () => {
    const problems = problemsOf({
      accounts: { bot: { backend: 'jaicp', secret: 'bot/token' } },
      routes: {
        callback: {
          account: 'bot',
          auth: { type: 'none' },
          call: { method: 'jaicp.addPhones', contact: 'phone' },
          redial: REDIAL,
        },
      },
    });

    expect(problems).toEqual([
      'routes.callback.redial: a JAICP campaign redials by itself: set call.params.maxAttempts instead',
    ]);
  });

  it('asks for the Data API host where the account names only a Call API base_url', () => {
    const { provider: _, ...custom } = CALLAPI;
    const problems = problemsOf(
      config({ ...custom, base_url: 'https://callapi.example.com', data_api: { secret: 'k' } }),
    );

    expect(problems).toEqual([
      'accounts.shop.data_api.base_url: the Data API host cannot be told from the Call API\'s "base_url": set it here',
    ]);
  });

  it('checks a Data API secret is JSON with an access_token, without repeating it', () => {
    const check = SHAPE_CHECKS['dataapi-key'];

    expect(check('{"access_token": "k3y"}')).toBeUndefined();
    expect(check('k3y')).toBe('must be JSON {"access_token": "..."}');
    expect(check('{"login": "a", "password": "b"}')).toBe('must be JSON {"access_token": "..."}');
  });
});
