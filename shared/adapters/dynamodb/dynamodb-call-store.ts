import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CallbackLog } from '../../callbacks/callback-log.ts';
import {
  appendHistory,
  type CallbackDelivery,
  type CallRecord,
  type SweptStatus,
} from '../../calls/call-record.ts';
import {
  type CallPage,
  type CallQuery,
  type CallStore,
  type CreateOutcome,
  fromStates,
  type ListPosition,
  type Transition,
} from '../../calls/call-store.ts';
import { isConditionFailure } from './condition-failure.ts';
import { type DocumentClientSource, documentClientFrom } from './document-client.ts';
import { CALLS_BY_CREATED, CALLS_BY_SESSION, CALLS_BY_SWEEP, LISTED } from './tables.ts';

const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** The item as the domain sees it: without `listed`, the list index's key. */
const recordOf = (item: Record<string, unknown> | undefined): CallRecord | undefined => {
  if (item === undefined) return undefined;
  const { listed: _, ...record } = item;
  return record as unknown as CallRecord;
};

/** Index entries one `list` reads per query when filters may drop some of them. */
const FILTERED_PAGE = 100;
/** Queries one `list` makes at most before answering a short page with a position. */
const MAX_LIST_QUERIES = 5;

/** The calls table, one item per call, every write conditional. */
export class DynamoDbCallStore implements CallStore, CallbackLog {
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
          // `listed` puts every record in the operators' list (`by-created`).
          Item: { ...record, listed: LISTED },
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
    return recordOf(reply.Item);
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
      return recordOf(reply.Attributes) as CallRecord;
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

  async list(query: CallQuery): Promise<CallPage> {
    const names: Record<string, string> = { '#listed': 'listed' };
    const values: Record<string, unknown> = { ':listed': LISTED };
    let keyCondition = '#listed = :listed';
    if (query.since !== undefined) values[':since'] = query.since;
    if (query.until !== undefined) values[':until'] = query.until;
    if (query.since !== undefined && query.until !== undefined)
      keyCondition += ' AND #created BETWEEN :since AND :until';
    else if (query.since !== undefined) keyCondition += ' AND #created >= :since';
    else if (query.until !== undefined) keyCondition += ' AND #created <= :until';
    if (query.since !== undefined || query.until !== undefined) names['#created'] = 'created_at';
    // `route` and `contact_last4` are in the index and never change: filtered in the query.
    const filters: string[] = [];
    if (query.route !== undefined) {
      names['#route'] = 'route';
      values[':route'] = query.route;
      filters.push('#route = :route');
    }
    if (query.contactLast4 !== undefined) {
      values[':last4'] = query.contactLast4;
      filters.push('contact_last4 = :last4');
    }
    // `status` changes: it is judged on the record as it is now.
    const statuses = query.statuses;
    const matches = (record: CallRecord | undefined): record is CallRecord =>
      record !== undefined && (statuses === undefined || statuses.includes(record.status));
    const filtered = filters.length > 0 || statuses !== undefined;
    const positionOf = (item: Record<string, unknown>): ListPosition => ({
      created_at: String(item.created_at),
      call_id: String(item.call_id),
    });

    const found: CallRecord[] = [];
    let start: Record<string, unknown> | undefined =
      query.after === undefined ? undefined : { listed: LISTED, ...query.after };
    for (let queries = 0; queries < MAX_LIST_QUERIES; queries++) {
      const reply = await this.#client.send(
        new QueryCommand({
          TableName: this.#tableName,
          IndexName: CALLS_BY_CREATED,
          KeyConditionExpression: keyCondition,
          ...(filters.length > 0 && { FilterExpression: filters.join(' AND ') }),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          // Unfiltered, one entry past the page says whether there is a next one.
          Limit: filtered ? FILTERED_PAGE : query.limit - found.length + 1,
          ExclusiveStartKey: start,
        }),
      );
      const items = reply.Items ?? [];
      // The index holds the keys: read each record as it is now, no more than the page needs.
      for (let i = 0; i < items.length; ) {
        const chunk = items.slice(i, i + query.limit - found.length);
        const records = await Promise.all(chunk.map((item) => this.get(String(item.call_id))));
        for (const [j, record] of records.entries()) {
          if (matches(record)) found.push(record);
          if (found.length === query.limit) {
            const more = i + j + 1 < items.length || reply.LastEvaluatedKey !== undefined;
            return { records: found, ...(more && { next: positionOf(chunk[j] ?? {}) }) };
          }
        }
        i += chunk.length;
      }
      start = reply.LastEvaluatedKey;
      if (start === undefined) return { records: found };
    }
    // Filters that matched little: a short page, and where to go on from.
    return { records: found, ...(start !== undefined && { next: positionOf(start) }) };
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

  async recordDelivery(callId: string, delivery: CallbackDelivery): Promise<void> {
    const names = { '#log': 'callback_log', '#id': delivery.webhook_id };
    // A later attempt already kept wins: a redelivered message may finish after its successor.
    const intoLog = () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { call_id: callId },
          UpdateExpression: 'SET #log.#id = :delivery',
          ConditionExpression:
            'attribute_exists(#log) AND (attribute_not_exists(#log.#id) OR #log.#id.attempts <= :attempts)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':delivery': delivery, ':attempts': delivery.attempts },
        }),
      );
    if (await succeeds(intoLog())) return;
    // The call's first delivery starts its log, unless a concurrent one just did.
    const started = await succeeds(
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { call_id: callId },
          UpdateExpression: 'SET #log = :log',
          ConditionExpression: 'attribute_exists(call_id) AND attribute_not_exists(#log)',
          ExpressionAttributeNames: { '#log': 'callback_log' },
          ExpressionAttributeValues: { ':log': { [delivery.webhook_id]: delivery } },
        }),
      ),
    );
    // Either the log exists now (the first write decides again) or the call does not.
    if (!started) await succeeds(intoLog());
  }
}

/** Whether a conditional write applied: a refused condition is an answer, anything else throws. */
const succeeds = async (write: Promise<unknown>): Promise<boolean> => {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};
