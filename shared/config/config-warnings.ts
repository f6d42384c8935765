import { signsRequests } from '../senders/registry.ts';
import type { CallhookConfig } from './schema.ts';

/**
 * What a valid config still does that its author should know about, one line each, for
 * config:check and the start-up banner.
 */
export const configWarnings = (config: CallhookConfig): string[] => {
  const warnings: string[] = [];
  const signedBy = new Map<string, string[]>();
  for (const [name, route] of Object.entries(config.routes)) {
    if (route.auth.type === 'none') {
      warnings.push(`routes.${name}.auth: "none" lets anyone make this route call.`);
    } else if (signsRequests(route.auth)) {
      signedBy.set(route.auth.secret, [...(signedBy.get(route.auth.secret) ?? []), name]);
    }
  }
  // The route is in the URL, which nobody signs: a delivery signed for one of these routes is
  // just as valid on the others, and there it is another event.
  for (const [secret, routes] of signedBy) {
    if (routes.length > 1) {
      warnings.push(
        `routes ${routes.join(', ')} share the signing secret "${secret}": a delivery captured on one can be sent to the others, where it is another call. Give each route its own secret where the sender allows it.`,
      );
    }
  }
  // A cancel finds its call by the key its own event gives: another expression than the
  // cancelled route's is a cancel that may never find anything.
  for (const [name, route] of Object.entries(config.routes)) {
    const target = route.cancels === undefined ? undefined : config.routes[route.cancels];
    if (target === undefined || target.idempotency_key === route.idempotency_key) continue;
    warnings.push(
      `routes.${name}.idempotency_key (${JSON.stringify(route.idempotency_key ?? null)}) is not route ${route.cancels}'s (${JSON.stringify(target.idempotency_key ?? null)}): its cancels find a call only where both give the same key.`,
    );
  }
  return warnings;
};
