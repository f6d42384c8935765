import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseConfigText } from '../shared/config/load.ts';
import type { CallhookConfig } from '../shared/config/schema.ts';
import {
  countFixedItems,
  type FixedCostLine,
  type FixedItems,
  fixedCostLines,
  freeTierLines,
  metricsAtMost,
  totalOf,
} from './fixed-pricing.ts';
import { PRICES } from './prices.ts';

/**
 * The deployments priced, by the settings they synthesize with: each egress, `nat-instance` with
 * the config's secrets in Parameter Store, the smallest (`none` without the dashboard and the
 * anomaly alarm), and `none` with a browser form behind
 * AWS WAF (the config's routes and `EXAMPLE_FORM_ROUTE`); each with its column's heading in
 * `FIXED_COST_DOC`. The infrastructure tests synthesize these same settings and hold each column
 * of the docs' table to their templates.
 */
export const DEPLOYMENTS = {
  'nat-gateway': { settings: { egress: 'nat-gateway' }, heading: '`nat-gateway`' },
  'nat-instance': { settings: { egress: 'nat-instance' }, heading: '`nat-instance`' },
  'nat-instance, parameter-store': {
    settings: { egress: 'nat-instance', secretStore: 'parameter-store' },
    heading: '`nat-instance`, `secretStore=parameter-store`',
  },
  none: { settings: { egress: 'none' }, heading: '`none`' },
  'none, lean': {
    settings: { egress: 'none', dashboard: false, anomalyAlarm: false },
    heading: '`none`, no dashboard or anomaly alarm',
  },
  'none, waf': {
    settings: { egress: 'none', waf: true },
    form: true,
    heading: '`none`, a browser form and `waf=true`',
  },
} as const satisfies Record<
  string,
  { settings: Record<string, unknown>; form?: true; heading: string }
>;
export type Deployment = keyof typeof DEPLOYMENTS;
export const EGRESS_OPTIONS = Object.keys(DEPLOYMENTS) as Deployment[];

/** One deployment's fixed monthly cost, line by line. */
export interface PricedDeployment {
  /** The routes its config has: each adds its own per-route metrics. */
  routes: number;
  items: FixedItems;
  lines: FixedCostLine[];
  /** At list prices. */
  total: number;
  /** CloudWatch's and SQS's always-free tiers: `freeTierLines`. */
  free_tiers: FixedCostLine[];
  /** With the free tiers taken off, for an account that has room for them. */
  total_within_free_tier: number;
  metrics_at_most: FixedCostLine;
}

export interface FixedCost {
  config: string;
  prices: { as_of: string; region: string };
  options: Record<Deployment, PricedDeployment>;
}

/** Prices what a deployment's templates hold (`countFixedItems`) for a config of `routes` routes. */
export const priceDeployment = (items: FixedItems, routes: number): PricedDeployment => {
  const lines = fixedCostLines(items);
  const freeTiers = freeTierLines(items);
  return {
    routes,
    items,
    lines,
    total: totalOf(lines),
    free_tiers: freeTiers,
    total_within_free_tier: totalOf([...lines, ...freeTiers]),
    metrics_at_most: metricsAtMost(items, routes),
  };
};

type SynthTemplates = (
  config: CallhookConfig,
  settings: Record<string, unknown>,
  featureFlags: Record<string, unknown>,
) => Record<string, unknown>[];

/** A browser route as a shop's own site adds it: the form the `waf` deployment guards. */
export const EXAMPLE_FORM_ROUTE = 'infra/aws/example-form-route.json';

/** The config's text with `EXAMPLE_FORM_ROUTE` added to its routes, as `form`. */
export const withExampleForm = (configText: string): string => {
  const raw = JSON.parse(configText) as { routes: Record<string, unknown> };
  raw.routes.form = JSON.parse(readFileSync(EXAMPLE_FORM_ROUTE, 'utf8'));
  return JSON.stringify(raw);
};

/**
 * The CDK app, loaded by a path the type checker does not follow: `infra/aws` is checked under
 * its own tsconfig (aws-cdk-lib's typings do not meet this one's `exactOptionalPropertyTypes`).
 */
const SYNTH_MODULE = '../infra/aws/synth-templates.ts';

/**
 * The fixed monthly cost of each egress option, counted from the templates the CDK app
 * synthesizes for `config` (one NAT, the config's secrets, every alarm and metric filter) and
 * priced at the dated list prices in `prices.ts`. Offline, in seconds: no function is built.
 */
