import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PAIRS } from '../../bench/cold-start.ts';
import { DEPLOYMENTS, type Deployment, EXAMPLE_FORM_ROUTE } from '../../bench/fixed-cost.ts';
import {
  NAT_INSTANCE_ROOT_GB,
  SQS_IDLE_REQUESTS_PER_MAPPING_MONTH,
} from '../../bench/fixed-pricing.ts';
import { WARMUP } from '../../bench/ingest-overhead.ts';
import { PRICES } from '../../bench/prices.ts';
import { BENCH } from '../../bench/targets.ts';
import { secretNeeds } from '../../infra/aws/secret-needs.ts';
import { DeploySettings } from '../../infra/aws/settings.ts';
import { MAX_STAGE_LENGTH } from '../../infra/aws/stage-names.ts';
import {
  LOCAL_ADMIN_KEY,
  LOCAL_BRIDGE_PORT,
  LOCAL_SIMULATOR_PORT,
  LOCAL_SWEEP_INTERVAL_MS,
} from '../../infra/local/defaults.ts';
import { INBOUND_CALL_S } from '../../infra/local/simulator/data-api.ts';
import { SIMULATED_CALL_MS } from '../../infra/local/simulator/simulated-account.ts';
import { REFRESH_MARGIN_MS } from '../../shared/backends/callapi/api/account.ts';
import { ZONE_MARGIN_MS } from '../../shared/backends/callapi/data-api/reports.ts';
import { VARIABLE_LEVELS } from '../../shared/backends/jaicp/jaicp.ts';
import {
  DEFAULT_MAX_ATTEMPTS as CALLBACK_ATTEMPTS,
  CALLBACK_TIMEOUT_MS,
  DEFAULT_CALLBACK_BACKOFF,
} from '../../shared/callbacks/deliver-callback.ts';
import { DEFAULT_FIGURES_HOURS, MAX_FIGURES_HOURS } from '../../shared/calls/call-figures.ts';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from '../../shared/calls/call-list.ts';
import { CALLBACKS_SHOWN, HISTORY_LIMIT } from '../../shared/calls/call-record.ts';
import { FIGURES_RECORD_CAP } from '../../shared/calls/figures-report.ts';
import { TREND_SLICES } from '../../shared/calls/reach-figures.ts';
import { MAX_NAME_BYTES, SMALLEST_MAGNITUDE } from '../../shared/calls/storable.ts';
import { MAX_CONTACT_WINDOW_MINUTES } from '../../shared/config/contact-window-config.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { DEFAULT_BACKOFF } from '../../shared/dispatch/backoff.ts';
import { MAX_BULK_CALLS } from '../../shared/dispatch/bulk-actions.ts';
import { MAX_SEARCH_RESULTS } from '../../shared/dispatch/contact-search.ts';
import { DAY_POINTS_LOW_SHARE, DEFAULT_LEASE_MS } from '../../shared/dispatch/dispatch-call.ts';
import { UNKNOWN_RESET_MS } from '../../shared/dispatch/outcome-look.ts';
import {
  MAX_OUTCOME_GAP_MS,
  OUTCOME_AFTER_MS,
  OUTCOME_WINDOW_MS,
} from '../../shared/dispatch/outcome-timing.ts';
import { MAX_POLL_INTERVAL_MS } from '../../shared/dispatch/poll-timing.ts';
import { SWEEP_TIMING } from '../../shared/dispatch/sweep-timing.ts';
import { InboundCall } from '../../shared/events/inbound-call.ts';
import { MAX_ID_BYTES, MAX_REASON_LENGTH } from '../../shared/events/provider-event.ts';
import { MAX_EVENT_TEXT_BYTES } from '../../shared/events/record-provider-event.ts';
import { CAP_WINDOW_MS } from '../../shared/guardrails/contact-cap.ts';
import { MAX_BODY_BYTES } from '../../shared/http/raw-request.ts';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '../../shared/ingest/event-key.ts';
import { ORPHAN_AFTER_MS } from '../../shared/ingest/guardrails/contact-cap.ts';
import { OWN_KEYS_SECRET } from '../../shared/secrets/own-keys.ts';
import { SHAPE_CHECKS } from '../../shared/secrets/secret-shapes.ts';
import { SECRET_CACHE_MS } from '../../shared/secrets/secrets.ts';
import { Tolerance } from '../../shared/senders/auth-fields.ts';
import { BrowserAuth } from '../../shared/senders/auth-schemas.ts';
import { TOLERANCE_SECONDS } from '../../shared/senders/standard-webhooks.ts';
import { MAX_CALL_SECONDS, MAX_EPOCH_MS } from '../../shared/validation/provider-numbers.ts';
import { docText, numberWord } from '../support/doc-text.ts';
import { documentedFixedCost } from '../support/fixed-cost-doc.ts';

