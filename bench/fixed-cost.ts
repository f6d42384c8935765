import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseConfigText } from '../shared/config/load.ts';
import type { CallhookConfig } from '../shared/config/schema.ts';
import {
  countFixedItems,
  type FixedCostLine,
  type FixedItems,
  fixedCostLines,
  freeTierLine,
  metricsAtMost,
  totalOf,
} from './fixed-pricing.ts';
import { PRICES } from './prices.ts';

/**
 * The deployments priced, by the settings they synthesize with: each egress, the smallest
 * (`none` without the dashboard and the anomaly alarm), and `none` with a browser form behind
 * AWS WAF (the config's routes and `EXAMPLE_FORM_ROUTE`).
 */
export const DEPLOYMENTS = {
  'nat-gateway': { settings: { egress: 'nat-gateway' } },
  'nat-instance': { settings: { egress: 'nat-instance' } },
  none: { settings: { egress: 'none' } },
  'none, lean': { settings: { egress: 'none', dashboard: false, anomalyAlarm: false } },
  'none, waf': { settings: { egress: 'none', waf: true }, form: true },
} as const satisfies Record<string, { settings: Record<string, unknown>; form?: true }>;
type Egress = keyof typeof DEPLOYMENTS;
export const EGRESS_OPTIONS = Object.keys(DEPLOYMENTS) as Egress[];

export interface FixedCost {
  config: string;
  prices: { as_of: string; region: string };
  options: Record<
    Egress,
    {
      items: FixedItems;
      lines: FixedCostLine[];
      /** At list prices. */
      total: number;
      free_tier: FixedCostLine;
      /** With CloudWatch's free tier taken off, for an account that has room for it. */
      total_within_free_tier: number;
      metrics_at_most: FixedCostLine;
    }
  >;
}

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
  const option = (deployment: Egress) => {
    const { settings, ...rest } = DEPLOYMENTS[deployment];
    const deployed = 'form' in rest ? withForm : parsed;
    const routes = Object.keys(deployed.routes).length;
    const items = countFixedItems(synthTemplates(deployed, settings, flags) as never);
    const lines = fixedCostLines(items);
    const freeTier = freeTierLine(items);
    return {
      items,
      lines,
      total: totalOf(lines),
      free_tier: freeTier,
      total_within_free_tier: totalOf([...lines, freeTier]),
      metrics_at_most: metricsAtMost(items, routes),
    };
  };
  return {
    config,
    prices: { as_of: PRICES.as_of, region: PRICES.region },
    options: Object.fromEntries(
      EGRESS_OPTIONS.map((deployment) => [deployment, option(deployment)]),
    ) as FixedCost['options'],
  };
};

/** The table docs/deploying-to-aws.md shows, as Markdown. */
export const fixedCostTable = (cost: FixedCost): string => {
  const options = EGRESS_OPTIONS.map((egress) => cost.options[egress]);
  const [first] = options as [FixedCost['options'][Egress]];
  const money = (line: FixedCostLine | undefined) =>
    line === undefined || line.count === 0 ? '–' : `$${line.dollars.toFixed(2)} (${line.count})`;
  const credit = (line: FixedCostLine) => `−$${Math.abs(line.dollars).toFixed(2)}`;
  const cells = (cell: (option: FixedCost['options'][Egress]) => string) =>
    options.map(cell).join(' | ');
  const rows = first.lines.map(
    (line, i) => `| ${line.item} | ${line.price} | ${cells((option) => money(option.lines[i]))} |`,
  );
  return [
    `| item (${cost.prices.region}, list prices of ${cost.prices.as_of}) | price | ${EGRESS_OPTIONS.join(' | ')} |`,
    `| --- | --- | ${EGRESS_OPTIONS.map(() => '---').join(' | ')} |`,
    ...rows,
    `| **at rest, a month** | | ${cells((option) => `**$${option.total.toFixed(2)}**`)} |`,
    `| ${first.free_tier.item} | ${first.free_tier.price} | ${cells((option) => credit(option.free_tier))} |`,
    `| **at rest, a month, within the free tier** | | ${cells((option) => `**$${option.total_within_free_tier.toFixed(2)}**`)} |`,
    `| ${first.metrics_at_most.item} | ${first.metrics_at_most.price} | ${cells((option) => `up to $${option.metrics_at_most.dollars.toFixed(2)}`)} |`,
  ].join('\n');
};

// `npm run bench:fixed-cost`: this figure alone, without the rest of the bench.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const cost = await measureFixedCost(process.argv[2]);
  console.log(fixedCostTable(cost));
}
