import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LimitsSnapshot } from '../../pacing/limits.ts';
import type { LimitsStore, ReserveOutcome } from '../../pacing/limits-store.ts';
import {
  observeLimits,
  type PointsBudget,
  type Reservation,
  reservePoints,
  type WindowLengths,
} from '../../pacing/points-budget.ts';
import { isConditionFailure } from './condition-failure.ts';
import { type DocumentClientSource, documentClientFrom } from './document-client.ts';

interface BudgetItem extends PointsBudget {
  account: string;
  version: number;
}

/** Optimistic writers give up after this many lost races. */
const MAX_RACES = 12;
const CONTENDED_RETRY_MS = 200;

/** The limits table: one item per account, changed by read-modify-write on a version. */
export class DynamoDbLimitsStore implements LimitsStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #windows: WindowLengths | undefined;

  constructor(options: { tableName: string; windows?: WindowLengths } & DocumentClientSource) {
    this.#client = documentClientFrom(options);
    this.#tableName = options.tableName;
    this.#windows = options.windows;
  }

  async reserve(account: string, points: number, now: Date): Promise<ReserveOutcome> {
    if (await this.#takeFromCurrentWindows(account, points, now)) return { granted: true };
    let outcome: Reservation | undefined;
    const settled = await this.#update(account, (budget) => {
      outcome = reservePoints(budget, points, now, this.#windows);
      return outcome.granted ? outcome.budget : undefined;
    });
    // Every dispatcher rolling the same window at once: this one waits a moment and asks again.
    if (!settled || outcome === undefined) {
      return {
        granted: false,
        window: 'minute',
        until: new Date(now.getTime() + CONTENDED_RETRY_MS * (1 + Math.random())),
      };
    }
    return outcome.granted ? { granted: true } : outcome;
  }

  async observe(account: string, snapshot: LimitsSnapshot): Promise<void> {
    // Advice only: under contention the next reply will say the same.
    await this.#update(account, (budget) => {
      const next = observeLimits(budget, snapshot);
      // Most replies confirm what reservations already counted: nothing to write.
      return isDeepStrictEqual(next, budget) ? undefined : next;
    });
  }

  /**
   * The common case in one atomic write, with no read and no race to lose: both windows are
   * current, known, and hold the points. Anything else (an unknown account, a window to roll,
   * too few points) is decided by `reservePoints` on a read.
   */
  async #takeFromCurrentWindows(account: string, points: number, now: Date): Promise<boolean> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { account },
          UpdateExpression:
            'SET minute_remaining = minute_remaining - :points, day_remaining = day_remaining - :points ADD version :one',
          ConditionExpression:
            'minute_remaining >= :points AND minute_reset_at > :now AND day_remaining >= :points AND day_reset_at > :now',
          ExpressionAttributeValues: { ':points': points, ':now': now.getTime(), ':one': 1 },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Applies `change` to the stored budget (`undefined` from `change` means write nothing); false
   * when it lost every race. Losers back off for a random few milliseconds, growing.
   */
  async #update(
    account: string,
    change: (budget: PointsBudget) => PointsBudget | undefined,
  ): Promise<boolean> {
    for (let race = 0; race < MAX_RACES; race += 1) {
      if (race > 0) await sleep(Math.random() * 2 ** Math.min(race, 6));
      const reply = await this.#client.send(
        new GetCommand({ TableName: this.#tableName, Key: { account }, ConsistentRead: true }),
      );
      const {
        account: _,
        version,
        ...budget
      } = (reply.Item as BudgetItem | undefined) ?? {
        account,
        version: 0,
      };
      const next = change(budget);
      if (next === undefined) return true;
      try {
        await this.#client.send(
          new PutCommand({
            TableName: this.#tableName,
            Item: { ...next, account, version: version + 1 } satisfies BudgetItem,
            ConditionExpression:
              version === 0 ? 'attribute_not_exists(account)' : 'version = :version',
            ...(version !== 0 && { ExpressionAttributeValues: { ':version': version } }),
          }),
        );
        return true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    return false;
  }
}
