import type { ConnectionSettings } from '../shared/backends/connection.ts';
import type { CallbackLog } from '../shared/callbacks/callback-log.ts';
import type { CallbackQueue } from '../shared/callbacks/callback-message.ts';
import type { CallStore } from '../shared/calls/call-store.ts';
import type { DispatchQueue } from '../shared/calls/dispatch-queue.ts';
import type { KeptEvents } from '../shared/calls/kept-event.ts';
import type { CallhookConfig } from '../shared/config/schema.ts';
import type { BackoffSettings } from '../shared/dispatch/backoff.ts';
import type { SweepTiming } from '../shared/dispatch/sweep-timing.ts';
import type { ContactCapStore } from '../shared/guardrails/contact-cap.ts';
import type { ContactWindowStore } from '../shared/guardrails/contact-window.ts';
import type { RateWindowStore } from '../shared/guardrails/rate-window.ts';
import type { Logger } from '../shared/logging/logger.ts';
import type { LimitsStore } from '../shared/pacing/limits-store.ts';
import type { PhoneNumbering } from '../shared/routes/phone-numbering.ts';
import type { SecretStore } from '../shared/secrets/secrets.ts';

/**
 * Everything a function's dependencies are built from. Each function's `deps.ts` takes the
 * ports it uses (a `Pick` of these) and builds its handler's dependencies from them; the two
 * composition roots only make the ports: each function's `aws-deps.ts` on Lambda (from
 * `functions/wiring/`, only the ones that function picks, so its bundle imports only the SDK
 * clients it uses), and `infra/local/runtime.ts` locally (all of them, once, shared).
 */
export interface Ports {
  config: CallhookConfig;
  /** The calls table; it also queues the status callbacks of a route that has them. */
  store: CallStore;
  /** The accounts' shared points budget. */
  limits: LimitsStore;
  dispatchQueue: DispatchQueue;
  callbackQueue: CallbackQueue;
  /** Where the callbacks deliverer notes each delivery, for the call's timeline. */
  callbackLog: CallbackLog;
  /** Accepted events' payloads, masked, beside their calls (the calls table). */
  keptEvents: KeptEvents;
  /** The per-number daily cap. */
  contacts: ContactCapStore;
  /** The route groups' contact windows (in the contacts table too). */
  contactWindows: ContactWindowStore;
  /** The browser forms' sliding windows (in the contacts table too). */
  rateWindows: RateWindowStore;
  secrets: SecretStore;
  /** The numbering plans the config's routes dial. */
  numbering: PhoneNumbering;
  /** The admin key the `/calls` endpoints take. */
  adminKey: () => Promise<string>;
  /** The clock every function reads. */
  now: () => Date;
  /** The sweeper's timings, which every writer of `sweep_at` reads. */
  timing: SweepTiming;
  /** A logger for the named function. */
  logger: (name: string) => Logger;
  /**
   * What the backends are built with besides the secrets and a logger: the simulators' URLs,
   * locally.
   */
  connection?: Omit<ConnectionSettings, 'secrets' | 'logger'>;
  /** Shorter leases and backoffs, for the local runtime's tests; Lambda runs on the defaults. */
  tuning?: {
    leaseMs?: number;
    backoff?: BackoffSettings;
    callbackBackoff?: BackoffSettings;
  };
}

/** The settings a function's backends are built with. */
export const connectionFor = (
  ports: Pick<Ports, 'secrets' | 'connection'>,
  logger: Logger,
): ConnectionSettings => ({ ...ports.connection, secrets: ports.secrets, logger });

/** The ports of a function that works on stored calls through their backends. */
export type CallWorkPorts = Pick<
  Ports,
  'config' | 'store' | 'dispatchQueue' | 'secrets' | 'connection' | 'logger' | 'now' | 'timing'
>;

/**
 * What dispatch, the sweeper and the calls API share: the config, the calls, their queue, the
 * backends' settings, the clock and timings, and a logger named for the function.
 */
export const callWorkDeps = (ports: CallWorkPorts, name: string) => {
  const logger = ports.logger(name);
  return {
    config: ports.config,
    store: ports.store,
    queue: ports.dispatchQueue,
    connection: connectionFor(ports, logger),
    logger,
    now: ports.now,
    timing: ports.timing,
  };
};
