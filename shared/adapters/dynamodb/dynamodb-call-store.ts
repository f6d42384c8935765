import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { appendHistory, type CallRecord, type SweptStatus } from '../../calls/call-record.ts';
import {
  type CallStore,
  type CreateOutcome,
  fromStates,
  type Transition,
} from '../../calls/call-store.ts';
import { isConditionFailure } from './condition-failure.ts';
import { type DocumentClientSource, documentClientFrom } from './document-client.ts';
import { CALLS_BY_SESSION, CALLS_BY_SWEEP } from './tables.ts';

const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** The calls table, one item per call, every write conditional. */
export class DynamoDbCallStore implements CallStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #now: () => Date;

  constructor(options: { tableName: string; now?: () => Date } & DocumentClientSource) {
    this.#client = documentClientFrom(options);
    this.#tableName = options.tableName;
    this.#now = options.now ?? (() => new Date());
  }

  async create(record: CallRecord, now: Date): Promise<CreateOutcome> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: record,
          // TTL deletes lazily, so an expired record may still be there: it counts as absent.
          ConditionExpression: 'attribute_not_exists(call_id) OR expires_at < :now',
          ExpressionAttributeValues: { ':now': epochSeconds(now) },
        }),
      );
      return { created: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const existing = await this.#read(record.call_id);
    // The record that beat us cannot vanish before its expiry; if it did, the table was edited by hand.
    if (existing === undefined) throw new Error(`call ${record.call_id} vanished during create`);
    return { created: false, existing };
  }

  /** An expired record is absent, whether or not TTL has deleted it yet. */
  async get(callId: string): Promise<CallRecord | undefined> {
    const record = await this.#read(callId);
    if (record === undefined || record.expires_at < epochSeconds(this.#now())) return undefined;
    return record;
  }

  async #read(callId: string): Promise<CallRecord | undefined> {
    const reply = await this.#client.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: { call_id: callId },
        ConsistentRead: true,
      }),
    );
    return reply.Item as CallRecord | undefined;
  }

  async transition(
    callId: string,
    transition: Transition,
    known?: CallRecord,
  ): Promise<CallRecord | undefined> {
    const current = known ?? (await this.get(callId));
    const from = fromStates(transition);
    if (current === undefined || !from.includes(current.status)) return undefined;
    const at = transition.at.toISOString();
    const history =
      transition.quiet === true
        ? current.history
        : appendHistory(current.history, {
            status: transition.to,
            at,
            ...(transition.reason !== undefined && { reason: transition.reason }),
          });
    const values: Record<string, unknown> = {
      ':from': current.status,
      ':to': transition.to,
      ':at': at,
      ':history': history,
      ':version': current.version,
      ':next': current.version + 1,
    };
    const names: Record<string, string> = { '#status': 'status' };
    const sets = ['#status = :to', 'updated_at = :at', 'history = :history', 'version = :next'];
    for (const [field, value] of Object.entries(transition.set ?? {})) {
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    // The version guards the history we computed from `current` against a concurrent writer;
    // the status we saw must still be the status (it was one of `from`).
    let condition = '#status = :from AND version = :version';
    if (transition.owner !== undefined) {
      condition += ' AND lease_owner = :owner';
      values[':owner'] = transition.owner;
    }
    // A field both set and removed is set: DynamoDB refuses overlapping paths in one update.
    const removes = (transition.remove ?? [])
      .filter((field) => transition.set?.[field] === undefined)
      .map((field) => {
        names[`#${field}`] = field;
        return `#${field}`;
      });
    try {
      const reply = await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { call_id: callId },
          UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return reply.Attributes as CallRecord;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // A stale `known` record decides nothing: judge again on what is stored now.
      return known === undefined ? undefined : this.transition(callId, transition);
    }
  }

  async listDue(status: SweptStatus, before: Date, limit: number): Promise<CallRecord[]> {
    const until = before.toISOString();
    const due = new Map<string, CallRecord>();
    let start: Record<string, unknown> | undefined;
    do {
      const reply = await this.#client.send(
        new QueryCommand({
          TableName: this.#tableName,
          IndexName: CALLS_BY_SWEEP,
          KeyConditionExpression: '#status = :status AND sweep_at <= :before',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':before': until },
          Limit: limit,
          ExclusiveStartKey: start,
        }),
      );
      // The index holds keys only: read each record as it is now (and skip expired ones).
      const records = await Promise.all(
        (reply.Items ?? []).map((item) => this.get(String(item.call_id))),
      );
      // An entry can be stale: behind the record on AWS (the index is eventually consistent),
      // or left beside it locally by a process killed between dynalite's index and item writes.
      // Only what the record says now counts, and an entry that says otherwise must not take a
      // due record's place in the page.
      for (const record of records) {
        if (record?.status === status && record.sweep_at !== undefined && record.sweep_at <= until)
          due.set(record.call_id, record);
      }
      start = reply.LastEvaluatedKey;
    } while (due.size < limit && start !== undefined);
    return [...due.values()].slice(0, limit);
  }

  async findBySession(sessionKey: string): Promise<CallRecord | undefined> {
    const reply = await this.#client.send(
      new QueryCommand({
        TableName: this.#tableName,
        IndexName: CALLS_BY_SESSION,
        KeyConditionExpression: 'session_key = :key',
        ExpressionAttributeValues: { ':key': sessionKey },
        Limit: 1,
      }),
    );
    const found = reply.Items?.[0] as CallRecord | undefined;
    // The index is eventually consistent: return the record as stored now.
    return found === undefined ? undefined : this.get(found.call_id);
  }
}
