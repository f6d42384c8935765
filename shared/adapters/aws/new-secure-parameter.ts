import { type SSMClient, type SSMClientConfig, ssmSdk } from './sdk/ssm.ts';

/**
 * Puts a `SecureString` parameter (standard tier, the AWS-managed `aws/ssm` key) only where none
 * is: `Overwrite: false`, and a parameter that already exists is kept as it is. Says which.
 */
export const putNewSecureParameter = async (
  options: { client: SSMClient } | { clientConfig: SSMClientConfig },
  name: string,
  value: string,
): Promise<'created' | 'kept'> => {
  const sdk = ssmSdk();
  const client = 'client' in options ? options.client : new sdk.SSMClient(options.clientConfig);
  try {
    await client.send(
      new sdk.PutParameterCommand({
        Name: name,
        Value: value,
        Type: 'SecureString',
        Overwrite: false,
      }),
    );
    return 'created';
  } catch (error) {
    if (error instanceof sdk.ParameterAlreadyExists) return 'kept';
    throw error;
  } finally {
    if (!('client' in options)) client.destroy();
  }
};
