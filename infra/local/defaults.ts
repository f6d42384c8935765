/**
 * What `npm start` uses when its environment says nothing. `npm run send` and the `callhook`
 * CLI find the runtime by the same values, so they are written once, here.
 */
export const LOCAL_ADMIN_KEY = 'local-admin-key';
export const LOCAL_BRIDGE_PORT = 3000;
/** The Call API simulator `npm start` runs, on `SIMULATOR_PORT`. */
export const LOCAL_SIMULATOR_PORT = 3001;
/** How often the local runtime's sweeper runs (on AWS: every minute, by its schedule). */
export const LOCAL_SWEEP_INTERVAL_MS = 5_000;

/** The bridge `npm start` serves: 127.0.0.1, on `PORT` (default 3000). */
export const localBridgeUrl = (env: Readonly<Record<string, string | undefined>>): string =>
  `http://127.0.0.1:${env.PORT === undefined || env.PORT === '' ? LOCAL_BRIDGE_PORT : env.PORT}`;