export const measureFixedCost = async (
  config = 'infra/aws/example.config.json',
): Promise<FixedCost> => {
  const { synthTemplates } = (await import(SYNTH_MODULE)) as { synthTemplates: SynthTemplates };
  const text = readFileSync(config, 'utf8');
  const parsed = parseConfigText(text, config);
  const withForm = parseConfigText(withExampleForm(text), `${config} and ${EXAMPLE_FORM_ROUTE}`);
  const { context } = JSON.parse(readFileSync('cdk.json', 'utf8')) as {
    context: Record<string, unknown>;
  };
  const flags = Object.fromEntries(Object.entries(context).filter(([k]) => k.startsWith('@aws')));
  const option = (deployment: Deployment) => {
    const { settings, ...rest } = DEPLOYMENTS[deployment];
    const deployed = 'form' in rest ? withForm : parsed;
    const templates = synthTemplates(deployed, settings, flags);
    return priceDeployment(
      countFixedItems(templates as never),
      Object.keys(deployed.routes).length,
    );
  };
  return {
    config,
    prices: { as_of: PRICES.as_of, region: PRICES.region },
    options: Object.fromEntries(
      EGRESS_OPTIONS.map((deployment) => [deployment, option(deployment)]),
    ) as FixedCost['options'],
  };
};

/** The docs page whose table `npm run bench:fixed-cost` writes, between these two lines. */
export const FIXED_COST_DOC = 'docs/deploying-to-aws.md';
export const FIXED_COST_BEGIN = '<!-- fixed-cost:begin -->';
export const FIXED_COST_END = '<!-- fixed-cost:end -->';

const money = (line: FixedCostLine) => {
  if (line.count === 0) return '–';
  const count = line.note === undefined ? line.count : `${line.count}: ${line.note}`;
  return `$${line.dollars.toFixed(2)} (${count})`;
};

/** The table's header: the item, its price, and each deployment's heading. */
export const fixedCostHeader = (prices: FixedCost['prices']): string[] => [
  `item (${prices.region}, list prices of ${prices.as_of})`,
  'price',
  ...EGRESS_OPTIONS.map((deployment) => DEPLOYMENTS[deployment].heading),
];

/** The table's first two columns: each row's item and its price. */
export const fixedCostLabels = (priced: PricedDeployment): [string, string][] => [
  ...priced.lines.map((line): [string, string] => [line.item, line.price]),
  ['**at rest, a month**', ''],
  ...priced.free_tiers.map((line): [string, string] => [line.item, line.price]),
  ['**at rest, a month, within the free tiers**', ''],
  [priced.metrics_at_most.item, priced.metrics_at_most.price],
];

/** One deployment's column of the table, top to bottom. */
export const fixedCostColumn = (priced: PricedDeployment): string[] => [
  ...priced.lines.map(money),
  `**$${priced.total.toFixed(2)}**`,
  ...priced.free_tiers.map((line) => `−$${Math.abs(line.dollars).toFixed(2)}`),
  `**$${priced.total_within_free_tier.toFixed(2)}**`,
  `up to $${priced.metrics_at_most.dollars.toFixed(2)} (${priced.routes} ${priced.routes === 1 ? 'route' : 'routes'})`,
];

const row = (cells: string[]) => `| ${cells.join(' | ')} |`.replace(/ {2}\|/g, ' |');

/** The table `FIXED_COST_DOC` shows, as Markdown. */
export const fixedCostTable = (cost: FixedCost): string => {
  const options = EGRESS_OPTIONS.map((deployment) => cost.options[deployment]);
  const columns = options.map(fixedCostColumn);
  const labels = fixedCostLabels(options[0] as PricedDeployment);
  const header = fixedCostHeader(cost.prices);
  return [
    row(header),
    row(header.map(() => '---')),
    ...labels.map(([item, price], i) =>
      row([item, price, ...columns.map((cells) => cells[i] ?? '')]),
    ),
  ].join('\n');
};

/** `doc` with the text between `FIXED_COST_BEGIN` and `FIXED_COST_END` replaced by `table`. */
export const withFixedCostTable = (doc: string, table: string): string => {
  const begin = doc.indexOf(FIXED_COST_BEGIN);
  const end = doc.indexOf(FIXED_COST_END);
  if (begin === -1 || end < begin) {
    throw new Error(`${FIXED_COST_DOC} has no ${FIXED_COST_BEGIN} … ${FIXED_COST_END} block`);
  }
  return `${doc.slice(0, begin + FIXED_COST_BEGIN.length)}\n${table}\n${doc.slice(end)}`;
};

// `npm run bench:fixed-cost`: this figure alone, without the rest of the bench. With the example
// config (no argument) it also writes the table into FIXED_COST_DOC.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const config = process.argv[2];
  const table = fixedCostTable(await measureFixedCost(config));
  console.log(table);
  if (config === undefined) {
    writeFileSync(FIXED_COST_DOC, withFixedCostTable(readFileSync(FIXED_COST_DOC, 'utf8'), table));
    console.log(`\nwritten to ${FIXED_COST_DOC}`);
  }
}
