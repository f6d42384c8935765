import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretStore, uncachedSecretStore } from '../../functions/wiring/secrets.ts';
import { dispatchQueue } from '../../functions/wiring/sqs.ts';
import { ParameterStoreSecrets } from '../../shared/adapters/aws/parameter-store-secrets.ts';
import { SecretsManagerStore } from '../../shared/adapters/aws/secrets-manager-store.ts';
import { DispatchMessage } from '../../shared/calls/dispatch-queue.ts';
import { OWN_KEYS_SECRET } from '../../shared/secrets/own-keys.ts';
import { SECRET_NAME_PREFIX_ENV } from '../../shared/secrets/prefixed-secret-store.ts';
import { SECRET_STORE_ENV } from '../../shared/secrets/secret-stores.ts';
import { SecretNotFoundError } from '../../shared/secrets/secrets.ts';
import { type RunningMoto, startMotoOrSkip } from '../support/moto-server.ts';

const moto = await startMotoOrSkip(
  'aws-adapters',
  "the SQS, Secrets Manager and Parameter Store adapters' tests",
);

/**
 * The functions' SQS, Secrets Manager and Parameter Store adapters as their wiring builds them (the real SDK
 * clients, configured from the environment as on Lambda), against moto.
 */
describe.skipIf(moto === undefined)('The AWS adapters, against moto', () => {
  const aws = moto as RunningMoto;
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, aws.env);
  });
  afterAll(async () => {
    process.env = saved;
    await aws.close();
  });

  describe('Class: SqsQueue, as the dispatch queue', () => {
    let sqs: SQSClient;
    let queueUrl: string;
    let deadLettersUrl: string;
    beforeAll(async () => {
      sqs = new SQSClient(aws.clientConfig);
      const created = async (name: string, attributes: Record<string, string> = {}) =>
        (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes })))
          .QueueUrl ?? '';
      deadLettersUrl = await created('DispatchDeadLetters');
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: deadLettersUrl, AttributeNames: ['QueueArn'] }),
      );
      // As the stateless stack makes it: five receives, then the dead letters.
      queueUrl = await created('Dispatch', {
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: Attributes?.QueueArn,
          maxReceiveCount: 5,
        }),
      });
      process.env.DISPATCH_QUEUE_URL = queueUrl;
    });
    afterAll(() => sqs.destroy());

    /** What Lambda's poller would get now (or within `waitSeconds`), hidden for `visibility`. */
    const receive = async (
      url: string,
      options: { waitSeconds?: number; visibility?: number } = {},
    ): Promise<Message[]> =>
      (
        await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: options.waitSeconds ?? 0,
            ...(options.visibility !== undefined && { VisibilityTimeout: options.visibility }),
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          }),
        )
      ).Messages ?? [];
    const bodies = (messages: Message[]) =>
      messages.map((m) => DispatchMessage.parse(JSON.parse(m.Body ?? '')));
    const deleteAll = (messages: Message[]) =>
      Promise.all(
        messages.map((m) =>
          sqs.send(
            new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }),
          ),
        ),
      );

    it('sends the message as JSON the consumer reads back', async () => {
      await dispatchQueue().send({ call_id: 'call-1' });

      const messages = await receive(queueUrl);
      expect(bodies(messages)).toEqual([{ call_id: 'call-1' }]);
      await deleteAll(messages);
    });

    it('hides a delayed message until its delay (rounded up to a second) is over', async () => {
      await dispatchQueue().send({ call_id: 'call-later' }, { delaySeconds: 0.4 });

      expect(await receive(queueUrl)).toEqual([]);
      const messages = await receive(queueUrl, { waitSeconds: 3 });
      expect(bodies(messages)).toEqual([{ call_id: 'call-later' }]);
      await deleteAll(messages);
    });

    it("sends a delay past SQS's 15 minutes as 15 minutes, which SQS accepts", async () => {
      // SQS refuses a DelaySeconds over 900; the adapter caps it.
      await expect(
        dispatchQueue().send({ call_id: 'call-far' }, { delaySeconds: 3_600 }),
      ).resolves.toBeUndefined();
      expect(await receive(queueUrl)).toEqual([]);
    });

    it('delivers a message whose handling failed again after its visibility timeout', async () => {
      await dispatchQueue().send({ call_id: 'call-retried' });

      // Received and not deleted: what the consumer does with a message it reports as failed.
      const first = await receive(queueUrl, { visibility: 1 });
      expect(bodies(first)).toEqual([{ call_id: 'call-retried' }]);
      expect(await receive(queueUrl)).toEqual([]);

      const again = await receive(queueUrl, { waitSeconds: 3 });
      expect(bodies(again)).toEqual([{ call_id: 'call-retried' }]);
      expect(again[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
      await deleteAll(again);
      expect(await receive(queueUrl)).toEqual([]);
    });

    it('moves a message that failed five times to the dead letters', async () => {
      await dispatchQueue().send({ call_id: 'call-poison' });

      for (let i = 0; i < 5; i += 1) {
        // Visible again at once: five failed deliveries without waiting out a timeout.
        expect(bodies(await receive(queueUrl, { visibility: 0 }))).toEqual([
          { call_id: 'call-poison' },
        ]);
      }
      expect(await receive(queueUrl)).toEqual([]);
      expect(bodies(await receive(deadLettersUrl))).toEqual([{ call_id: 'call-poison' }]);
    });
  });

  describe('Class: SecretsManagerStore', () => {
    beforeAll(async () => {
      const secrets = new SecretsManagerClient(aws.clientConfig);
      const put = async (name: string, value: string) => {
        await secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'generated' }));
        await secrets.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
      };
      await put('staging--callhook/uis-access-key', '{"access_token":"staged"}');
      await put('callhook/uis-access-key', '{"access_token":"unstaged"}');
      await secrets.send(new CreateSecretCommand({ Name: 'callhook/no-value-yet' }));
      secrets.destroy();
    });

    it("reads a secret's current value", async () => {
      const store = new SecretsManagerStore({ clientConfig: aws.clientConfig });

      await expect(store.get('callhook/uis-access-key')).resolves.toBe(
        '{"access_token":"unstaged"}',
      );
    });

    it('tells a missing secret, and one with no value yet, as not found', async () => {
      const store = new SecretsManagerStore({ clientConfig: aws.clientConfig });

      const missing = await store.get('callhook/none').catch((error: unknown) => error);
      expect(missing).toBeInstanceOf(SecretNotFoundError);
      expect((missing as Error).message).toContain('callhook/none');
      await expect(store.get('callhook/no-value-yet')).rejects.toBeInstanceOf(SecretNotFoundError);
    });

    describe("A function's secrets on a staged deployment", () => {
      it("reads the config's name under the prefix the CDK app sets", async () => {
        const store = secretStore({ [SECRET_NAME_PREFIX_ENV]: 'staging--' });
        await expect(store.get('callhook/uis-access-key')).resolves.toBe(
          '{"access_token":"staged"}',
        );
      });

      it('reads it as named without a stage', async () => {
        await expect(secretStore({}).get('callhook/uis-access-key')).resolves.toBe(
          '{"access_token":"unstaged"}',
        );
      });
    });
  });
  describe('Class: ParameterStoreSecrets', () => {
    let ssm: SSMClient;
    const put = (name: string, value: string, type: 'SecureString' | 'String' = 'SecureString') =>
      ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: type, Overwrite: true }));
    beforeAll(async () => {
      ssm = new SSMClient(aws.clientConfig);
      await put('/callhook/shopify', 'shpss_unstaged');
      await put('/staging--callhook/shopify', 'shpss_staged');
      // The keys secret stays in Secrets Manager with parameter-store.
      const secrets = new SecretsManagerClient(aws.clientConfig);
      await secrets.send(
        new CreateSecretCommand({ Name: OWN_KEYS_SECRET, SecretString: '{"admin_key":"k"}' }),
      );
      secrets.destroy();
    });
    afterAll(() => ssm.destroy());

    it("reads a SecureString parameter's value decrypted, under `/` and the secret's name", async () => {
      const store = new ParameterStoreSecrets({ clientConfig: aws.clientConfig });

      // moto, like SSM, answers a read without decryption with what it holds encrypted.
      await expect(store.get('callhook/shopify')).resolves.toBe('shpss_unstaged');
    });

    it('tells a missing parameter as not found, naming the parameter', async () => {
      const store = new ParameterStoreSecrets({ clientConfig: aws.clientConfig });

      const missing = await store.get('callhook/none').catch((error: unknown) => error);
      expect(missing).toBeInstanceOf(SecretNotFoundError);
      expect((missing as Error).message).toContain('"/callhook/none"');
    });

    it("reads the config's secrets from Parameter Store and callhook/keys from Secrets Manager when the stack says so", async () => {
      const env = { [SECRET_STORE_ENV]: 'parameter-store', [SECRET_NAME_PREFIX_ENV]: 'staging--' };
      await expect(uncachedSecretStore(env).get('callhook/shopify')).resolves.toBe('shpss_staged');
      const unstaged = uncachedSecretStore({ [SECRET_STORE_ENV]: 'parameter-store' });
      await expect(unstaged.get('callhook/shopify')).resolves.toBe('shpss_unstaged');
      await expect(unstaged.get(OWN_KEYS_SECRET)).resolves.toBe('{"admin_key":"k"}');
    });

    it('keeps a value five minutes in a function, where the probe reads the new one at once', async () => {
      await put('/callhook/rotated', 'shpss_old');
      const env = { [SECRET_STORE_ENV]: 'parameter-store' };
      const cached = secretStore(env);
      await expect(cached.get('callhook/rotated')).resolves.toBe('shpss_old');

      await put('/callhook/rotated', 'shpss_new');

      await expect(cached.get('callhook/rotated')).resolves.toBe('shpss_old');
      await expect(uncachedSecretStore(env).get('callhook/rotated')).resolves.toBe('shpss_new');
    });
  });
});
