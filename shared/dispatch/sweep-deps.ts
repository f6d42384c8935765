import type { ConnectionSettings } from '../backends/connection.ts';
import type { CallStore } from '../calls/call-store.ts';
import type { DispatchQueue } from '../calls/dispatch-queue.ts';
import type { CallhookConfig } from '../config/schema.ts';
import type { ContactCapStore } from '../guardrails/contact-cap.ts';
import type { Logger } from '../logging/logger.ts';
import type { LimitsStore } from '../pacing/limits-store.ts';
import type { SweepTiming } from './sweep-timing.ts';

/** What the sweeper works with (its chores too, `chores/chore.ts`), and what it reports. */

export interface SweepDeps {
  config: CallhookConfig;
  store: CallStore;
  /**
   * The accounts' shared points budget, which reconciliation's lookups draw on too, and their
   * Data API budgets, which the reports draw on.
   */
  limits: LimitsStore;
  /** The per-number cap, which every redial is charged to; without it nothing is redialled. */
  contacts?: ContactCapStore;
  queue: DispatchQueue;
  connection: ConnectionSettings;
  logger: Logger;
  now: () => Date;
  timing?: SweepTiming;
  /** Records read per index query. */
  pageSize?: number;
}

export interface SweepReport {
  /** `scheduled` calls whose time came, sent to the queue. */
  released: number;
  /** `queued` calls whose message looked lost, sent again. */
  resent: number;
  /** `dialing` calls whose dispatcher vanished, now `unknown`. */
  abandoned: number;
  /** `unknown` calls found placed after all. */
  reconciled: number;
  /** Placed calls whose backend reported their end (completed, or waiting for a redial). */
  finished: number;
  /** Calls a notification completed whose report confirmed or corrected how they ended. */
  confirmed: number;
  /** Calls nobody answered whose route's escalation was made. */
  escalated: number;
}
