import { resolve } from 'node:path';
import { FileSecretStore } from '../../shared/adapters/local/file-secret-store.ts';
import { ConfigError, loadConfigFile } from '../../shared/config/load.ts';
import { banner } from './banner.ts';
import { watchConfigFile } from './config-watch.ts';
import { LOCAL_ADMIN_KEY, LOCAL_BRIDGE_PORT, LOCAL_SIMULATOR_PORT } from './defaults.ts';
import { startLocalRuntime } from './runtime.ts';

/** `npm start`: the local runtime on its embedded defaults, configured by environment variables. */

if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
  console.log(`Runs callhook on this machine: the same handlers as on Lambda, dynalite, in-process
queues, the local secrets file and a Call API simulator. No options: environment variables.

usage: npm start

  PORT                   the API's port (default ${LOCAL_BRIDGE_PORT})
  SIMULATOR_PORT         the Call API simulator's port (default ${LOCAL_SIMULATOR_PORT})
  CALLHOOK_CONFIG        the config file (default callhook.config.json)
  CALLHOOK_SECRETS_FILE  the secrets file (default callhook.secrets.local.json)
  CALLHOOK_ADMIN_KEY     the admin key of /calls and the console (default ${LOCAL_ADMIN_KEY})
  CALLHOOK_DATA_DIR      keep calls and queues on disk in this folder (default: in memory)
  CALLHOOK_SIMULATOR_URL a simulator already running elsewhere

docs/configuration.md lists them all.`);
  process.exit(0);
}

const env = process.env;
// Lambda runs Node 24; on a Node 20 workstation the SDK's notice about future versions is noise
// (package-lock.json pins versions that run here).
env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const portFrom = (name: string, fallback: number): number => {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`${name} must be a port number (0-65535), got ${JSON.stringify(value)}`);
    process.exit(1);
  }
  return port;
};

/**
 * What stopped the start, for a person: a port already taken (a second `npm start`, say) names
 * the variable that moves it.
 */
const whyNotStarted = (error: unknown): string => {
  const { code, port: taken } = (error ?? {}) as { code?: unknown; port?: unknown };
  if (code !== 'EADDRINUSE') return error instanceof Error ? error.message : String(error);
  const which =
    taken === simulatorPort
      ? `SIMULATOR_PORT (the Call API simulator's port, now ${simulatorPort})`
      : `PORT (the API's port, now ${port})`;
  return `port ${String(taken)} is already in use (is another npm start running?). Stop it, or move this one with ${which}, e.g. PORT=3100 SIMULATOR_PORT=3101 npm start.`;
};

const configPath = resolve(env.CALLHOOK_CONFIG ?? 'callhook.config.json');
const secretsFile = resolve(env.CALLHOOK_SECRETS_FILE ?? 'callhook.secrets.local.json');
const adminKey = env.CALLHOOK_ADMIN_KEY ?? LOCAL_ADMIN_KEY;
const dataDir = env.CALLHOOK_DATA_DIR === undefined ? undefined : resolve(env.CALLHOOK_DATA_DIR);
const port = portFrom('PORT', LOCAL_BRIDGE_PORT);
const simulatorPort = portFrom('SIMULATOR_PORT', LOCAL_SIMULATOR_PORT);
// A simulator already running elsewhere (its record of calls then outlives this process).
const simulatorUrl = env.CALLHOOK_SIMULATOR_URL === '' ? undefined : env.CALLHOOK_SIMULATOR_URL;

const config = await loadConfigFile(configPath).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
});

const runtime = await startLocalRuntime({
  config,
  secretsFile,
  adminKey,
  port,
  simulatorPort,
  ...(dataDir !== undefined && { dataDir }),
  ...(simulatorUrl !== undefined && { simulatorUrl }),
}).catch((error: unknown) => {
  console.error(`callhook could not start: ${whyNotStarted(error)}`);
  process.exit(1);
});

// The banner shows each route's token so the printed curl works; these are local demo secrets.
const secrets = new FileSecretStore(secretsFile);
const tokens: Record<string, string> = {};
for (const [name, route] of Object.entries(config.routes)) {
  if (route.auth.type === 'token') {
    tokens[name] = await secrets.get(route.auth.secret).catch(() => '<token>');
  }
}
// `npm run send` reads the same variables: the banner repeats those it needs to find this runtime.
const bridgePort = new URL(runtime.bridgeUrl).port;
const sendEnv: Record<string, string> = {
  ...(bridgePort !== String(LOCAL_BRIDGE_PORT) && { PORT: bridgePort }),
  ...(env.CALLHOOK_CONFIG !== undefined && { CALLHOOK_CONFIG: env.CALLHOOK_CONFIG }),
  ...(env.CALLHOOK_SECRETS_FILE !== undefined && {
    CALLHOOK_SECRETS_FILE: env.CALLHOOK_SECRETS_FILE,
  }),
};
// Watched before the banner is printed: whoever reads the banner may edit the file at once.
const configWatch = watchConfigFile(configPath, (line) => console.log(`\n${line}\n`));

console.log(
  banner({
    config,
    bridgeUrl: runtime.bridgeUrl,
    simulatorUrl: runtime.simulatorUrl,
    adminKey,
    dataDir,
    tokens,
    sendEnv,
  }),
);

const shutdown = async () => {
  configWatch.close();
  await runtime.stop();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
