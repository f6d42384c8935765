import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LimitsSnapshot } from '../../callapi/limits.ts';
import type { LimitsStore } from '../../pacing/limits-store.ts';
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

/** Optimistic writers give up after this many lost races, and the message is delivered again. */
const MAX_RACES = 25;

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

  async reserve(account: string, points: number, now: Date): Promise<Reservation> {
    let outcome: Reservation | undefined;
    await this.#update(account, (budget) => {
      outcome = reservePoints(budget, points, now, this.#windows);
      return outcome.granted ? outcome.budget : undefined;
    });
    if (outcome === undefined) throw new Error('unreachable: reservation not computed');
    return outcome;
  }

  async observe(account: string, snapshot: LimitsSnapshot): Promise<void> {
    await this.#update(account, (budget) => observeLimits(budget, snapshot));
  }

  /** Applies `change` to the stored budget; `undefined` from `change` means write nothing. */
  async #update(
    account: string,
    change: (budget: PointsBudget) => PointsBudget | undefined,
  ): Promise<void> {
    for (let race = 0; race < MAX_RACES; race += 1) {
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
      if (next === undefined) return;
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
        return;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new Error(`the points budget of ${account} is too contended to update`);
  }
}
