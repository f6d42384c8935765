import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  type SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager';
import type { SecretFacts, SecretReader } from '../ports.ts';

/**
 * A secret's facts through `DescribeSecret` (does it exist, is it being deleted, how many
 * versions) and `GetSecretValue` (the value, which goes no further than the doctor's checks).
 */
export class SecretsManagerReader implements SecretReader {
  readonly #client: SecretsManagerClient;

  constructor(config: SecretsManagerClientConfig = {}) {
    this.#client = new SecretsManagerClient(config);
  }

  async read(name: string): Promise<SecretFacts> {
    const described = await this.#client
      .send(new DescribeSecretCommand({ SecretId: name }))
      .catch((error: unknown) => {
        if (error instanceof ResourceNotFoundException) return undefined;
        throw error;
      });
    if (described === undefined) return { state: 'missing' };
    if (described.DeletedDate !== undefined) return { state: 'scheduled_for_deletion' };
    let value: string | undefined;
    try {
      value = (await this.#client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString;
    } catch (error) {
      // A secret created without any value yet has no AWSCURRENT version to read.
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    return {
      state: 'present',
      arn: described.ARN ?? name,
      versions: Object.keys(described.VersionIdsToStages ?? {}).length,
      value,
    };
  }
}
