import type { CallhookConfig } from './schema.ts';

/** One configured route as `GET /routes` shows it: what an operator picks a route by. */
export interface RouteSummary {
  name: string;
  /** The preset it was written from (`shopify-order`, …); `null` for one spelled out. */
  preset: string | null;
  account: string;
  /** How its sender proves itself (`hmac`, `token`, `none`, …): never a secret. */
  sender: string;
  /** The call it places (`start.simple_call`, …); `null` on a cancelling route. */
  method: string | null;
  /** Whether it redials a call nobody answered, and how often at most. */
  redials: boolean;
  redial_max: number | null;
  /** A cancelling route: the route whose calls its events cancel. */
  cancels: string | null;
  /** Its speed-to-lead target in minutes, if it has one. */
  target_minutes: number | null;
}

/** `GET /routes`: the configured routes, in the config's order. No secret, no mapping. */
export const routesOf = (config: CallhookConfig): { routes: RouteSummary[] } => ({
  routes: Object.entries(config.routes).map(([name, route]) => ({
    name,
    preset: route.preset ?? null,
    account: route.account,
    sender: route.auth.type,
    method: route.cancels === undefined ? route.call.method : null,
    redials: route.redial !== undefined,
    redial_max: route.redial?.max ?? null,
    cancels: route.cancels ?? null,
    target_minutes: route.target?.talk_within_minutes ?? null,
  })),
});
