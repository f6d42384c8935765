import {
  GetParameterCommand,
  ParameterNotFound,
  SSMClient,
  type SSMClientConfig,
} from '@aws-sdk/client-ssm';
import type { ParameterFacts, ParameterReader } from '../ports.ts';

/**
 * A parameter's facts through `GetParameter` with decryption: does it exist, its type, and its
 * value, which goes no further than the doctor's shape checks.
 */
export class ParameterStoreReader implements ParameterReader {
  readonly #client: SSMClient;

  constructor(config: SSMClientConfig = {}) {
    this.#client = new SSMClient(config);
  }

  async read(name: string): Promise<ParameterFacts> {
    try {
      const { Parameter } = await this.#client.send(
        new GetParameterCommand({ Name: name, WithDecryption: true }),
      );
      return { state: 'present', type: Parameter?.Type ?? 'String', value: Parameter?.Value ?? '' };
    } catch (error) {
      if (error instanceof ParameterNotFound) return { state: 'missing' };
      throw error;
    }
  }
}