/** A number as the docs write it: `1,000`. */
const n = (value: number) => value.toLocaleString('en-US');
const minutes = (ms: number) => ms / 60_000;
const seconds = (ms: number) => ms / 1000;
/** A duration as the docs say it in words: "a minute", "a day", "5 minutes". */
const spoken = (ms: number) =>
  ({ 60000: 'a minute', 3600000: 'an hour', 86400000: 'a day' })[ms] ?? `${minutes(ms)} minutes`;
/** The smallest of 1 to 100 that `accepts` takes, the first it refuses after that, less one. */
const range = (accepts: (n: number) => boolean): [number, number] => {
  const all = Array.from({ length: 100 }, (_, i) => i + 1).filter(accepts);
  return [all[0] ?? 0, all.at(-1) ?? 0];
};

const shipped = parseConfig(
  JSON.parse(readFileSync('callhook.config.json', 'utf8')),
  'callhook.config.json',
);
const [shippedAccount] = Object.values(shipped.accounts);
const callback = shipped.routes.callback;
const withTarget = parseConfig(
  {
    ...JSON.parse(readFileSync('callhook.config.json', 'utf8')),
    routes: {
      callback: {
        ...JSON.parse(readFileSync('callhook.config.json', 'utf8')).routes.callback,
        target: { talk_within_minutes: 5 },
      },
    },
  },
  'a target',
);
const browserLimits = BrowserAuth.parse({
  type: 'browser',
  origins: ['https://shop.example'],
  secret: 'shop/captcha',
  captcha: { provider: 'turnstile', site_key: 'key' },
}).limits;
const settings = DeploySettings.parse({});
const example = parseConfig(
  JSON.parse(readFileSync('infra/aws/example.config.json', 'utf8')),
  'infra/aws/example.config.json',
);
const exampleSecrets = new Set(Object.values(secretNeeds(example)).flat()).size;
const inboundDigits = range(
  (length) =>
    InboundCall.safeParse({ event: 'inbound', contact_phone_number: `+7${'0'.repeat(length - 1)}` })
      .success,
);
const whsecBytes = range(
  (bytes) =>
    SHAPE_CHECKS['standard-webhooks-key'](`whsec_${Buffer.alloc(bytes, 1).toString('base64')}`) ===
    undefined,
)[0];
const backoff = DEFAULT_BACKOFF.baseMs;
const poll = SWEEP_TIMING.pollAfterMs;
const node = (JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } })
  .engines.node;

/**
 * Each figure a docs page states, as the page words it, built from the value the code has: a
 * change to either side fails here until the other follows. `[file, what, phrase]`.
 */
