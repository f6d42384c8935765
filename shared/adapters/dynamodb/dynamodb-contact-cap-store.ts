import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { admitCall, CAP_WINDOW_MS, type ContactCapStore } from '../../guardrails/contact-cap.ts';
import { isConditionFailure } from './condition-failure.ts';
import { type DocumentClientSource, documentClientFrom } from './document-client.ts';

interface CapItem {
  contact_key: string;
  /** call id → when it was admitted (epoch ms). */
  calls: Record<string, number>;
  version: number;
  expires_at: number;
}

const MAX_RACES = 25;

/** The number is stored hashed: the table answers "how many calls", not "which numbers". */
const contactKey = (contact: string): string =>
  createHash('sha256').update(`callhook-contact:${contact}`).digest('hex');

const expiresAt = (now: Date) => Math.ceil((now.getTime() + CAP_WINDOW_MS) / 1000);

const itemOf = (key: string, calls: CapItem['calls'], version: number, now: Date): CapItem => ({
  contact_key: key,
  calls,
  version,
  expires_at: expiresAt(now),
});

/** The contacts table: one item per number, holding the calls admitted in the last 24 hours. */
export class DynamoDbContactCapStore implements ContactCapStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: { tableName: string } & DocumentClientSource) {
    this.#client = documentClientFrom(options);
    this.#tableName = options.tableName;
  }

  async admit(contact: string, callId: string, now: Date, limit: number): Promise<boolean> {
    const key = contactKey(contact);
    // Most numbers are new; then a number with room; the read only when it may be full.
    if (await this.#admitFirst(key, callId, now)) return true;
    if (await this.#admitWithoutRead(key, callId, now, limit)) return true;
    return this.#admitByRead(key, callId, now, limit);
  }

  /** A number never seen (or forgotten): one conditional put. */
  async #admitFirst(key: string, callId: string, now: Date) {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: itemOf(key, { [callId]: now.getTime() }, 1, now),
          ConditionExpression: 'attribute_not_exists(contact_key)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * The common case in one conditional write: the number has a record with room (counting
   * entries not yet pruned, so this errs towards the read path), or the call is already on it.
   */
  async #admitWithoutRead(key: string, callId: string, now: Date, limit: number) {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { contact_key: key },
          UpdateExpression:
            'SET calls.#call = if_not_exists(calls.#call, :now), expires_at = :expires ADD version :one',
          ConditionExpression: 'attribute_exists(calls.#call) OR size(calls) < :limit',
          ExpressionAttributeNames: { '#call': callId },
          ExpressionAttributeValues: {
            ':now': now.getTime(),
            ':expires': expiresAt(now),
            ':one': 1,
            ':limit': limit,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** First call to a number, or a full record: prune what is older than 24 hours and decide. */
  async #admitByRead(key: string, callId: string, now: Date, limit: number): Promise<boolean> {
    for (let race = 0; race < MAX_RACES; race += 1) {
      const reply = await this.#client.send(
        new GetCommand({
          TableName: this.#tableName,
          Key: { contact_key: key },
          ConsistentRead: true,
        }),
      );
      const item = reply.Item as CapItem | undefined;
      const entries = Object.entries(item?.calls ?? {}).map(([call_id, at]) => ({ call_id, at }));
      const admission = admitCall(entries, callId, now, limit);
      if (!admission.admitted) return false;
      try {
        await this.#client.send(
          new PutCommand({
            TableName: this.#tableName,
            Item: itemOf(
              key,
              Object.fromEntries(admission.entries.map((entry) => [entry.call_id, entry.at])),
              (item?.version ?? 0) + 1,
              now,
            ),
            ConditionExpression:
              item === undefined ? 'attribute_not_exists(contact_key)' : 'version = :version',
            ...(item !== undefined && { ExpressionAttributeValues: { ':version': item.version } }),
          }),
        );
        return true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new Error('the per-number cap is too contended to update');
  }
}
