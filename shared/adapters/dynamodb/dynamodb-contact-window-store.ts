import { contactKeyOf } from '../../guardrails/contact-key.ts';
import type {
  ContactWindowStore,
  WindowClaim,
  WindowEntry,
  WindowHolder,
} from '../../guardrails/contact-window.ts';
import type { DynamoDBDocumentClient } from '../aws/sdk/dynamodb.ts';
import { GetCommand, PutCommand, UpdateCommand } from '../aws/sdk/dynamodb.ts';
import { isConditionFailure } from './condition-failure.ts';
import { type DocumentClientSource, documentClientFrom } from './document-client.ts';

interface WindowItem extends WindowHolder {
  contact_key: string;
  /** Events merged into the window before its call was stored: call id → route. */
  merged: Record<string, string>;
  /** Epoch seconds: DynamoDB's TTL, which deletes lazily; `until` is what counts. */
  expires_at: number;
}

/** Claims lost to a window that ended or changed in between, before giving up. */
const MAX_RACES = 10;

/**
 * Events noted on one window at most: only events that arrive while its call is being stored
 * are noted, so this bounds the item's size against a flood, not a real count.
 */
const MAX_NOTES = 20;

/**
 * The contact windows, in the contacts table beside the per-number cap's items: one item per
 * group and number (`window#<group>#<HMAC of the number>`), naming the call that holds it and
 * until when. Every write is conditional on what the decision read.
 */
export class DynamoDbContactWindowStore implements ContactWindowStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #hashKey: () => Promise<string>;

  /** `hashKey`: the per-deployment key numbers are hashed with, the cap's own. */
  constructor(
    options: { tableName: string; hashKey: () => Promise<string> } & DocumentClientSource,
  ) {
    this.#client = documentClientFrom(options);
    this.#tableName = options.tableName;
    this.#hashKey = options.hashKey;
  }

  async #keyOf(group: string, contact: string): Promise<string> {
    return `window#${group}#${contactKeyOf(await this.#hashKey(), contact)}`;
  }

  async claim(
    group: string,
    contact: string,
    entry: WindowEntry,
    now: Date,
    windowMs: number,
  ): Promise<WindowClaim> {
    const key = await this.#keyOf(group, contact);
    for (let race = 0; race < MAX_RACES; race += 1) {
      // Most contacts have no open window: one conditional put.
      if (await this.#open(key, entry, now, windowMs, { kind: 'ended' })) return { kind: 'opened' };
      const item = await this.#read(key);
      // Ended or released between the put and the read: try again.
      if (item === undefined || item.until <= now.getTime()) continue;
      if (item.call_id === entry.call_id) return { kind: 'own' };
      const { call_id, route, at, until } = item;
      return { kind: 'held', holder: { call_id, route, at, until } };
    }
    throw new Error('the contact window is too contended to claim');
  }

  async takeOver(
    group: string,
    contact: string,
    holder: WindowHolder,
    entry: WindowEntry,
    now: Date,
    windowMs: number,
  ): Promise<boolean> {
    const key = await this.#keyOf(group, contact);
    return this.#open(key, entry, now, windowMs, { kind: 'held by', holder });
  }

  async release(group: string, contact: string, callId: string): Promise<void> {
    // An update, not a delete: the functions may only get, put and update the table's items.
    await this.#ifHeldBy(callId, {
      Key: { contact_key: await this.#keyOf(group, contact) },
      UpdateExpression: 'SET #until = :ended',
      ExpressionAttributeNames: { '#until': 'until' },
      ExpressionAttributeValues: { ':ended': 0 },
    });
  }

  async note(group: string, contact: string, holder: string, merged: WindowEntry): Promise<void> {
    await this.#ifHeldBy(
      holder,
      {
        Key: { contact_key: await this.#keyOf(group, contact) },
        UpdateExpression: 'SET merged.#merged = :route',
        ExpressionAttributeNames: { '#merged': merged.call_id },
        ExpressionAttributeValues: { ':route': merged.route, ':max': MAX_NOTES },
      },
      'size(merged) < :max',
    );
  }

  async merged(group: string, contact: string, callId: string): Promise<WindowEntry[]> {
    const item = await this.#read(await this.#keyOf(group, contact));
    if (item?.call_id !== callId) return [];
    return Object.entries(item.merged ?? {}).map(([call_id, route]) => ({ call_id, route }));
  }

  /** Writes the window for `entry` if it has ended, or is still held by `holder`. */
  async #open(
    key: string,
    entry: WindowEntry,
    now: Date,
    windowMs: number,
    over: { kind: 'ended' } | { kind: 'held by'; holder: WindowHolder },
  ): Promise<boolean> {
    const until = now.getTime() + windowMs;
    const item: WindowItem = {
      contact_key: key,
      call_id: entry.call_id,
      route: entry.route,
      at: now.getTime(),
      until,
      merged: {},
      expires_at: Math.ceil(until / 1000),
    };
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: item,
          ...(over.kind === 'ended'
            ? {
                ConditionExpression: 'attribute_not_exists(contact_key) OR #until <= :now',
                ExpressionAttributeNames: { '#until': 'until' },
                ExpressionAttributeValues: { ':now': now.getTime() },
              }
            : {
                // The very window that was read: its call and its start.
                ConditionExpression: 'call_id = :holder AND #at = :at',
                ExpressionAttributeNames: { '#at': 'at' },
                ExpressionAttributeValues: {
                  ':holder': over.holder.call_id,
                  ':at': over.holder.at,
                },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** An update of the window's item, made only while `callId` holds it. */
  async #ifHeldBy(
    callId: string,
    update: {
      Key: { contact_key: string };
      UpdateExpression: string;
      ExpressionAttributeNames: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
    },
    andAlso?: string,
  ): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          ...update,
          ConditionExpression: `call_id = :holder${andAlso === undefined ? '' : ` AND ${andAlso}`}`,
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':holder': callId },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async #read(key: string): Promise<WindowItem | undefined> {
    const reply = await this.#client.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: { contact_key: key },
        ConsistentRead: true,
      }),
    );
    return reply.Item as WindowItem | undefined;
  }
}
