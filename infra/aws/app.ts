import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { parseConfigText } from '../../shared/config/load.ts';
import { buildCallhookApp } from './callhook-app.ts';
import { settingsFromContext } from './settings.ts';

/** The CDK app `cdk.json` runs: the config file named by `callhook:config`, deployed. */
const app = new App();
const settings = settingsFromContext((key) => app.node.tryGetContext(key));
const text = readFileSync(settings.config, 'utf8');
const config = parseConfigText(text, settings.config);
buildCallhookApp({ app, config, settings });
