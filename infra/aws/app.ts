import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { ConfigError, parseConfigText } from '../../shared/config/load.ts';
import { buildCallhookApp } from './callhook-app.ts';
import { DeploymentRefused } from './refusal.ts';
import { settingsFromContext } from './settings.ts';

/** The config file named by `callhook:config`, or what reading it said (a missing file). */
const readConfigText = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new DeploymentRefused(`cannot read the config ${path}: ${(error as Error).message}`);
  }
};

/** The CDK app `cdk.json` runs: the config file named by `callhook:config`, deployed. */
try {
  const app = new App();
  const settings = settingsFromContext((key) => app.node.tryGetContext(key));
  const config = parseConfigText(readConfigText(settings.config), settings.config);
  buildCallhookApp({ app, config, settings });
} catch (error) {
  // What the operator must change gets its message alone; anything else is a bug, with its trace.
  if (!(error instanceof DeploymentRefused || error instanceof ConfigError)) throw error;
  console.error(`callhook: ${error.message}`);
  // At once: the App would otherwise synthesize the half-built tree as the process ends.
  process.exit(1);
}
