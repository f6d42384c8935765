import { ConfigError, loadConfigFile } from '../shared/config/load.ts';

/**
 * `npm run config:check [file]`: validates a config file the way start-up does and prints each
 * problem with its path. Exit code 0 when valid, 1 when not.
 */
const file = process.argv[2] ?? process.env.CALLHOOK_CONFIG ?? 'callhook.config.json';
try {
  const config = await loadConfigFile(file);
  const routes = Object.entries(config.routes);
  console.log(
    `${file} is valid: ${Object.keys(config.accounts).length} account(s), ${routes.length} route(s).`,
  );
  for (const [name, route] of routes) {
    if (route.auth.type === 'none') {
      console.log(`warning: routes.${name}.auth: "none" lets anyone make this route call.`);
    }
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
