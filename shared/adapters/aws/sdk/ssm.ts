import type * as ClientSsm from '@aws-sdk/client-ssm';
import { requireSdk } from './require-sdk.ts';

let loaded: typeof ClientSsm | undefined;

/**
 * SSM's client, loaded with `require` on first use rather than when the module is imported, as
 * the other clients are: only a deployment with `secretStore=parameter-store` reads Parameter
 * Store, and the functions of every other deployment must not pay its load in their import time.
 */
export const ssmSdk = (): Pick<
  typeof ClientSsm,
  | 'SSMClient'
  | 'GetParameterCommand'
  | 'ParameterNotFound'
  | 'PutParameterCommand'
  | 'ParameterAlreadyExists'
> => {
  loaded ??= requireSdk<typeof ClientSsm>('@aws-sdk/client-ssm');
  return loaded;
};

export type SSMClient = ClientSsm.SSMClient;
export type SSMClientConfig = ClientSsm.SSMClientConfig;
