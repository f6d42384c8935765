import type { CallStore } from '../calls/call-store.ts';
import type { DispatchQueue } from '../calls/dispatch-queue.ts';
import type { KeptEvents } from '../calls/kept-event.ts';
import type { CallhookConfig } from '../config/schema.ts';
import type { SweepTiming } from '../dispatch/sweep-timing.ts';
import type { RateWindowStore } from '../guardrails/rate-window.ts';
import type { Logger } from '../logging/logger.ts';
import type { PhoneNumbering } from '../routes/phone-numbering.ts';
import type { SecretStore } from '../secrets/secrets.ts';
import type { GuardrailPorts } from './guardrails/registry.ts';

/**
 * What ingest works with: the config and the ports it writes to, and those its stateful
 * guardrails name (`GUARDRAILS`: the per-number cap's `contacts`).
 */
export type IngestDeps = GuardrailPorts & {
  config: CallhookConfig;
  /** The numbering plans the config's routes dial (`numberingForConfig`, or compiled in). */
  numbering: PhoneNumbering;
  store: CallStore;
  queue: DispatchQueue;
  /** Where an accepted event's payload is kept, masked, for operators. */
  keptEvents: KeptEvents;
  /**
   * The browser forms' sliding windows, per client address and per number. Both runtimes give
   * it; a config without browser routes needs none, and one with them fails closed without it.
   */
  rateWindows?: RateWindowStore;
  secrets: SecretStore;
  logger: Logger;
  now: () => Date;
  /** The sweeper's timings: how long a stored call may wait for its queue message. */
  timing: Pick<SweepTiming, 'lostMessageGraceMs'>;
};
