import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { measureBurstDrain } from './burst-drain.ts';
import { measureColdStart } from './cold-start.ts';
import { measureCost } from './cost.ts';
import { measureFixedCost } from './fixed-cost.ts';
import { measureIngestOverhead } from './ingest-overhead.ts';
import { measureKeptEventSize } from './kept-event-size.ts';
import { describeRequest, measureRequestsPerCall } from './requests-per-call.ts';
import { BENCH } from './targets.ts';
import { measureTimeToRing } from './time-to-ring.ts';

/**
 * `npm run bench`: every figure docs/benchmarks.md and docs/deploying-to-aws.md quote, as ratios
 * against a baseline measured in the same run where speed is concerned, so a busy machine does
 * not change the verdict. Prints a table and writes `bench-results/latest.json`.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const quick = process.argv.includes('--quick');

/** A figure without a target (reported, a floor, a fixed cost) gets no verdict. */
const verdict = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'meets' : 'MISSES');
const rows: [string, string, string, string][] = [];
const row = (figure: string, value: string | number, target: string, ok?: boolean) => {
  rows.push([figure, String(value), target, verdict(ok)]);
};

const ingest = await measureIngestOverhead(quick ? 200 : BENCH.ingest.webhooks);
row(
  'ingest p50 / floor p50 (the cap, the put, the enqueue)',
  ingest.floor_p50_ratio,
  `≤ ${BENCH.ingest.maxFloorP50Ratio}`,
  ingest.floor_p50_ratio <= BENCH.ingest.maxFloorP50Ratio,
);
row('ingest p50 / baseline p50 (the put, the enqueue)', ingest.p50_ratio, '(reported)');
row('ingest p99 / baseline p99', ingest.p99_ratio, '(reported)');
row('  of which the per-number cap: p50 / baseline p50', ingest.cap_p50_ratio, '(reported)');
row('  and the kept event’s put: p50 / baseline p50', ingest.kept_p50_ratio, '(reported)');
row(
  'ingest p50 / floor p50 with the kept event’s put (beside the enqueue)',
  ingest.floor_with_kept_p50_ratio,
  '(reported)',
);

// A steady 20 webhooks a second for 15 s (5 s with --quick), through the whole local runtime.
const ring = await measureTimeToRing(
  quick ? 100 : BENCH.timeToRing.webhooks,
  BENCH.timeToRing.perSecond,
);
row('time to ring: accepted → Call API p50 / floor p50', ring.p50_ratio, '(reported)');
row(
  'time to ring: accepted → Call API p99 / floor p99',
  ring.p99_ratio,
  `≤ ${BENCH.timeToRing.maxP99Ratio}`,
  ring.p99_ratio <= BENCH.timeToRing.maxP99Ratio,
);
// The floor of this design: the cap, the record and the claim by hand, the same hops between.
row(
  "  p99 / this design's floor p99 (the cap, the put, the claim by hand)",
  ring.design_p99_ratio,
  '(floor)',
);
// Beside the ratio, the DynamoDB requests that stand between a webhook and its ring.
const requests = await measureRequestsPerCall(quick ? 20 : BENCH.requestsPerCall.calls);
row(
  '  DynamoDB requests per placed call (to the Call API request)',
  `${requests.per_call} (${requests.to_call_api})`,
  `≤ ${BENCH.requestsPerCall.max}`,
  requests.per_call <= BENCH.requestsPerCall.max,
);
// The same calls on the same route with `keep_event: false`: what a call costs without it.
const requestsUnkept = await measureRequestsPerCall(quick ? 20 : BENCH.requestsPerCall.calls, {
  keepEvent: false,
});
row(
  '  without the kept event (keep_event: false)',
  `${requestsUnkept.per_call} (${requestsUnkept.to_call_api})`,
  `≤ ${BENCH.requestsPerCall.max}`,
  requestsUnkept.per_call <= BENCH.requestsPerCall.max,
);

// The event's payload kept beside each call: what its put is billed, for the senders' samples.
const keptEvents = await measureKeptEventSize();
const keptUnits = keptEvents.map((size) => size.write_units);
row(
  '  of which the kept event: write units (the samples of every preset, a 7 KB order)',
  [...new Set([Math.min(...keptUnits), Math.max(...keptUnits)])].join(' to '),
  '(reported)',
);

const coldStart = await measureColdStart('infra/aws/example.config.json');
row('import: the SDK clients alone / baseline', coldStart.sdk_floor.import_ratio, '(floor)');
for (const fn of coldStart.functions) {
  // Ingest answers the sender, so its cold start is the one a webhook waits for.
  const maxKb = fn.name === 'ingest' ? BENCH.bundle.ingestMaxKb : BENCH.bundle.othersMaxKb;
  row(
    `bundle ${fn.name} (KB)`,
    (fn.bytes / 1024).toFixed(0),
    `≤ ${maxKb}`,
    fn.bytes <= maxKb * 1024,
  );
  const maxRatio = BENCH.bundle.maxImportRatio;
  row(
    `import ${fn.name} / baseline`,
    fn.import_ratio,
    `≤ ${maxRatio}`,
    fn.import_ratio <= maxRatio,
  );
}

