import { expandPreset } from '../routes/presets.ts';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The config as written, each cancelling route (`cancels`) given the account and call of the
 * route it cancels where it names none: its events place nothing, but every reader of a route
 * (the numbering plans, the own numbers, the figures) finds the fields a route has. Anything
 * else is left for the schema to judge, with its path.
 */
export const withCancellersFilled = (config: unknown): unknown => {
  if (!isPlainObject(config) || !isPlainObject(config.routes)) return config;
  const routes = config.routes;
  const filled: Record<string, unknown> = {};
  for (const [name, route] of Object.entries(routes)) {
    const target =
      isPlainObject(route) &&
      typeof route.cancels === 'string' &&
      route.cancels !== name &&
      Object.hasOwn(routes, route.cancels)
        ? expandPreset(routes[route.cancels])
        : undefined;
    filled[name] =
      isPlainObject(route) && isPlainObject(target)
        ? {
            ...(target.account !== undefined && { account: target.account }),
            ...(target.call !== undefined && { call: target.call }),
            ...route,
          }
        : route;
  }
  return { ...config, routes: filled };
};
