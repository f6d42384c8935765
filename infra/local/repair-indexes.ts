import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  paginateScan,
  type ScanCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../../shared/adapters/dynamodb/condition-failure.ts';
import { CALLS_BY_SESSION, CALLS_BY_SWEEP } from '../../shared/adapters/dynamodb/tables.ts';
import { SWEPT_STATUSES, type SweptStatus } from '../../shared/calls/call-record.ts';

export interface IndexRepairReport {
  /** Records written again so their missing index entries exist. */
  reindexed: number;
  /** Records given the `sweep_at` their state implies (a lease's expiry, a due time). */
  resweepable: number;
  /**
   * Index entries naming a record that no longer has those keys. The API cannot delete them;
   * readers go by the record, so they cost a read and nothing else.
   */
  stale: number;
}

interface Stored {
  call_id: string;
  status: string;
  version: number;
  sweep_at?: string;
  session_key?: string;
  lease_expires_at?: string;
  due_at?: string;
}

/** When the sweeper must look at a record in a state that always has a time to look. */
const impliedSweepAt = (item: Stored): string | undefined => {
  if (item.status === 'dialing') return item.lease_expires_at;
  if (item.status === 'scheduled') return item.due_at;
  return undefined;
};

const entryOf = (...parts: string[]) => parts.join('\u0000');

/**
 * dynalite writes an item's index entries and then the item as separate LevelDB writes, so a
 * local runtime killed in between leaves the old item without its index entry (or beside an
 * entry for a version never written). On DynamoDB the index follows the item on its own; on a
 * persisted local table, start-up compares the two and writes each record whose entry is
 * missing again, unchanged but for its version, so dynalite indexes it afresh. A record the
 * sweeper must see but that lacks the `sweep_at` to be indexed by (a `dialing` lease, a
 * `scheduled` due time) gets it. The sweeper then handles them as any other: an expired lease
 * becomes `unknown` (or, for JAICP, `queued` again). Every write is conditional on the version
 * read, so a record changed meanwhile is left to whoever changed it.
 */
export const repairIndexes = async (
  clientConfig: DynamoDBClientConfig,
  tableName: string,
): Promise<IndexRepairReport> => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig));
  const report: IndexRepairReport = { reindexed: 0, resweepable: 0, stale: 0 };
  const scan = async function* (input: Omit<ScanCommandInput, 'TableName'>) {
    for await (const page of paginateScan({ client }, { TableName: tableName, ...input })) {
      for (const item of page.Items ?? []) yield item;
    }
  };
  try {
    const sweepEntries = new Set<string>();
    for await (const item of scan({ IndexName: CALLS_BY_SWEEP })) {
      sweepEntries.add(entryOf(String(item.call_id), String(item.status), String(item.sweep_at)));
    }
    const sessionEntries = new Set<string>();
    for await (const item of scan({ IndexName: CALLS_BY_SESSION })) {
      sessionEntries.add(entryOf(String(item.call_id), String(item.session_key)));
    }

    const expected = new Set<string>();
    const projection = {
      ProjectionExpression:
        'call_id, #status, version, sweep_at, session_key, lease_expires_at, due_at',
      ExpressionAttributeNames: { '#status': 'status' },
    };
    for await (const raw of scan(projection)) {
      const item = raw as Stored;
      const swept = SWEPT_STATUSES.includes(item.status as SweptStatus);
      const implied = item.sweep_at === undefined && swept ? impliedSweepAt(item) : undefined;
      const sweepEntry =
        item.sweep_at === undefined ? undefined : entryOf(item.call_id, item.status, item.sweep_at);
      const sessionEntry =
        item.session_key === undefined ? undefined : entryOf(item.call_id, item.session_key);
      if (sweepEntry !== undefined) expected.add(sweepEntry);
      if (sessionEntry !== undefined) expected.add(sessionEntry);
      const missing =
        (sweepEntry !== undefined && !sweepEntries.has(sweepEntry)) ||
        (sessionEntry !== undefined && !sessionEntries.has(sessionEntry));
      if (implied === undefined && !missing) continue;
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { call_id: item.call_id },
            UpdateExpression:
              implied === undefined
                ? 'SET version = :next'
                : 'SET version = :next, sweep_at = :sweep_at',
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: {
              ':version': item.version,
              ':next': item.version + 1,
              ...(implied !== undefined && { ':sweep_at': implied }),
            },
          }),
        );
        if (implied === undefined) report.reindexed += 1;
        else report.resweepable += 1;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    for (const entry of [...sweepEntries, ...sessionEntries]) {
      if (!expected.has(entry)) report.stale += 1;
    }
  } finally {
    client.destroy();
  }
  return report;
};
