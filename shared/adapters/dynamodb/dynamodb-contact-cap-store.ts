import {
  admitCall,
  CAP_WINDOW_MS,
  type CapDecision,
  type CapEntry,
  type ContactCapStore,
} from '../../guardrails/contact-cap.ts';
import { contactKeyOf } from '../../guardrails/contact-key.ts';
import type { DynamoDBDocumentClient } from '../aws/sdk/dynamodb.ts';
import { GetCommand, PutCommand, UpdateCommand } from '../aws/sdk/dynamodb.ts';
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
  readonly #hashKey: () => Promise<string>;

  /** `hashKey`: the per-deployment key numbers are hashed with (read once, then kept). */
  constructor(
    options: { tableName: string; hashKey: () => Promise<string> } & DocumentClientSource,
  ) {
    this.#client = documentClientFrom(options);
    this.#tableName = options.tableName;
    this.#hashKey = options.hashKey;
  }

  async #keyOf(contact: string): Promise<string> {
    return contactKeyOf(await this.#hashKey(), contact);
  }

  async admit(contact: string, callId: string, now: Date, limit: number): Promise<CapDecision> {
    const key = await this.#keyOf(contact);
    // Most numbers are new; then a number with room; the read only when it may be full.
    if (await this.#admitFirst(key, callId, now)) return 'added';
    const withoutRead = await this.#admitWithoutRead(key, callId, now, limit);
    if (withoutRead !== 'refused') return withoutRead;
    return this.#admitByRead(key, callId, now, limit);
  }

  async counted(contact: string, now: Date): Promise<CapEntry[]> {
    const item = await this.#read(await this.#keyOf(contact));
    const since = now.getTime() - CAP_WINDOW_MS;
    return Object.entries(item?.calls ?? {})
      .map(([call_id, at]) => ({ call_id, at }))
      .filter((entry) => entry.at > since);
  }

  async release(contact: string, callId: string): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { contact_key: await this.#keyOf(contact) },
          UpdateExpression: 'REMOVE calls.#call ADD version :one',
          ConditionExpression: 'attribute_exists(calls.#call)',
          ExpressionAttributeNames: { '#call': callId },
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async #read(key: string): Promise<CapItem | undefined> {
    const reply = await this.#client.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: { contact_key: key },
        ConsistentRead: true,
      }),
    );
    return reply.Item as CapItem | undefined;
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
  async #admitWithoutRead(
    key: string,
    callId: string,
    now: Date,
    limit: number,
  ): Promise<CapDecision> {
    try {
      const reply = await this.#client.send(
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
          // The old value of the call's entry tells whether this write counted it.
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      const before = reply.Attributes as Partial<CapItem> | undefined;
      return before?.calls?.[callId] === undefined ? 'added' : 'counted';
    } catch (error) {
      if (isConditionFailure(error)) return 'refused';
      throw error;
    }
  }

  /** First call to a number, or a full record: prune what is older than 24 hours and decide. */
  async #admitByRead(key: string, callId: string, now: Date, limit: number): Promise<CapDecision> {
    for (let race = 0; race < MAX_RACES; race += 1) {
      const item = await this.#read(key);
      const entries = Object.entries(item?.calls ?? {}).map(([call_id, at]) => ({ call_id, at }));
      const admission = admitCall(entries, callId, now, limit);
      if (!admission.admitted) return 'refused';
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
        return admission.added ? 'added' : 'counted';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new Error('the per-number cap is too contended to update');
  }
}
