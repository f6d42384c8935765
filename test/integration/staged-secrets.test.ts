import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretStore } from '../../functions/wiring/secrets-manager.ts';
import { SECRET_NAME_PREFIX_ENV } from '../../shared/config/prefixed-secret-store.ts';
import { type RunningStandIn, startAwsStandIn } from '../support/aws-stand-in.ts';

/**
 * The functions' own secret store (the real Secrets Manager client) against a local stand-in
 * speaking Secrets Manager's protocol: what a staged deployment's function asks for.
 */
describe("A function's secrets on a staged deployment", () => {
  let standIn: RunningStandIn;
  const saved = { ...process.env };
  beforeAll(async () => {
    standIn = await startAwsStandIn({
      stacks: {},
      functions: {},
      secrets: {
        'staging--callhook/uis-access-key': { versions: 2, value: '{"access_token":"staged"}' },
        'callhook/uis-access-key': { versions: 2, value: '{"access_token":"unstaged"}' },
      },
    });
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: standIn.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
  });
  afterAll(async () => {
    process.env = saved;
    await standIn.close();
  });

  it("reads the config's name under the prefix the CDK app sets", async () => {
    const store = secretStore({ [SECRET_NAME_PREFIX_ENV]: 'staging--' });
    await expect(store.get('callhook/uis-access-key')).resolves.toBe('{"access_token":"staged"}');
    expect(standIn.requests.map((r) => r.action)).toContain('secretsmanager:GetSecretValue');
  });

  it('reads it as named without a stage', async () => {
    await expect(secretStore({}).get('callhook/uis-access-key')).resolves.toBe(
      '{"access_token":"unstaged"}',
    );
  });
});
