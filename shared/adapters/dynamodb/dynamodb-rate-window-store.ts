import { contactKeyOf } from '../../guardrails/contact-key.ts';
import {
  admitToWindow,
  type RateLimit,
  type RateWindowStore,
} from '../../guardrails/rate-window.ts';
import type { DynamoDBDocumentClient } from '../aws/sdk/dynamodb.ts';
import { GetCommand, PutCommand } from '../aws/sdk/dynamodb.ts';
import { isConditionFailure } from './condition-failure.ts';
import { type DocumentClientSource, documentClientFrom } from './document-client.ts';

interface WindowItem {
  contact_key: string;
  /** request id → when it was counted (epoch ms). */
  entries: Record<string, number>;
  version: number;
  /** Epoch seconds: DynamoDB's TTL deletes a quiet subject's item once its window has passed. */
  expires_at: number;
}

/** Writes lost to another request for the same subject, before giving up. */
const MAX_RACES = 25;

/**
 * The browser forms' sliding windows, in the contacts table beside the per-number cap: one item
 * per scope and subject (`rate#<scope>#<HMAC of the subject>`), holding the requests counted in
 * the window. A decision is a consistent read and a write conditional on the version it read.
 */
export class DynamoDbRateWindowStore implements RateWindowStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #hashKey: () => Promise<string>;

  /** `hashKey`: the per-deployment key the contacts table's numbers are hashed with. */
  constructor(
    options: { tableName: string; hashKey: () => Promise<string> } & DocumentClientSource,
  ) {
    this.#client = documentClientFrom(options);
    this.#tableName = options.tableName;
    this.#hashKey = options.hashKey;
  }

  async admit(
    scope: string,
    subject: string,
    id: string,
    now: Date,
    limit: RateLimit,
  ): Promise<{ admitted: true } | { admitted: false; retryAfterMs: number }> {
    const key = `rate#${scope}#${contactKeyOf(await this.#hashKey(), subject)}`;
    for (let race = 0; race < MAX_RACES; race += 1) {
      const reply = await this.#client.send(
        new GetCommand({
          TableName: this.#tableName,
          Key: { contact_key: key },
          ConsistentRead: true,
        }),
      );
      const item = reply.Item as WindowItem | undefined;
      const entries = Object.entries(item?.entries ?? {}).map(([entryId, at]) => ({
        id: entryId,
        at,
      }));
      const decision = admitToWindow(entries, id, now, limit);
      if (!decision.admitted) return decision;
      // Already counted, and the item holds it: nothing to write.
      if (item !== undefined && decision.entries.length === entries.length && id in item.entries) {
        return { admitted: true };
      }
      try {
        await this.#client.send(
          new PutCommand({
            TableName: this.#tableName,
            Item: {
              contact_key: key,
              entries: Object.fromEntries(decision.entries.map((entry) => [entry.id, entry.at])),
              version: (item?.version ?? 0) + 1,
              expires_at: Math.ceil((now.getTime() + limit.windowMs) / 1000),
            } satisfies WindowItem,
            ConditionExpression:
              item === undefined ? 'attribute_not_exists(contact_key)' : 'version = :version',
            ...(item !== undefined && { ExpressionAttributeValues: { ':version': item.version } }),
          }),
        );
        return { admitted: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new Error('the rate window is too contended to update');
  }
}
