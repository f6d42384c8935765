import { App } from 'aws-cdk-lib';
import type { CallhookConfig } from '../../shared/config/schema.ts';
import { buildCallhookApp } from './callhook-app.ts';
import { DeploySettings } from './settings.ts';

/**
 * Both stacks' templates as `cdk synth` would write them for these settings, offline and without
 * building the functions (CDK's switch for stacks deployed without their assets: the templates
 * differ only in the asset hashes). cdk-nag runs; the feature flags are `cdk.json`'s.
 */
export const synthTemplates = (
  config: CallhookConfig,
  settings: Partial<DeploySettings>,
  featureFlags: Record<string, unknown>,
): Record<string, unknown>[] => {
  const app = new App({ context: { ...featureFlags, 'aws:cdk:bundling-stacks': [] } });
  buildCallhookApp({ app, config, settings: DeploySettings.parse(settings) });
  return app.synth().stacks.map((stack) => stack.template as Record<string, unknown>);
};
