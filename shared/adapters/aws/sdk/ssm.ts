import type * as ClientSsm from '@aws-sdk/client-ssm';
import { requireSdkOnFirstUse } from './require-sdk.ts';

/**
 * SSM's client, loaded on first use: only a deployment with `secretStore=parameter-store` reads
 * Parameter Store, and every other deployment's functions must not pay its load.
 */
export const ssmSdk: () => Pick<
  typeof ClientSsm,
  | 'SSMClient'
  | 'GetParameterCommand'
  | 'ParameterNotFound'
  | 'PutParameterCommand'
  | 'ParameterAlreadyExists'
> = requireSdkOnFirstUse<typeof ClientSsm>('@aws-sdk/client-ssm');

export type SSMClient = ClientSsm.SSMClient;
export type SSMClientConfig = ClientSsm.SSMClientConfig;
