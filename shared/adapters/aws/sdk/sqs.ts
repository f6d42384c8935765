import type * as ClientSqs from '@aws-sdk/client-sqs';
import { requireSdk } from './require-sdk.ts';

let loaded: typeof ClientSqs | undefined;
/**
 * SQS's client, loaded with `require` on the first call rather than at import: a function that
 * sends only on some paths (the sweeper re-sending a lost call) does not pay for loading it in
 * every cold start. A function that sends on every invocation calls this at import
 * (`functions/<name>/lambda.ts`), so Lambda's init loads it before the first request.
 */
export const sqsSdk = (): typeof ClientSqs => {
  loaded ??= requireSdk<typeof ClientSqs>('@aws-sdk/client-sqs');
  return loaded;
};

export type SQSClient = ClientSqs.SQSClient;
