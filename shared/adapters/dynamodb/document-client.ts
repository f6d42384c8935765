import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBClient, DynamoDBDocumentClient } from '../aws/sdk/dynamodb.ts';

/** Either a ready client or the config to build one, never both. */
export type DocumentClientSource =
  | { client: DynamoDBDocumentClient; clientConfig?: never }
  | { client?: never; clientConfig: DynamoDBClientConfig };

export const documentClientFrom = (source: DocumentClientSource): DynamoDBDocumentClient =>
  source.client ??
  DynamoDBDocumentClient.from(new DynamoDBClient(source.clientConfig), {
    marshallOptions: { removeUndefinedValues: true },
  });
