import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudFormationStacks } from '../../infra/doctor/aws/cloudformation-stacks.ts';
import { LambdaProbeInvoker } from '../../infra/doctor/aws/lambda-probe-invoker.ts';
import { SecretsManagerReader } from '../../infra/doctor/aws/secrets-manager-reader.ts';
import { type RunningStandIn, startAwsStandIn } from '../support/aws-stand-in.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:callhook/shopify-Xy12Zq';

describe("The doctor's AWS adapters (real SDK clients, against a local stand-in over HTTP)", () => {
  let standIn: RunningStandIn;
  let clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  beforeAll(async () => {
    standIn = await startAwsStandIn({
      stacks: {
        CallhookStateful: {
          status: 'UPDATE_COMPLETE',
          outputs: {},
          secretArns: [SECRET_ARN, 'arn:2', 'arn:3'],
        },
        CallhookStateless: {
          status: 'CREATE_COMPLETE',
          outputs: { ApiUrl: 'https://api.example/', EgressIp1: '203.0.113.7' },
        },
      },
      secrets: {
        'callhook/shopify': { arn: SECRET_ARN, versions: 2, value: 'shpss_signing_key' },
        'callhook/fresh': { versions: 1 },
        'callhook/leaving': { versions: 2, value: 'x', scheduledForDeletion: true },
      },
      functions: {
        'probe-fn': { payload: { egress_ips: ['203.0.113.7'], accounts: [] } },
        'broken-fn': {
          payload: { errorType: 'TypeError', errorMessage: 'x is not a function', trace: [] },
          functionError: 'Unhandled',
        },
      },
    });
    clientConfig = {
      endpoint: standIn.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDSTANDIN', secretAccessKey: 'stand-in-secret' },
    };
  });
  afterAll(() => standIn.close());

  describe('Class: CloudFormationStacks', () => {
    it("reads a stack's status and outputs with DescribeStacks, and no stack as undefined", async () => {
      const stacks = new CloudFormationStacks(clientConfig);

      expect(await stacks.describe('CallhookStateless')).toEqual({
        status: 'CREATE_COMPLETE',
        outputs: { ApiUrl: 'https://api.example/', EgressIp1: '203.0.113.7' },
      });
      expect(await stacks.describe('CallhookNoSuchStack')).toBeUndefined();
    });

    it('lists the secrets the stack created across every page of ListStackResources', async () => {
      const stacks = new CloudFormationStacks(clientConfig);
      const before = standIn.requests.length;

      const arns = await stacks.createdSecrets('CallhookStateful');

      // Four resources (a table and three secrets) in pages of two.
      expect(arns).toEqual([SECRET_ARN, 'arn:2', 'arn:3']);
      expect(
        standIn.requests
          .slice(before)
          .filter((r) => r.action === 'cloudformation:ListStackResources'),
      ).toHaveLength(2);
    });
  });

  describe('Class: SecretsManagerReader', () => {
    it('reads the ARN, the labelled versions and the value of a secret', async () => {
      const secrets = new SecretsManagerReader(clientConfig);

      expect(await secrets.read('callhook/shopify')).toEqual({
        state: 'present',
        arn: SECRET_ARN,
        versions: 2,
        value: 'shpss_signing_key',
      });
    });

    it('tells a missing secret, one scheduled for deletion, and one with no value yet', async () => {
      const secrets = new SecretsManagerReader(clientConfig);

      expect(await secrets.read('callhook/none')).toEqual({ state: 'missing' });
      expect(await secrets.read('callhook/leaving')).toEqual({ state: 'scheduled_for_deletion' });
      expect(await secrets.read('callhook/fresh')).toMatchObject({
        state: 'present',
        versions: 1,
        value: undefined,
      });
    });
  });

  describe('Class: LambdaProbeInvoker', () => {
    it("returns the function's answer, and the error type and message of a failed invocation", async () => {
      const probe = new LambdaProbeInvoker(clientConfig);

      expect(await probe.invoke('probe-fn')).toEqual({
        ok: true,
        payload: { egress_ips: ['203.0.113.7'], accounts: [] },
      });
      expect(await probe.invoke('broken-fn')).toEqual({
        ok: false,
        error: 'TypeError',
        message: 'x is not a function',
      });
    });

    it('throws the service error for a function that does not exist', async () => {
      const probe = new LambdaProbeInvoker(clientConfig);

      await expect(probe.invoke('no-such-fn')).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
    });
  });

  it('signs every request with SigV4, as AWS requires', () => {
    const actions = new Set(standIn.requests.map((r) => r.action));
    for (const action of [
      'cloudformation:DescribeStacks',
      'cloudformation:ListStackResources',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'lambda:Invoke',
    ]) {
      expect(actions).toContain(action);
    }
    expect(standIn.requests.every((r) => r.signed)).toBe(true);
  });
});
