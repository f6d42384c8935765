import type { CallbackLog } from '../../callbacks/callback-log.ts';
import {
  appendHistory,
  type CallbackDelivery,
  type CallRecord,
  type SweptStatus,
} from '../../calls/call-record.ts';
import type {
  CallPage,
  CallQuery,
  CallStore,
  CreateOutcome,
  Decide,
  ListPosition,
  Updated,
} from '../../calls/call-store.ts';
import { withEscalationDue } from '../../calls/escalation.ts';
import { appliesTo, type Change, ruleOf, statusAfter, writeOf } from '../../calls/lifecycle.ts';
import type { DynamoDBDocumentClient } from '../aws/sdk/dynamodb.ts';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '../aws/sdk/dynamodb.ts';
import { isConditionFailure, storedItemOf } from './condition-failure.ts';
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

/**
 * Writes one decision may lose to other writers before it gives up: each loss means another
 * writer changed the call, and a call changes a handful of times in its life.
 */
const MAX_UPDATE_TRIES = 10;

/** The config's default `retention_days`. */
const DEFAULT_DELIVERY_LOG_DAYS = 30;

/** The calls table, one item per call, every write conditional. */
export class DynamoDbCallStore implements CallStore, CallbackLog {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #now: () => Date;
  readonly #deliveryLogDays: number;

  constructor(
    options: {
      tableName: string;
      now?: () => Date;
      /** How long a call's delivery log is kept after its last delivery: the calls' retention. */
      deliveryLogDays?: number;
    } & DocumentClientSource,
  ) {
    this.#client = documentClientFrom(options);
    this.#tableName = options.tableName;
    this.#now = options.now ?? (() => new Date());
    this.#deliveryLogDays = options.deliveryLogDays ?? DEFAULT_DELIVERY_LOG_DAYS;
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
    return this.#unexpired(await this.#read(callId));
  }

  #unexpired(record: CallRecord | undefined): CallRecord | undefined {
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

  async update(callId: string, decide: Decide, known?: CallRecord): Promise<Updated> {
    let current = known ?? (await this.get(callId));
    for (let tries = 1; ; tries += 1) {
      if (current === undefined) return { kind: 'absent' };
      // Whatever the decision, the write that settles a call makes its escalation due with it.
      const decided = withEscalationDue(current, decide(current));
      if (decided === undefined) return { kind: 'unchanged', record: current };
      if (!appliesTo(decided.name, current.status)) {
        // A decision the table forbids is a bug in the decision, never a state of the world.
        throw new Error(`${decided.name} does not apply to a ${current.status} call`);
      }
      const written = await this.#write(current, decided);
      if (written.kind === 'written') {
        return { kind: 'changed', record: written.record, previous: current, change: decided };
      }
      if (tries >= MAX_UPDATE_TRIES) {
        throw new Error(`call ${callId} kept changing: ${tries} writes lost`);
      }
      // Another writer came first: decide again on what it wrote. DynamoDB returns the record
      // that refused the write; an engine that does not (dynalite, DynamoDB Local) costs a read.
      current =
        written.stored === undefined ? await this.get(callId) : this.#unexpired(written.stored);
    }
  }

  /**
   * Writes `c` over `current` if the record is still at its version. If not, says so, with the
   * record as stored when the engine returns it (`stored`; absent: the call is gone, or the
   * engine returned nothing).
   */
  async #write(current: CallRecord, c: Change): Promise<Written> {
    const rule = ruleOf(c.name);
    const at = c.at.toISOString();
    const to = statusAfter(c.name, current.status);
    const history =
      rule.history === 'quiet'
        ? current.history
        : appendHistory(current.history, {
            status: to,
            at,
            ...(c.reason !== undefined && { reason: c.reason }),
          });
    const { set, remove } = writeOf(c);
    const values: Record<string, unknown> = {
      ':to': to,
      ':at': at,
      ':version': current.version,
      ':next': current.version + 1,
    };
    const names: Record<string, string> = { '#status': 'status' };
    const sets = ['#status = :to', 'updated_at = :at', 'version = :next'];
    if (history !== current.history) {
      values[':history'] = history;
      sets.push('history = :history');
    }
    for (const [field, value] of Object.entries(set)) {
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    const removes = remove.map((field) => {
      names[`#${field}`] = field;
      return `#${field}`;
    });
    try {
      const reply = await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { call_id: current.call_id },
          UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
          // The version alone guards everything the decision read.
          ConditionExpression: 'version = :version',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { kind: 'written', record: recordOf(reply.Attributes) as CallRecord };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { kind: 'lost', stored: recordOf(storedItemOf(error)) };
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

  /**
   * One small item per call beside its record (`<call id>#callbacks`, one attribute per webhook):
   * a write is billed at the log's size (under 1 KB: one unit), where an entry in the record was
   * billed at the record's. No index sees it (it has none of their keys), and TTL removes it.
   */
  async recordDelivery(callId: string, delivery: CallbackDelivery): Promise<void> {
    const expiresAt = epochSeconds(this.#now()) + this.#deliveryLogDays * 86_400;
    // A later attempt already kept wins: a redelivered message may finish after its successor.
    await succeeds(
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { call_id: deliveryLogKey(callId) },
          UpdateExpression: 'SET #delivery = :delivery, expires_at = :expires',
          ConditionExpression: 'attribute_not_exists(#delivery) OR #delivery.attempts <= :attempts',
          ExpressionAttributeNames: { '#delivery': `${DELIVERY}${delivery.webhook_id}` },
          ExpressionAttributeValues: {
            ':delivery': delivery,
            ':attempts': delivery.attempts,
            ':expires': expiresAt,
          },
        }),
      ),
    );
  }

  async deliveriesOf(callId: string): Promise<Record<string, CallbackDelivery>> {
    const reply = await this.#client.send(
      new GetCommand({ TableName: this.#tableName, Key: { call_id: deliveryLogKey(callId) } }),
    );
    const deliveries: Record<string, CallbackDelivery> = {};
    for (const [name, value] of Object.entries(reply.Item ?? {})) {
      if (name.startsWith(DELIVERY)) {
        deliveries[name.slice(DELIVERY.length)] = value as CallbackDelivery;
      }
    }
    return deliveries;
  }
}

/** The key of a call's delivery log: never a call id, which has no `#`. */
const deliveryLogKey = (callId: string): string => `${callId}#callbacks`;
/** The prefix of a delivery's attribute, so no webhook id meets `call_id` or `expires_at`. */
const DELIVERY = 'delivery:';

type Written =
  | { kind: 'written'; record: CallRecord }
  | { kind: 'lost'; stored: CallRecord | undefined };

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
