import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { browserRouteNames } from '../../shared/config/browser-routes.ts';
import type { CallhookConfig } from '../../shared/config/schema.ts';
import { acknowledgeFindings } from './nag-acknowledgements.ts';
import { DeploymentRefused } from './refusal.ts';
import type { DeploySettings } from './settings.ts';
import { stackNames } from './stage-names.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

export interface CallhookAppInput {
  /** The config as the checked schema parsed it; compiled into every function. */
  config: CallhookConfig;
  settings: DeploySettings;
  app?: App;
}

/** The whole deployment: both stacks, checked by cdk-nag's AWS Solutions rules. */
export const buildCallhookApp = (input: CallhookAppInput) => {
  for (const [name, account] of Object.entries(input.config.accounts)) {
    if (account.provider === 'simulator') {
      throw new DeploymentRefused(
        `accounts.${name} uses the local simulator; give it a real provider (or base_url) to deploy`,
      );
    }
  }
  if (input.settings.waf && browserRouteNames(input.config).length === 0) {
    throw new DeploymentRefused(
      'callhook:waf guards the browser routes (auth.type "browser"), and the config has none: leave waf off',
    );
  }
  const app = input.app ?? new App();
  const stateful = new StatefulStack(app, stackNames(input.settings.stage).stateful, {
    config: input.config,
    settings: input.settings,
  });
  const stateless = new StatelessStack(app, stackNames(input.settings.stage).stateless, {
    config: input.config,
    settings: input.settings,
    stateful,
  });
  Tags.of(app).add('app', 'callhook');
  acknowledgeFindings(stateful, stateless);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stateful, stateless };
};