const FIGURES: [string, string, string][] = [
  ['README.md', 'the Node.js version', `Node.js ${node.replace('>=', '')} or newer`],
  ['CONTRIBUTING.md', 'the Node.js version', `Node.js ${node.replace('>=', '')} or newer`],
  ['docs/deploying-to-aws.md', 'the Node.js version', `Node.js ${node.replace('>=', '')} or newer`],
  // docs/http-contract.md
  [
    'docs/http-contract.md',
    'a page of calls',
    `at most this many calls a page: 1 to ${MAX_LIST_LIMIT}, default ${DEFAULT_LIST_LIMIT}`,
  ],
  ['docs/http-contract.md', 'the figures window', `(\`?hours=\` 1 to ${MAX_FIGURES_HOURS})`],
  [
    'docs/http-contract.md',
    'the figures default window',
    `(the last \`hours\`, default ${DEFAULT_FIGURES_HOURS})`,
  ],
  [
    'docs/http-contract.md',
    'the calls the figures read',
    `at most ${n(FIGURES_RECORD_CAP)}: past that they cover the newest ${n(FIGURES_RECORD_CAP)}`,
  ],
  ['docs/http-contract.md', 'the trend', `the window in ${TREND_SLICES} equal slices`],
  ['docs/operating.md', 'the trend', `in ${TREND_SLICES} slices of the window`],
  ['docs/http-contract.md', 'a bulk action', `over up to ${MAX_BULK_CALLS} call ids`],
  ['docs/operating.md', 'a bulk action', `many: up to ${MAX_BULK_CALLS} call ids`],
  [
    'docs/http-contract.md',
    'a search by number',
    `Newest first, at most ${MAX_SEARCH_RESULTS}, \`next_cursor\` always \`null\``,
  ],
  ['docs/http-contract.md', 'the history', `keeps its last ${HISTORY_LIMIT} lines`],
  ['docs/http-contract.md', 'the timeline', `for each of the last ${HISTORY_LIMIT} changes`],
  ['docs/operating.md', 'the history', `the last ${HISTORY_LIMIT} changes in \`history\``],
  ['CONTRIBUTING.md', 'the history', `keeps the last ${HISTORY_LIMIT}`],
  ['docs/http-contract.md', 'the callbacks shown', `the last ${CALLBACKS_SHOWN} of them`],
  ['docs/http-contract.md', 'a body', `UTF-8 only, up to ${MAX_BODY_BYTES / 1024} KiB`],
  ['docs/http-contract.md', 'a body', `the body is over ${MAX_BODY_BYTES / 1024} KiB`],
  [
    'docs/http-contract.md',
    'an Idempotency-Key',
    `longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
  ],
  [
    'docs/http-contract.md',
    'the longest message',
    `\`max_message_length\` (default ${callback?.max_message_length})`,
  ],
  [
    'docs/http-contract.md',
    'the per-number cap',
    `\`per_number_daily_limit\` calls (default ${shipped.per_number_daily_limit})`,
  ],
  [
    'docs/http-contract.md',
    'how long records are kept',
    `kept for \`retention_days\` (default ${shipped.retention_days})`,
  ],
  [
    'docs/http-contract.md',
    'the speed-to-lead alarm',
    `\`target.alert_below\` (default ${withTarget.routes.callback?.target?.alert_below})`,
  ],
  [
    'docs/operating.md',
    'the speed-to-lead alarm',
    `\`target.alert_below\` (default ${withTarget.routes.callback?.target?.alert_below})`,
  ],
  [
    'docs/http-contract.md',
    'a cap entry an ingest left',
    `stops counting ${spoken(ORPHAN_AFTER_MS)} later`,
  ],
  ['docs/http-contract.md', 'the lease', `a lease (${seconds(DEFAULT_LEASE_MS)} s)`],
  [
    'docs/http-contract.md',
    'the retries of an unreachable provider',
    `full jitter (${seconds(backoff)} s, ${seconds(2 * backoff)} s, ${seconds(4 * backoff)} s, … up to ${minutes(DEFAULT_BACKOFF.maxMs)} min)`,
  ],
  [
    'docs/http-contract.md',
    'a call’s points',
    `(\`points_per_call\`, default ${shippedAccount && 'points_per_call' in shippedAccount ? shippedAccount.points_per_call : '?'})`,
  ],
  [
    'docs/http-contract.md',
    'the provider’s numbers',
    `durations 0 to ${MAX_CALL_SECONDS / 86_400} days in seconds, times before ${new Date(MAX_EPOCH_MS).getUTCFullYear()}`,
  ],
  [
    'docs/http-contract.md',
    'the local sweeper',
    `every ${seconds(LOCAL_SWEEP_INTERVAL_MS)} s locally`,
  ],
  // docs/outcomes.md: when a report is read
  [
    'docs/outcomes.md',
    'the first look at a report',
    `looked up **${minutes(OUTCOME_AFTER_MS)} minutes** after it was placed`,
  ],
  [
    'docs/outcomes.md',
    'the looks at a report',
    `between ${minutes(OUTCOME_AFTER_MS)} and ${minutes(MAX_OUTCOME_GAP_MS)} minutes apart, for **${OUTCOME_WINDOW_MS / 3_600_000} hours** from its claim`,
  ],
  [
    'docs/outcomes.md',
    'the window of a report',
    `when its ${OUTCOME_WINDOW_MS / 3_600_000} hours are over`,
  ],
  [
    'docs/outcomes.md',
    'an unknown call’s window',
    `once its ${OUTCOME_WINDOW_MS / 3_600_000} hours are over`,
  ],
  [
    'docs/outcomes.md',
    'a notified end confirmed',
    `the report is read ${minutes(OUTCOME_AFTER_MS)} minutes later to confirm it`,
  ],
  ['docs/outcomes.md', 'a reset not named', `(${spoken(UNKNOWN_RESET_MS)} where it names none`],
  [
    'docs/outcomes.md',
    'a look that learned nothing',
    `by a backoff: ${minutes(OUTCOME_AFTER_MS)} minutes, doubled for each such look in a row, at most ${minutes(MAX_OUTCOME_GAP_MS)} minutes apart, never past the attempt's ${OUTCOME_WINDOW_MS / 3_600_000} hours`,
  ],
  [
    'docs/outcomes.md',
    'the provider’s numbers',
    `a duration past ${MAX_CALL_SECONDS / 86_400} days, a time after ${new Date(MAX_EPOCH_MS).getUTCFullYear()}`,
  ],
  [
    'docs/outcomes.md',
    'the span a report is asked for',
    `a span of start times ${spoken(ZONE_MARGIN_MS)} wider on each side`,
  ],
  [
    'docs/operating.md',
    'the demo’s redial',
    `the sweeper reads its report ${numberWord(minutes(OUTCOME_AFTER_MS))} minutes after it was placed`,
  ],
  // JAICP's reports
  [
    'docs/senders.md',
    'a JAICP job dialling',
    `It asks every ${seconds(poll)} s while the job is dialling`,
  ],
  [
    'docs/senders.md',
    'a JAICP job waiting',
    `(${seconds(poll)} s to ${minutes(MAX_POLL_INTERVAL_MS)} min)`,
  ],
  [
    'docs/senders.md',
    'a JAICP report that could not be read',
    `is asked again after ${seconds(poll)} s, doubling after each such look in a row up to ${minutes(MAX_POLL_INTERVAL_MS)} min`,
  ],
  [
    'docs/jaicp-calls-api.md',
    'a JAICP job',
    `\`inProcess\` again after ${seconds(poll)} s, the waiting ones when the calling window opens or after a quarter of their wait so far, at most ${minutes(MAX_POLL_INTERVAL_MS)} min`,
  ],
  [
    'docs/jaicp-calls-api.md',
    'a JAICP duration',
    `\`callDuration\` from 0 to ${n(MAX_CALL_SECONDS)} s (${MAX_CALL_SECONDS / 86_400} days;`,
  ],
  [
    'docs/jaicp-calls-api.md',
    'a JAICP time',
    `\`finishedAt\` from 0 to ${new Date(MAX_EPOCH_MS).toISOString().slice(0, 10)} in ms`,
  ],
  [
    'docs/senders.md',
    'a bot variable',
    `a name of ${(MAX_NAME_BYTES + 1) / 1024} KiB, nesting deeper than ${VARIABLE_LEVELS} levels, or a number past 2^53 or closer to zero than ${SMALLEST_MAGNITUDE}`,
  ],
  // Senders
  [
    'docs/senders.md',
    'Stripe’s tolerance',
    `(timestamp within \`tolerance_seconds\`, default ${Tolerance.parse(undefined)})`,
  ],
  ['docs/senders.md', 'Standard Webhooks’ tolerance', `±${TOLERANCE_SECONDS / 60} minutes`],
  [
    'docs/senders.md',
    'the local port',
    `\`http://127.0.0.1:$PORT\` (default ${LOCAL_BRIDGE_PORT})`,
  ],
  ['docs/senders.md', 'the per-number cap', `(${shipped.per_number_daily_limit} a day by default)`],
  // docs/operating.md
  [
    'docs/operating.md',
    'a notification’s numbers',
    `durations from 0 to ${n(MAX_CALL_SECONDS)} s, ${numberWord(MAX_CALL_SECONDS / 86_400)} days`,
  ],
  [
    'docs/operating.md',
    'a notification’s fields',
    `\`external_id\` is at most ${n(MAX_ID_BYTES)} bytes and \`finish_reason\` at most ${MAX_REASON_LENGTH} characters`,
  ],
  ['docs/operating.md', 'the raw event kept', `(its first ${MAX_EVENT_TEXT_BYTES / 1024} KiB)`],
  [
    'docs/operating.md',
    'the caller’s number',
    `${inboundDigits[0]} to ${inboundDigits[1]} digits must remain`,
  ],
  [
    'docs/operating.md',
    'the per-number counts',
    `they hold the last ${CAP_WINDOW_MS / 3_600_000} hours`,
  ],
  [
    'docs/operating.md',
    'a status callback',
    `within ${seconds(CALLBACK_TIMEOUT_MS)} s is retried with a growing delay (${seconds(DEFAULT_CALLBACK_BACKOFF.baseMs)} s up to ${minutes(DEFAULT_CALLBACK_BACKOFF.maxMs)} min, ${CALLBACK_ATTEMPTS} attempts)`,
  ],
  [
    'docs/operating.md',
    'the local ports',
    `\`PORT\` (the API, default ${LOCAL_BRIDGE_PORT}) or \`SIMULATOR_PORT\` (the simulator, default ${LOCAL_SIMULATOR_PORT})`,
  ],
  [
    'docs/operating.md',
    'the CLI’s port',
    `(\`PORT\` as for \`npm start\`, default ${LOCAL_BRIDGE_PORT})`,
  ],
  ['docs/operating.md', 'the CLI’s list', `# the latest ${DEFAULT_LIST_LIMIT} calls, newest first`],
  [
    'docs/operating.md',
    'a simulated call',
    `Each accepted call lasts ${spoken(SIMULATED_CALL_MS)} (\`callDurationMs\``,
  ],
  [
    'docs/operating.md',
    'a simulated inbound call',
    `rings the account now (for ${INBOUND_CALL_S} s)`,
  ],
  [
    'docs/operating.md',
    'a rotated secret',
    `through a ${numberWord(minutes(SECRET_CACHE_MS))}-minute cache: a new value is in use everywhere within ${numberWord(minutes(SECRET_CACHE_MS))} minutes`,
  ],
  [
    'docs/operating.md',
    'a rotated admin key',
    `the old one works for up to ${numberWord(minutes(SECRET_CACHE_MS))} minutes more`,
  ],
  [
    'docs/operating.md',
    'the DayPointsLow alarm',
    `less than ${DAY_POINTS_LOW_SHARE * 100}% of the day's Call API points remain`,
  ],
  [
    'docs/operating.md',
    'the calls of a number shown',
    `lists the number's calls of the last ${CAP_WINDOW_MS / 3_600_000} hours`,
  ],
  [
    'docs/operating.md',
    'the logs kept',
    `until their retention (${settings.logRetentionDays} days)`,
  ],
  // docs/configuration.md
  [
    'docs/configuration.md',
    'a contact window',
    `\`contact_window_minutes\` (1 to ${n(MAX_CONTACT_WINDOW_MINUTES)}, a week,`,
  ],
  [
    'docs/configuration.md',
    'a window an ingest left',
    `holds it ${spoken(ORPHAN_AFTER_MS)} at most`,
  ],
  ['docs/configuration.md', 'the local port', `| \`PORT\` | \`${LOCAL_BRIDGE_PORT}\` |`],
  [
    'docs/configuration.md',
    'the simulator’s port',
    `| \`SIMULATOR_PORT\` | \`${LOCAL_SIMULATOR_PORT}\` |`,
  ],
  [
    'docs/configuration.md',
    'the local admin key',
    `| \`CALLHOOK_ADMIN_KEY\` | \`${LOCAL_ADMIN_KEY}\` |`,
  ],
  [
    'docs/configuration.md',
    'how long records are kept',
    `It is deleted \`retention_days\` (default ${shipped.retention_days}) after the event`,
  ],
  [
    'docs/configuration.md',
    'the per-number counts',
    `admitted in the last ${CAP_WINDOW_MS / 3_600_000} hours`,
  ],
  [
    'docs/configuration.md',
    'the per-number counts',
    `Items expire ${CAP_WINDOW_MS / 3_600_000} hours after their last call`,
  ],
  [
    'docs/configuration.md',
    'the logs kept',
    `(kept \`logRetentionDays\`, default ${settings.logRetentionDays})`,
  ],
  [
    'docs/configuration.md',
    'a callback signing key',
    `\`whsec_\` and base64 of at least ${whsecBytes} bytes`,
  ],
  [
    'docs/configuration.md',
    'a login session',
    `reuses the session until ${spoken(REFRESH_MARGIN_MS)} before its \`expire_at\``,
  ],
  [
    'docs/configuration.md',
    'the Call API version',
    `"api_version": "${shippedAccount && 'api_version' in shippedAccount ? shippedAccount.api_version : '?'}", // default`,
  ],
  // docs/deploying-to-aws.md and docs/callback-widget.md
  ['docs/deploying-to-aws.md', 'a stage', `at most ${MAX_STAGE_LENGTH} characters`],
  [
    'docs/deploying-to-aws.md',
    'the window per address',
    `(${browserLimits.per_ip.max} forms ${spoken(browserLimits.per_ip.minutes * 60_000)} by default)`,
  ],
  [
    'docs/callback-widget.md',
    'the limits by default',
    `"per_ip": { "max": ${browserLimits.per_ip.max}, "minutes": ${browserLimits.per_ip.minutes} }, "per_number": { "max": ${browserLimits.per_number.max}, "minutes": ${browserLimits.per_number.minutes} }`,
  ],
];

