import type * as ClientSqs from '@aws-sdk/client-sqs';
import { requireSdk } from './require-sdk.ts';

/** SQS's client, loaded with `require`. */
export const { SQSClient, SendMessageCommand } =
  requireSdk<typeof ClientSqs>('@aws-sdk/client-sqs');

export type SQSClient = ClientSqs.SQSClient;
