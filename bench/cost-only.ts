import { measureCost } from './cost.ts';

/**
 * `npx tsx bench/cost-only.ts [webhooks]`: the cost rows of `npm run bench` alone (500 webhooks
 * by default), as JSON: what a change to the pricing or the queues moves, without the rest.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const cost = await measureCost(Number(process.argv[2] ?? 500));
const { prices: _prices, ...figures } = cost;
console.log(JSON.stringify(figures, null, 2));