describe('Figures the docs state, held to the code', () => {
  it.each(FIGURES)('%s states %s as the code has it', (file, _what, phrase) => {
    expect(docText(file)).toContain(phrase);
  });

  it('docs/deploying-to-aws.md: each setting with its default, and every setting but the config', () => {
    const rows = readFileSync('docs/deploying-to-aws.md', 'utf8')
      .split('\n')
      .filter((line) => /^\s*\| `[a-zA-Z]+`/.test(line))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    const documented = new Map<string, string>();
    for (const [, names = '', defaults = ''] of rows) {
      const values = defaults.split(', ');
      [...names.matchAll(/`([a-zA-Z]+)`/g)].forEach(([, name], i) => {
        documented.set(name as string, values[i] ?? '');
      });
    }
    const shown = (value: unknown) =>
      value === undefined || (Array.isArray(value) && value.length === 0) ? 'none' : `\`${value}\``;
    const { config: _config, ...defaults } = settings;
    expect(Object.fromEntries(documented)).toEqual(
      Object.fromEntries(
        [...Object.keys(DeploySettings.shape)]
          .filter((name) => name !== 'config')
          .map((name) => [name, shown(defaults[name as keyof typeof defaults])]),
      ),
    );
    // The least wafRateLimit the settings take, as its row says.
    const row = rows.find(([, names]) => names === '`wafRateLimit`')?.[3] ?? '';
    const atLeast = Number(/\(at least (\d+)\)/.exec(row)?.[1]);
    expect(DeploySettings.safeParse({ wafRateLimit: atLeast }).success).toBe(true);
    expect(DeploySettings.safeParse({ wafRateLimit: atLeast - 1 }).success).toBe(false);
  });
});

