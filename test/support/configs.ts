import { parseConfig } from '../../shared/config/load.ts';
import type { CallhookConfig } from '../../shared/config/schema.ts';

/** The simulated account most test configs call through (its secret is in every test runtime). */
export const DEMO_ACCOUNT = {
  provider: 'simulator',
  secret: 'demo/callapi',
  virtual_phone_number: '74993720692',
} as const;

/** A config with the demo account and `routes`, each of them on that account. */
export const demoConfig = (
  routes: Record<string, Record<string, unknown>>,
  extra: Record<string, unknown> = {},
  source = 'test config',
): CallhookConfig =>
  parseConfig(
    {
      accounts: { demo: DEMO_ACCOUNT },
      routes: Object.fromEntries(
        Object.entries(routes).map(([name, route]) => [name, { account: 'demo', ...route }]),
      ),
      ...extra,
    },
    source,
  );
