import type { Logger } from '../../../logging/logger.ts';
import type { LimitsSnapshot } from '../../../pacing/limits.ts';
import type { LimitsStore } from '../../../pacing/limits-store.ts';
import type { DataApiReply } from './client.ts';
import { DataApiError } from './data-api-error.ts';
import type { DataApiReports, LegRow, ReportWindow, SessionLookup, SessionRow } from './reports.ts';

/**
 * The key of an account's Data API budget in the limits table. The Data API counts its points
 * apart from the Call API's, so they are kept apart too: reports never spend what calls need,
 * nor calls what reports need. `#` cannot occur in an account's name, so the key is no account's.
 */
export const dataApiBudgetKey = (account: string): string => `${account}#dataapi`;

/** What every Data API request costs: the overview prices every operation at 1 point. */
export const POINTS_PER_REPORT = 1;

/**
 * The reports of one account, paid for from its Data API budget: each request first takes its
 * point (none left: a `limit` error naming the reset, as a `-32029` would, and nothing is
 * sent), and every reply or refusal folds its `metadata.limits` back into the budget.
 */
export class MeteredReports {
  readonly #reports: DataApiReports;
  readonly #limits: LimitsStore;
  readonly #key: string;
  readonly #now: () => Date;
  readonly #logger: Pick<Logger, 'warn'>;

  constructor(options: {
    reports: DataApiReports;
    limits: LimitsStore;
    account: string;
    now: () => Date;
    logger: Pick<Logger, 'warn'>;
  }) {
    this.#reports = options.reports;
    this.#limits = options.limits;
    this.#key = dataApiBudgetKey(options.account);
    this.#now = options.now;
    this.#logger = options.logger;
  }

  session(
    lookup: SessionLookup,
    window: ReportWindow,
    ongoing = false,
  ): Promise<DataApiReply<SessionRow | undefined>> {
    return this.#metered(() => this.#reports.session(lookup, window, ongoing));
  }

  inboundFrom(contact: string, window: ReportWindow): Promise<DataApiReply<string[]>> {
    return this.#metered(() => this.#reports.inboundFrom(contact, window));
  }

  legs(sessionId: number, window: ReportWindow): Promise<DataApiReply<LegRow[]>> {
    return this.#metered(() => this.#reports.legs(sessionId, window));
  }

  async #metered<T>(send: () => Promise<DataApiReply<T>>): Promise<DataApiReply<T>> {
    const reservation = await this.#limits.reserve(this.#key, POINTS_PER_REPORT, this.#now());
    if (!reservation.granted) {
      const resetAt = reservation.window === 'day' ? 'dayResetAt' : 'minuteResetAt';
      throw new DataApiError({
        classification: 'limit',
        mnemonic: 'no_points',
        message: `not sent: the Data API ${reservation.window} points are spent until ${reservation.until.toISOString()}`,
        params: { limit_type: reservation.window },
        limits: { observedAt: this.#now(), [resetAt]: reservation.until },
      });
    }
    try {
      const reply = await send();
      await this.#observe(reply.limits);
      return reply;
    } catch (error) {
      if (error instanceof DataApiError) await this.#observe(error.limits);
      throw error;
    }
  }

  /** Pacing is advice: a budget that cannot be written must not lose what the report said. */
  async #observe(limits: LimitsSnapshot | undefined): Promise<void> {
    if (limits === undefined) return;
    await this.#limits.observe(this.#key, limits).catch((error: unknown) => {
      this.#logger.warn('could not record the Data API limits', { budget: this.#key, error });
    });
  }
}