describe('Fixed costs the docs state in prose, held to the table the templates hold', () => {
  const table = documentedFixedCost();
  const dollars = (cell: string) => Number(/\$(\d+\.\d\d)/.exec(cell)?.[1]);
  const line = (deployment: Deployment, item: string) => dollars(table.cell(deployment, item));
  const total = (deployment: Deployment) => line(deployment, '**at rest, a month**');
  const withinFree = (deployment: Deployment) =>
    line(deployment, '**at rest, a month, within the free tiers**');
  const count = (deployment: Deployment, item: string) =>
    Number(/\((\d+)/.exec(table.cell(deployment, item))?.[1]);
  const usd = (value: number) => `$${value.toFixed(2)}`;
  const round = (value: number) => `$${Math.round(value)}`;

  const nat = line('nat-gateway', 'NAT gateway');
  const address = line('nat-gateway', 'public IPv4 address');
  const instance = line('nat-instance', 'NAT instance');
  const volume = line('nat-instance', 'its root volume');
  const gatewayEgress = nat + address;
  const instanceEgress = instance + volume + line('nat-instance', 'public IPv4 address');
  const waf = line('none, waf', 'AWS WAF web ACL') + line('none, waf', 'its rules');
  const secrets = line('nat-instance', 'secrets');
  const [, perRoute] = /(\d+) per route/.exec(table.labels.at(-1)?.[0] ?? '') ?? [];
  const routes = Object.keys(example.routes).length;

  it('README.md: the three egresses at rest, and AWS WAF', () => {
    const egresses = ['nat-gateway', 'nat-instance', 'none'] as const;
    const [a, b, c] = egresses.map((d) => round(total(d)));
    const [x, y, z] = egresses.map((d) => round(withinFree(d)));
    const readme = docText('README.md');
    expect(readme).toContain(
      `about ${a}, ${b} or ${c} a month; ${x}, ${y} or ${z} within the free tiers of CloudWatch and SQS`,
    );
    expect(readme).toContain(`(\`waf=true\`, ${round(waf)} a month more)`);
  });

  it('docs/deploying-to-aws.md: the egress, the WAF, the free tier and what is left', () => {
    const doc = docText('docs/deploying-to-aws.md');
    expect(doc).toContain(`\`bench/prices.ts\` (${PRICES.region}, ${PRICES.as_of})`);
    expect(doc).toContain(`(its ${exampleSecrets} secrets and`);
    expect(doc).toContain(`its ${routes} routes)`);
    expect(doc).toContain(`${usd(nat)} a month each, plus`);
    expect(doc).toContain(
      `${usd(instance)} a month plus its ${NAT_INSTANCE_ROOT_GB} GB encrypted root volume, ${usd(volume)}`,
    );
    expect(doc).toContain(
      `It costs ${usd(total('none'))} a month at rest (${usd(withinFree('none'))} within the free tiers`,
    );
    expect(doc).toContain(`billed (${usd(address)} a month each)`);
    expect(doc).toContain(
      `The web ACL is $${PRICES.waf_web_acl_per_month} a month and each rule $${PRICES.waf_rule_per_month}`,
    );
    expect(doc).toContain(
      `${round(waf)} a month, ${round(waf + PRICES.waf_rule_per_month)} with the anonymous IP list`,
    );
    const rest = PRICES.api_gateway_rest_per_million;
    const http = PRICES.api_gateway_http_per_million;
    const inspected = PRICES.waf_per_million_requests;
    expect(doc).toContain(
      `the REST API is ${usd(rest)} a million (the HTTP API ${usd(http)}) and WAF ${usd(inspected)} a million: a form is about three requests`,
    );
    expect(doc).toContain(
      `so about ${round(3 * (rest + inspected))} per million forms instead of ${round(3 * http)}`,
    );
    expect(doc).toContain(`beyond WAF's own ${usd(inspected)} a million`);
    expect(doc).toContain(
      `(${round(PRICES.cloudwatch_dashboard_per_month)} a month beyond the free tier's ${numberWord(PRICES.cloudwatch_free_dashboards)})`,
    );
    expect(doc).toContain(`; ${round(waf)} a month and up`);
    expect(doc).toContain(
      `(AWS's anonymous IP list, ${round(PRICES.waf_rule_per_month)} a month more)`,
    );
    expect(doc).toContain(
      `The egress alone is ${usd(gatewayEgress)} a month with a NAT gateway, ${usd(instanceEgress)} with a NAT instance`,
    );
    expect(doc).toContain(
      `AWS WAF adds ${usd(waf)} a month to any of them (${usd(waf + PRICES.waf_rule_per_month)} with \`wafAnonymousIpList\`), and ${usd(inspected)} per million requests`,
    );
    expect(doc).toContain(
      `Each further secret adds ${usd(PRICES.secrets_manager_per_secret_month)}, each further route up to ${usd(Number(perRoute) * PRICES.cloudwatch_custom_metric_per_month)} of metrics`,
    );
    expect(doc).toContain(
      `gets ${PRICES.cloudwatch_free_alarm_metrics} alarm metrics and ${PRICES.cloudwatch_free_dashboards} dashboards of up to ${PRICES.cloudwatch_free_dashboard_metrics} metrics without charge`,
    );
    const free = line('nat-gateway', "CloudWatch's free tier");
    expect(line('nat-instance', "CloudWatch's free tier")).toBe(free);
    expect(doc).toContain(`that room takes ${usd(free)} off either bill`);
    expect(doc).toContain(
      `With a NAT instance, ${usd(instanceEgress)} of the ${usd(withinFree('nat-instance'))} is`,
    );
    expect(doc).toContain(
      `${usd(secrets)} is the ${numberWord(count('nat-instance', 'secrets'))} secrets, at Secrets Manager's ${usd(PRICES.secrets_manager_per_secret_month)} each`,
    );
    expect(doc).toContain(`(${numberWord(exampleSecrets)} in the example)`);
    // With parameter-store, the config's secrets and callhook/keys leave Secrets Manager.
    const parameterStore = 'nat-instance, parameter-store';
    // No Secrets Manager secret is left: its cell is empty, the whole secrets line is saved.
    expect(table.cell(parameterStore, 'secrets')).toBe('–');
    const saved = secrets;
    expect(saved).toBeCloseTo((exampleSecrets + 1) * PRICES.secrets_manager_per_secret_month, 2);
    expect(line(parameterStore, 'SSM parameters')).toBe(0);
    expect(count(parameterStore, 'SSM parameters')).toBe(exampleSecrets + 1);
    expect(doc).toContain(
      `the \`nat-instance\` deployment ${usd(withinFree(parameterStore))} a month within the free tiers`,
    );
    // SQS's idle polling, an estimate, and its free million.
    const polling = line('nat-instance', 'SQS requests of idle polling');
    expect(doc).toContain(
      `about ${SQS_IDLE_REQUESTS_PER_MAPPING_MONTH.toLocaleString('en-US')} requests a month a mapping, ${usd(polling)} a month for the ${numberWord(count('nat-instance', 'SQS requests of idle polling'))} at ${usd(PRICES.sqs_per_million_requests)} a million`,
    );
    expect(doc).toContain(
      `its first ${PRICES.sqs_free_requests_per_month.toLocaleString('en-US')} SQS requests free, which takes ${usd(line('nat-instance', "SQS's free tier"))} off`,
    );
    expect(withinFree(parameterStore)).toBeCloseTo(withinFree('nat-instance') - saved, 2);
    expect(doc).toContain(`With the example config that is ${usd(saved)} a month less`);
    // The copy loop of the move names every secret the example names, and no other.
    const loop = /for name in ([^;]+); do/.exec(readFileSync('docs/deploying-to-aws.md', 'utf8'));
    expect(
      loop?.[1]
        ?.split(/[\s\\]+/)
        .filter((word) => word !== '')
        .sort(),
    ).toEqual(
      [...new Set([...Object.values(secretNeeds(example)).flat(), OWN_KEYS_SECRET])].sort(),
    );
  });

  it('docs/callback-widget.md, docs/operating.md and docs/benchmarks.md', () => {
    expect(docText('docs/callback-widget.md')).toContain(
      `It costs ${round(waf)} a month and ${usd(PRICES.waf_per_million_requests)} per million requests`,
    );
    const operating = docText('docs/operating.md');
    const perSecret = usd(PRICES.secrets_manager_per_secret_month);
    expect(operating).toContain(
      `| the secrets | credentials only their issuers can give again | ${perSecret} each |`,
    );
    expect(operating).toContain(`| ${usd(address)} each, in use or not |`);
    expect(operating).toContain(`costs ${perSecret} a month until you delete it`);
    expect(docText('docs/benchmarks.md')).toContain(
      `(its first ${PRICES.cloudwatch_free_alarm_metrics} alarm metrics and ${PRICES.cloudwatch_free_dashboards} dashboards of up to ${PRICES.cloudwatch_free_dashboard_metrics} metrics are not billed`,
    );
    expect(docText('docs/benchmarks.md')).toContain(
      `(with their ${NAT_INSTANCE_ROOT_GB} GB root volumes)`,
    );
  });

  it('names the deployments the bench prices, in its order', () => {
    expect(table.header.slice(2)).toEqual(
      Object.values(DEPLOYMENTS).map((deployment) => deployment.heading),
    );
    expect(docText('docs/deploying-to-aws.md')).toContain(`(\`${EXAMPLE_FORM_ROUTE}\``);
  });
});

describe('docs/benchmarks.md: what the bench runs, and its targets', () => {
  const rows = new Map(
    readFileSync('docs/benchmarks.md', 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('| **'))
      .map((line) => {
        const [, figure = '', how = '', target = ''] = line.split('|').map((cell) => cell.trim());
        return [figure.replaceAll('**', ''), { how, target }];
      }),
  );
  const row = (figure: string) => rows.get(figure) ?? { how: '', target: '' };

  it('states each target as `npm run bench` judges it', () => {
    expect(row('Ingest overhead').target).toMatch(
      new RegExp(`^p50 ≤ ${BENCH.ingest.maxFloorP50Ratio}× the floor`),
    );
    expect(row('Time to ring').target).toBe(`p99 ≤ ${BENCH.timeToRing.maxP99Ratio}× the floor`);
    expect(row('Bundle size').target).toBe(
      `ingest ≤ ${BENCH.bundle.ingestMaxKb} KB, the others ≤ ${BENCH.bundle.othersMaxKb} KB`,
    );
    expect(row('Import time').target).toBe(`≤ ${BENCH.bundle.maxImportRatio}×`);
    expect(row('DynamoDB requests per placed call').target).toBe(`≤ ${BENCH.requestsPerCall.max}`);
    const { burst } = BENCH;
    expect(row('Burst drain').target).toBe(
      `0, 0, ≤ ${burst.maxLimitExceededPer100}, ≥ ${burst.minUtilisation}`,
    );
    expect(row('Cost per million').target).toBe(
      `≤ $${BENCH.cost.maxPerMillion.toFixed(2)}; status callbacks ≤ $${BENCH.cost.maxStatusCallbacksPerMillion.toFixed(2)}`,
    );
    expect(row('Fixed cost').target).toBe(
      `\`nat-instance\`, \`secretStore=parameter-store\` ≤ $${BENCH.fixedCost.maxWithinFreeTier} within the free tier`,
    );
  });

  it('states how many webhooks each figure runs, as `npm run bench` runs them', () => {
    expect(row('Ingest overhead').how).toContain(
      `warm (${WARMUP} webhooks discarded), over ${n(BENCH.ingest.webhooks)} new webhooks`,
    );
    expect(row('Import time').how).toContain(`in ${PAIRS} pairs`);
    const { timeToRing } = BENCH;
    expect(row('Time to ring').how).toContain(
      `${timeToRing.perSecond} webhooks a second (${n(timeToRing.webhooks)} in all)`,
    );
    expect(row('DynamoDB requests per placed call').how).toContain(
      `${n(BENCH.requestsPerCall.calls)} webhooks`,
    );
    const { burst } = BENCH;
    expect(row('Burst drain').how).toContain(
      `${n(burst.webhooks)} webhooks to the simulator with a points limit of ${burst.pointsPerMinute} per minute and a clock ${burst.clockSpeedUp}× fast`,
    );
    expect(row('Cost per million').how).toContain(`${n(BENCH.cost.webhooks)} webhooks`);
  });
});