// A minute lasts 6 s: long against the provider's whole-second `minute_reset`, as a real minute
// is. 250 points a window (about 40 calls a second) is a rate this machine's whole pipeline
// sustains, so the figure is about pacing, not about the machine.
const burst = await measureBurstDrain(
  quick ? 500 : BENCH.burst.webhooks,
  BENCH.burst.pointsPerMinute,
  BENCH.burst.clockSpeedUp,
);
row('burst: lost', burst.lost, '0', burst.lost === 0);
row('burst: duplicated', burst.duplicated, '0', burst.duplicated === 0);
row(
  'burst: limit_exceeded per 100 calls',
  burst.limit_exceeded_per_100_calls,
  `≤ ${BENCH.burst.maxLimitExceededPer100}`,
  burst.limit_exceeded_per_100_calls <= BENCH.burst.maxLimitExceededPer100,
);
row(
  'burst: limit utilisation',
  burst.utilisation,
  `≥ ${BENCH.burst.minUtilisation}`,
  burst.utilisation >= BENCH.burst.minUtilisation,
);

const cost = await measureCost(quick ? 100 : BENCH.cost.webhooks);
row(
  'cost per million webhooks ($)',
  cost.total_per_million,
  `≤ ${BENCH.cost.maxPerMillion.toFixed(2)}`,
  cost.total_per_million <= BENCH.cost.maxPerMillion,
);
row(
  '  plus the end-of-call notification ($ per million)',
  cost.end_event.dollars_per_million,
  '(reported)',
);
const callbacks = cost.status_callbacks;
const delay = (figures: { delay_ms: { p50: number; p99: number } }) =>
  `delay p50 ${figures.delay_ms.p50} ms, p99 ${figures.delay_ms.p99} ms`;
row(
  `  plus status callbacks, batched at the bench's rate (${cost.webhooks_per_second} webhooks/s) ($ per million)`,
  `${callbacks.dollars_per_million} (${callbacks.messages_per_batch} a batch; ${delay(callbacks)})`,
  `≤ ${BENCH.cost.maxStatusCallbacksPerMillion.toFixed(2)}`,
  callbacks.dollars_per_million <= BENCH.cost.maxStatusCallbacksPerMillion,
);
row(
  '    the floor: one delivery a batch, no window (a low rate) ($ per million)',
  `${callbacks.unbatched_floor.dollars_per_million} (${delay(callbacks.unbatched_floor)})`,
  '(floor)',
);
row(
  `    a low rate with the window: ${callbacks.low_rate.setup} ($ per million)`,
  `${callbacks.low_rate.dollars_per_million} (${callbacks.low_rate.messages_per_batch} a batch; ${delay(callbacks.low_rate)})`,
  '(reported)',
);
const fixedCost = await measureFixedCost();
for (const [deployment, option] of Object.entries(fixedCost.options)) {
  // The target counts the free tiers (CloudWatch's, SQS's), which an account with room does not pay.
  // It judges one column, the small deployment with a fixed address; the others are printed.
  const target =
    deployment === BENCH.fixedCost.judged ? BENCH.fixedCost.maxWithinFreeTier : undefined;
  row(
    `fixed cost per month at rest, ${deployment} ($)`,
    `${option.total} (${option.total_within_free_tier} within the free tiers, CloudWatch's and SQS's)`,
    target === undefined ? '(fixed)' : `≤ ${target.toFixed(2)} within the free tiers`,
    target === undefined ? undefined : option.total_within_free_tier <= target,
  );
}

const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0), 6));
const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
console.log(line(['figure', 'value', 'target', 'verdict']));
for (const r of rows) console.log(line(r));
console.log(
  `\nThe DynamoDB requests of one placed call (the path ${requests.calls_on_path} of ${requests.calls} took), in order:`,
);
for (const [i, request] of requests.path.entries()) {
  console.log(`  ${i + 1}. ${describeRequest(request)}`);
}
console.log(
  '\nThe kept event of each sample: bytes received, kept (JSON), stored (the item), write units:',
);
for (const size of keptEvents) {
  console.log(
    `  ${size.sample}: ${size.received}, ${size.kept}${size.truncated ? ' (cut)' : ''}, ${size.stored}, ${size.write_units}`,
  );
}
console.log(`\nThe burst: ${burst.setup}.`);
console.log(`  calls per window: ${burst.calls_per_window.join(', ')}`);

const results = {
  at: new Date().toISOString(),
  machine: {
    node: process.version,
    cpus: cpus().length,
    memory_gib: Math.round(totalmem() / 2 ** 30),
  },
  quick,
  /** The table as printed: each figure with its value, target and verdict. */
  table: rows.map(([figure, value, target, judged]) => ({
    figure: figure.trim(),
    value,
    target,
    verdict: judged === '' ? null : judged === 'meets' ? 'meets' : 'misses',
  })),
  ingest,
  time_to_ring: ring,
  requests_per_call: requests,
  requests_per_call_without_kept_event: requestsUnkept,
  kept_event_size: keptEvents,
  cold_start: coldStart,
  burst,
  cost,
  fixed_cost: fixedCost,
};
await mkdir('bench-results', { recursive: true });
const json = `${JSON.stringify(results, null, 2)}\n`;
await writeFile('bench-results/latest.json', json);
await writeFile(`bench-results/${results.at.replace(/[:.]/g, '-')}.json`, json);
console.log('\nwritten to bench-results/latest.json');
