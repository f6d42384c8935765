import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FileSecretStore, SecretsFileError } from '../shared/adapters/local/file-secret-store.ts';
import { configWarnings } from '../shared/config/config-warnings.ts';
import { ConfigError, loadConfigFile } from '../shared/config/load.ts';
import { secretProblems, secretRequirements } from '../shared/config/secret-requirements.ts';

/**
 * `npm run config:check [file] [-- --secrets FILE]`: validates a config file the way start-up
 * does and prints each problem with its path; then checks that every secret the config names
 * exists in the secrets file and has the shape its reader needs. Exit code 0 when all is
 * well, 1 when not.
 */
const USAGE = `Checks a config file as start-up does, then the secrets it names.

usage: npm run config:check [file] [-- --secrets FILE]

  file              the config file (default: CALLHOOK_CONFIG, else callhook.config.json)
  --secrets FILE    the secrets file to check the named secrets in (default:
                    CALLHOOK_SECRETS_FILE, else callhook.secrets.local.json with the local config)
  -h, --help        this help

exit codes: 0 all is well, 1 a problem in the config or its secrets, 2 a bad command line`;

const parsed = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { secrets: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    console.error(`config:check: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
})();
if (parsed.values.help === true) {
  console.log(USAGE);
  process.exit(0);
}
const { values, positionals } = parsed;
const file = positionals[0] ?? process.env.CALLHOOK_CONFIG ?? 'callhook.config.json';
const LOCAL_SECRETS = 'callhook.secrets.local.json';
// The local secrets file goes with the local config; a deploy config's secrets live on AWS.
const secretsFile =
  values.secrets ??
  process.env.CALLHOOK_SECRETS_FILE ??
  (file === 'callhook.config.json' && existsSync(LOCAL_SECRETS) ? LOCAL_SECRETS : undefined);

try {
  const config = await loadConfigFile(file);
  const routes = Object.entries(config.routes);
  console.log(
    `${file} is valid: ${Object.keys(config.accounts).length} account(s), ${routes.length} route(s).`,
  );
  for (const warning of configWarnings(config)) console.log(`warning: ${warning}`);
  const needs = secretRequirements(config);
  if (secretsFile === undefined) {
    console.log(
      `secrets: not checked (${needs.length} named); pass --secrets FILE to check a secrets file.`,
    );
  } else {
    const problems = await secretProblems(needs, new FileSecretStore(secretsFile));
    for (const problem of problems) console.error(problem);
    if (problems.length > 0) process.exitCode = 1;
    else console.log(`${secretsFile}: all ${needs.length} named secrets are usable.`);
  }
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof SecretsFileError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
