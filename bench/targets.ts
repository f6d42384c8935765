import type { Deployment } from './fixed-cost.ts';

/**
 * What `npm run bench` runs (without `--quick`) and what it judges each figure against.
 * docs/benchmarks.md states both in its table of figures, and a test holds that table to these.
 */
export const BENCH = {
  ingest: { webhooks: 1_000, maxFloorP50Ratio: 1.25 },
  timeToRing: { webhooks: 300, perSecond: 20, maxP99Ratio: 1.5 },
  requestsPerCall: { calls: 100, max: 4 },
  bundle: { ingestMaxKb: 300, othersMaxKb: 450, maxImportRatio: 1.5 },
  burst: {
    webhooks: 2_000,
    pointsPerMinute: 250,
    clockSpeedUp: 10,
    maxLimitExceededPer100: 2,
    minUtilisation: 0.9,
  },
  cost: { webhooks: 500, maxPerMillion: 7, maxStatusCallbacksPerMillion: 6 },
  /**
   * The fixed cost of the small deployment with a fixed address (`nat-instance`, the config's
   * secrets in Parameter Store), within the free tiers (CloudWatch's and SQS's).
   */
  fixedCost: { judged: 'nat-instance, parameter-store' satisfies Deployment, maxWithinFreeTier: 8 },
} as const;
