import type * as ClientDynamoDb from '@aws-sdk/client-dynamodb';
import type * as LibDynamoDb from '@aws-sdk/lib-dynamodb';
import type * as UtilDynamoDb from '@aws-sdk/util-dynamodb';
import { requireSdk } from './require-sdk.ts';

/** DynamoDB's client, document client and (un)marshalling, loaded with `require`. */
export const { DynamoDBClient, ConditionalCheckFailedException } = requireSdk<
  typeof ClientDynamoDb
>('@aws-sdk/client-dynamodb');
export const { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } =
  requireSdk<typeof LibDynamoDb>('@aws-sdk/lib-dynamodb');
export const { unmarshall } = requireSdk<typeof UtilDynamoDb>('@aws-sdk/util-dynamodb');

export type DynamoDBDocumentClient = LibDynamoDb.DynamoDBDocumentClient;
