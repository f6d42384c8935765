import type { CallhookConfig } from './schema.ts';

/**
 * The config's browser routes (`auth.type: "browser"`): public forms on the shops' pages, the
 * routes the WAF-guarded browser API serves when a deployment has one (`-c callhook:waf=true`).
 */
export const browserRouteNames = (config: CallhookConfig): string[] =>
  Object.entries(config.routes)
    .filter(([, route]) => route.auth.type === 'browser')
    .map(([name]) => name);
