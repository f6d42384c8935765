import { randomBytes } from 'node:crypto';
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
import {
  GetParameterCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOwnKeysParameterHandler } from '../../functions/own-keys-parameter/handler.ts';
import { secretStore, uncachedSecretStore } from '../../functions/wiring/secrets.ts';
import { dispatchQueue } from '../../functions/wiring/sqs.ts';
import { putNewSecureParameter } from '../../shared/adapters/aws/new-secure-parameter.ts';
import { ParameterStoreSecrets } from '../../shared/adapters/aws/parameter-store-secrets.ts';
import { SecretsManagerStore } from '../../shared/adapters/aws/secrets-manager-store.ts';
import { DispatchMessage } from '../../shared/calls/dispatch-queue.ts';
import { OWN_KEYS_SECRET, ownKeyIn } from '../../shared/secrets/own-keys.ts';
import { SECRET_NAME_PREFIX_ENV } from '../../shared/secrets/prefixed-secret-store.ts';
import { SHAPE_CHECKS } from '../../shared/secrets/secret-shapes.ts';
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
      await put('/callhook/keys', '{"admin_key":"k"}');
    });
    afterAll(() => ssm.destroy());

    it("reads a SecureString parameter's value decrypted, under `/` and the secret's name", async () => {
      const store = new ParameterStoreSecrets({ clientConfig: aws.clientConfig });

      // moto, like SSM, answers a read without decryption with what it holds encrypted.
      await expect(store.get('callhook/shopify')).resolves.toBe('shpss_unstaged');
    });

    it('reads a plain String parameter too, and tells who listens that it is unencrypted', async () => {
      await put('/callhook/plain', 'shpss_plain', 'String');
      const unencrypted: string[] = [];
      const store = new ParameterStoreSecrets({
        clientConfig: aws.clientConfig,
        onUnencrypted: (parameter) => unencrypted.push(parameter),
      });

      await expect(store.get('callhook/plain')).resolves.toBe('shpss_plain');
      await store.get('callhook/shopify');
      expect(unencrypted).toEqual(['/callhook/plain']);
    });

    it('tells a missing parameter as not found, naming the parameter', async () => {
      const store = new ParameterStoreSecrets({ clientConfig: aws.clientConfig });

      const missing = await store.get('callhook/none').catch((error: unknown) => error);
      expect(missing).toBeInstanceOf(SecretNotFoundError);
      expect((missing as Error).message).toContain('"/callhook/none"');
    });

    it("reads the config's secrets and callhook/keys from Parameter Store when the stack says so", async () => {
      const env = { [SECRET_STORE_ENV]: 'parameter-store', [SECRET_NAME_PREFIX_ENV]: 'staging--' };
      await expect(uncachedSecretStore(env).get('callhook/shopify')).resolves.toBe('shpss_staged');
      const unstaged = uncachedSecretStore({ [SECRET_STORE_ENV]: 'parameter-store' });
      await expect(unstaged.get('callhook/shopify')).resolves.toBe('shpss_unstaged');
      await expect(unstaged.get(OWN_KEYS_SECRET)).resolves.toBe('{"admin_key":"k"}');
    });

    describe('The custom resource that puts callhook/keys (functions/own-keys-parameter)', () => {
      const onEvent = createOwnKeysParameterHandler({
        putNew: (name, value) =>
          putNewSecureParameter({ clientConfig: aws.clientConfig }, name, value),
        randomBytes,
      });
      const event = (RequestType: 'Create' | 'Update' | 'Delete', ParameterName: string) => ({
        RequestType,
        ResourceProperties: { ParameterName },
        ...(RequestType !== 'Create' && { PhysicalResourceId: ParameterName }),
      });
      const stored = async (name: string) => {
        const { Parameter } = await ssm.send(
          new GetParameterCommand({ Name: name, WithDecryption: true }),
        );
        return Parameter;
      };

      it('creates a SecureString whose value holds both keys, generated', async () => {
        await expect(onEvent(event('Create', '/prod--callhook/keys'))).resolves.toEqual({
          PhysicalResourceId: '/prod--callhook/keys',
        });
        const parameter = await stored('/prod--callhook/keys');
        expect(parameter?.Type).toBe('SecureString');
        // The shape the functions and the doctor check, each key its own slice.
        expect(SHAPE_CHECKS['own-keys'](parameter?.Value ?? '')).toBeUndefined();
        const keys = (['admin_key', 'contact_hash_key'] as const).map((key) =>
          ownKeyIn(parameter?.Value ?? '', key),
        );
        expect(keys[0]).not.toEqual(keys[1]);
        // And the functions read it there.
        const read = uncachedSecretStore({
          [SECRET_STORE_ENV]: 'parameter-store',
          [SECRET_NAME_PREFIX_ENV]: 'prod--',
        });
        await expect(read.get(OWN_KEYS_SECRET)).resolves.toBe(parameter?.Value);
      });

      it('keeps a parameter that exists (copied in a move) as it is, through Create, Update and Delete', async () => {
        const copied = '{"admin_key":"the-old-admin-key","contact_hash_key":"the-old-hash-key-1"}';
        await put('/moved--callhook/keys', copied);
        for (const type of ['Create', 'Update', 'Delete'] as const) {
          await onEvent(event(type, '/moved--callhook/keys'));
          expect((await stored('/moved--callhook/keys'))?.Value, type).toBe(copied);
        }
        // Nor does Update or Delete create one.
        await onEvent(event('Delete', '/gone--callhook/keys'));
        await expect(stored('/gone--callhook/keys')).rejects.toThrow(ParameterNotFound);
      });
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
