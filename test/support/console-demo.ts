import { parseConfig } from '../../shared/config/load.ts';
import type { CallhookConfig } from '../../shared/config/schema.ts';
import { WEEKDAYS } from '../../shared/routes/calling-hours.ts';
import { shippedConfig } from './runtime.ts';

/** A route whose calls wait as `scheduled`: the shipped `callback`, with calling hours closed. */
export const LATER_ROUTE = 'callback-later';

/**
 * The shipped config and `callback-later`, which may ring only on the weekday three days from
 * now: closed today and tomorrow, so a call made during a test run stays `scheduled`.
 */
export const consoleDemoConfig = async (): Promise<CallhookConfig> => {
  const shipped = JSON.parse(JSON.stringify(await shippedConfig())) as {
    routes: Record<string, Record<string, unknown>>;
  };
  const inThreeDays = WEEKDAYS[(new Date().getUTCDay() + 6 + 3) % 7];
  shipped.routes[LATER_ROUTE] = {
    ...shipped.routes.callback,
    calling_hours: { time_zone: 'UTC', days: [inThreeDays], from: '09:00', to: '18:00' },
  };
  return parseConfig(shipped, 'console demo');
};
