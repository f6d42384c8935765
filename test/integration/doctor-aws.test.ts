import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudFormationStacks } from '../../infra/doctor/aws/cloudformation-stacks.ts';
import { LambdaProbeInvoker } from '../../infra/doctor/aws/lambda-probe-invoker.ts';
import { ParameterStoreReader } from '../../infra/doctor/aws/parameter-store-reader.ts';
import { SecretsManagerReader } from '../../infra/doctor/aws/secrets-manager-reader.ts';
import { type RunningStandIn, startAwsStandIn } from '../support/aws-stand-in.ts';
import { type RunningMoto, startMotoOrSkip } from '../support/moto-server.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:callhook/shopify-Xy12Zq';
/** The stateless stack's outputs the doctor reads (`infra/aws/stateless-stack.ts`). */
const STATELESS_OUTPUTS = {
  ApiUrl: 'https://api.example/',
  EgressIp1: '203.0.113.7',
  ProbeFunctionName: 'probe-fn',
};

const moto = await startMotoOrSkip(
  'doctor-aws',
  "the Secrets Manager, Parameter Store and Lambda adapters' tests and DescribeStacks on moto",
);

describe("The doctor's AWS adapters (real SDK clients, against AWS stand-ins over HTTP)", () => {
  describe('Class: CloudFormationStacks, against the hand-written stand-in', () => {
    let standIn: RunningStandIn;
    let stacks: CloudFormationStacks;
    beforeAll(async () => {
      standIn = await startAwsStandIn({
        stacks: {
          CallhookStateful: {
            status: 'UPDATE_COMPLETE',
            outputs: {},
            secretArns: [SECRET_ARN, 'arn:2', 'arn:3'],
          },
          CallhookStateless: { status: 'CREATE_COMPLETE', outputs: STATELESS_OUTPUTS },
        },
      });
      stacks = new CloudFormationStacks({
        endpoint: standIn.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDSTANDIN', secretAccessKey: 'stand-in-secret' },
      });
    });
    afterAll(() => standIn.close());

    it("reads a stack's status and outputs with DescribeStacks, and no stack as undefined", async () => {
      expect(await stacks.describe('CallhookStateless')).toEqual({
        status: 'CREATE_COMPLETE',
        outputs: STATELESS_OUTPUTS,
      });
      expect(await stacks.describe('CallhookNoSuchStack')).toBeUndefined();
    });

    it('lists the secrets the stack created across every page of ListStackResources', async () => {
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

    it('signs every request with SigV4, as AWS requires', () => {
      const actions = new Set(standIn.requests.map((r) => r.action));
      expect(actions).toContain('cloudformation:DescribeStacks');
      expect(actions).toContain('cloudformation:ListStackResources');
      expect(standIn.requests.every((r) => r.signed)).toBe(true);
    });
  });

  describe.skipIf(moto === undefined)('Against moto', () => {
    const aws = moto as RunningMoto;
    afterAll(() => aws.close());

    describe('Class: CloudFormationStacks', () => {
      it('reads the outputs of a stack moto created, as the stand-in answers them', async () => {
        // moto creates a stack with the stateless stack's outputs (it could not create the
        // synthesized stacks: it knows neither GlobalTable nor Secrets Manager's secrets).
        const cloudFormation = new CloudFormationClient(aws.clientConfig);
        await cloudFormation.send(
          new CreateStackCommand({
            StackName: 'CallhookStateless',
            TemplateBody: JSON.stringify({
              Resources: { Alarms: { Type: 'AWS::SNS::Topic', Properties: {} } },
              Outputs: Object.fromEntries(
                Object.entries(STATELESS_OUTPUTS).map(([key, value]) => [key, { Value: value }]),
              ),
            }),
          }),
        );
        cloudFormation.destroy();
        const stacks = new CloudFormationStacks(aws.clientConfig);

        expect(await stacks.describe('CallhookStateless')).toEqual({
          status: 'CREATE_COMPLETE',
          outputs: STATELESS_OUTPUTS,
        });
        expect(await stacks.describe('CallhookNoSuchStack')).toBeUndefined();
      });
    });

    describe('Class: SecretsManagerReader', () => {
      let shopifyArn: string | undefined;
      beforeAll(async () => {
        const secrets = new SecretsManagerClient(aws.clientConfig);
        ({ ARN: shopifyArn } = await secrets.send(
          new CreateSecretCommand({ Name: 'callhook/shopify', SecretString: 'generated' }),
        ));
        await secrets.send(
          new PutSecretValueCommand({ SecretId: 'callhook/shopify', SecretString: 'shpss_key' }),
        );
        await secrets.send(new CreateSecretCommand({ Name: 'callhook/fresh' }));
        await secrets.send(
          new CreateSecretCommand({ Name: 'callhook/leaving', SecretString: 'x' }),
        );
        await secrets.send(
          new DeleteSecretCommand({ SecretId: 'callhook/leaving', RecoveryWindowInDays: 7 }),
        );
        secrets.destroy();
      });

      it('reads the ARN, the labelled versions and the value of a secret', async () => {
        const secrets = new SecretsManagerReader(aws.clientConfig);

        expect(shopifyArn).toMatch(
          /^arn:aws:secretsmanager:us-east-1:\d{12}:secret:callhook\/shopify-/,
        );
        expect(await secrets.read('callhook/shopify')).toEqual({
          state: 'present',
          arn: shopifyArn,
          versions: 2,
          value: 'shpss_key',
        });
      });

      it('tells a missing secret, one scheduled for deletion, and one with no value yet', async () => {
        const secrets = new SecretsManagerReader(aws.clientConfig);

        expect(await secrets.read('callhook/none')).toEqual({ state: 'missing' });
        expect(await secrets.read('callhook/leaving')).toEqual({ state: 'scheduled_for_deletion' });
        // Created without a value: no version yet, so nothing labelled AWSCURRENT to read.
        expect(await secrets.read('callhook/fresh')).toMatchObject({
          state: 'present',
          versions: 0,
          value: undefined,
        });
      });
    });

    describe('Class: ParameterStoreReader', () => {
      beforeAll(async () => {
        const ssm = new SSMClient(aws.clientConfig);
        const put = (Name: string, Value: string, Type: 'SecureString' | 'String') =>
          ssm.send(new PutParameterCommand({ Name, Value, Type }));
        await put('/callhook/shopify', 'shpss_key', 'SecureString');
        await put('/callhook/plain', 'shpss_plain', 'String');
        ssm.destroy();
      });

      it("reads a parameter's type and its value decrypted, and a missing one as missing", async () => {
        const parameters = new ParameterStoreReader(aws.clientConfig);

        expect(await parameters.read('/callhook/shopify')).toEqual({
          state: 'present',
          type: 'SecureString',
          value: 'shpss_key',
        });
        expect(await parameters.read('/callhook/plain')).toEqual({
          state: 'present',
          type: 'String',
          value: 'shpss_plain',
        });
        expect(await parameters.read('/callhook/none')).toEqual({ state: 'missing' });
      });
    });

    describe('Class: LambdaProbeInvoker', () => {
      beforeAll(() => aws.createFunction('probe-fn'));

      it("returns the function's answer", async () => {
        await aws.queueLambdaResults([
          JSON.stringify({ egress_ips: ['203.0.113.7'], accounts: [] }),
        ]);
        const probe = new LambdaProbeInvoker(aws.clientConfig);

        expect(await probe.invoke('probe-fn')).toEqual({
          ok: true,
          payload: { egress_ips: ['203.0.113.7'], accounts: [] },
        });
      });

      it('returns the error type and message of a failed invocation', async () => {
        // Without Docker moto runs no code; the failure it makes is Lambda's own for an answer
        // over 6 MB (`X-Amz-Function-Error: Unhandled`, Lambda's error payload).
        await aws.queueLambdaResults([JSON.stringify({ big: 'x'.repeat(6_100_000) })]);
        const probe = new LambdaProbeInvoker(aws.clientConfig);

        expect(await probe.invoke('probe-fn')).toEqual({
          ok: false,
          error: 'Function.ResponseSizeTooLarge',
          message: expect.stringContaining('exceeded maximum allowed payload size'),
        });
      });

      it('throws the service error for a function that does not exist', async () => {
        const probe = new LambdaProbeInvoker(aws.clientConfig);

        // moto's Lambda without Docker answers any name; its Docker backend looks the name up.
        await aws.withDockerLambda(() =>
          expect(probe.invoke('no-such-fn')).rejects.toMatchObject({
            name: 'ResourceNotFoundException',
          }),
        );
      });
    });
  });
});
