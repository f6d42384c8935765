import type * as ClientSqs from '@aws-sdk/client-sqs';
import { requireSdkOnFirstUse } from './require-sdk.ts';

/** SQS's client, loaded on first use: the sweeper sends only to re-send a lost call. */
export const sqsSdk = requireSdkOnFirstUse<typeof ClientSqs>('@aws-sdk/client-sqs');

export type SQSClient = ClientSqs.SQSClient;
