import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import type { LimitsSnapshot } from '../../pacing/limits.ts';
import type { LimitsStore, ReserveOptions, ReserveOutcome } from '../../pacing/limits-store.ts';
import {
  observeLimits,
  type PointsBudget,
  reservePoints,
  type WindowLengths,
} from '../../pacing/points-budget.ts';
import type { DynamoDBDocumentClient } from '../aws/sdk/dynamodb.ts';
import { GetCommand, PutCommand, UpdateCommand } from '../aws/sdk/dynamodb.ts';
import { isConditionFailure } from './condition-failure.ts';
import { type DocumentClientSource, documentClientFrom } from './document-client.ts';

interface BudgetItem extends PointsBudget {
  account: string;
  version: number;
}

/** Optimistic writers give up after this many lost races. */
const MAX_RACES = 12;
const CONTENDED_RETRY_MS = 200;

/** The budget as last seen, and its version (0: none stored yet). */
interface Seen {
  budget: PointsBudget;
  version: number;
}

/**
 * The limits table: one item per account. A reservation takes its points with one atomic update
 * while both windows are current; rolling a window, and a reply's advice, are read-modify-writes
 * on the item's version. The budget each write returns is kept, so a reply's advice is compared
 * with it in memory and written only when it changes the budget: no read after each call.
 */
export class DynamoDbLimitsStore implements LimitsStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #windows: WindowLengths | undefined;
  readonly #seen = new Map<string, Seen>();

  constructor(options: { tableName: string; windows?: WindowLengths } & DocumentClientSource) {
    this.#client = documentClientFrom(options);
    this.#tableName = options.tableName;
    this.#windows = options.windows;
  }

  async reserve(
    account: string,
    points: number,
    now: Date,
    options: ReserveOptions = {},
  ): Promise<ReserveOutcome> {
    const upTo = Math.max(points, options.upTo ?? points);
    if (upTo > points) {
      const budget = await this.#takeFromCurrentWindows(account, upTo, now);
      if (budget !== undefined) return { granted: true, taken: upTo, budget };
    }
    for (let race = 0; race < MAX_RACES; race += 1) {
      if (race > 0) await sleep(Math.random() * 2 ** Math.min(race, 6));
      const budget = await this.#takeFromCurrentWindows(account, points, now);
      if (budget !== undefined) return { granted: true, taken: points, budget };
      // An unknown account, a window to roll, or too few points: decided on a read.
      const { budget: stored, version } = await this.#read(account);
      const outcome = reservePoints(stored, points, now, this.#windows);
      if (!outcome.granted) return outcome;
      if (await this.#write(account, outcome.budget, version)) {
        return { granted: true, taken: points, budget: outcome.budget };
      }
      // Another writer came first, most often rolling the same window: once it has, the atomic
      // take above succeeds, where another versioned write would lose to every reservation.
    }
    // Every dispatcher rolling the same window at once: this one waits a moment and asks again.
    return {
      granted: false,
      window: 'minute',
      until: new Date(now.getTime() + CONTENDED_RETRY_MS * (1 + Math.random())),
    };
  }

  async observe(account: string, snapshot: LimitsSnapshot): Promise<void> {
    // The budget this process last wrote or read: usually the reservation made for this call.
    const seen = this.#seen.get(account);
    if (seen !== undefined && (await this.#advise(account, snapshot, seen))) return;
    // Never seen, or seen before another writer changed it: decided again on a read.
    await this.#advise(account, snapshot, await this.#read(account));
  }

  /**
   * Writes the reply's advice over `seen` if it changes the budget; false when the write lost
   * (the stored budget is not `seen` any more).
   */
  async #advise(account: string, snapshot: LimitsSnapshot, seen: Seen): Promise<boolean> {
    const next = observeLimits(seen.budget, snapshot);
    // Most replies confirm what reservations already counted: nothing to write.
    if (isDeepStrictEqual(next, seen.budget)) return true;
    // Advice only, and written once on a read: a write lost to another writer (a reservation,
    // most often) is left to the next reply, which says the same. Retrying would hold the call's
    // dispatch behind every reservation made meanwhile.
    return this.#write(account, next, seen.version);
  }

  /**
   * The common case in one atomic write, with no read and no race to lose: both windows are
   * current, known, and hold the points. Anything else (an unknown account, a window to roll,
   * too few points) is decided by `reservePoints` on a read.
   */
  async #takeFromCurrentWindows(
    account: string,
    points: number,
    now: Date,
  ): Promise<PointsBudget | undefined> {
    try {
      const reply = await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { account },
          UpdateExpression:
            'SET minute_remaining = minute_remaining - :points, day_remaining = day_remaining - :points ADD version :one',
          ConditionExpression:
            'minute_remaining >= :points AND minute_reset_at > :now AND day_remaining >= :points AND day_reset_at > :now',
          ExpressionAttributeValues: { ':points': points, ':now': now.getTime(), ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return this.#saw(account, reply.Attributes as BudgetItem).budget;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** Keeps the budget as stored, for the next reply's advice. */
  #saw(account: string, item: BudgetItem | undefined): Seen {
    const { account: _, version, ...budget } = item ?? { account, version: 0 };
    const seen = { budget, version };
    this.#seen.set(account, seen);
    return seen;
  }

  /** The stored budget and its version (0: none stored yet). */
  async #read(account: string): Promise<Seen> {
    const reply = await this.#client.send(
      new GetCommand({ TableName: this.#tableName, Key: { account }, ConsistentRead: true }),
    );
    return this.#saw(account, reply.Item as BudgetItem | undefined);
  }

  /** Writes `budget` if the stored one is still at `version`; false if another writer came first. */
  async #write(account: string, budget: PointsBudget, version: number): Promise<boolean> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: { ...budget, account, version: version + 1 } satisfies BudgetItem,
          ConditionExpression:
            version === 0 ? 'attribute_not_exists(account)' : 'version = :version',
          ...(version !== 0 && { ExpressionAttributeValues: { ':version': version } }),
        }),
      );
      this.#seen.set(account, { budget, version: version + 1 });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
