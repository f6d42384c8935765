/** How long the sweeper leaves records alone before it acts on them. */
export interface SweepTiming {
  /**
   * A `queued` call untouched this long past its due time has probably lost its queue message
   * (the process that stored it died before enqueueing): the sweeper sends it again. A surplus
   * message is harmless, since claims are conditional.
   */
  lostMessageGraceMs: number;
  /** The first look for an `unknown` call in `list.calls`, and the gap between looks. */
  reconcileAfterMs: number;
  /**
   * Looks that got an answer before an `unknown` call is left for an operator; one that got none
   * (no points, a limit refusal, the provider out of reach) is tried again without counting.
   */
  maxReconciliations: number;
  /** How often a placed call on a backend that reports (JAICP) is asked how it is getting on. */
  pollAfterMs: number;
  /**
   * On an account with a Data API key: the first look at the report after an attempt was placed
   * (or its end notified), and the shortest gap between two looks. Default 2 minutes.
   */
  outcomeAfterMs?: number;
  /**
   * How long after an attempt started its report is still looked for; after that a placed call
   * stays as the notifications left it, and an `unknown` one is left for an operator. Default
   * 6 hours.
   */
  outcomeWindowMs?: number;
}

export const SWEEP_TIMING: SweepTiming = {
  lostMessageGraceMs: 15 * 60_000,
  reconcileAfterMs: 10_000,
  maxReconciliations: 3,
  pollAfterMs: 30_000,
};
