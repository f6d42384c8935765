import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildCallhookApp } from '../../infra/aws/callhook-app.ts';
import { DeploySettings } from '../../infra/aws/settings.ts';
import { parseConfigText } from '../../shared/config/load.ts';
import type { CallhookConfig } from '../../shared/config/schema.ts';

export const EXAMPLE_CONFIG = 'infra/aws/example.config.json';
export const exampleConfig = (): CallhookConfig =>
  parseConfigText(readFileSync(EXAMPLE_CONFIG, 'utf8'), EXAMPLE_CONFIG);

/**
 * The feature flags `cdk.json` sets, which `cdk synth` runs the app with: the tests synthesize
 * what a deploy would, CloudFormation's schema check (`validateAgainstDefaultRules`) included.
 */
export const cdkFeatureFlags = (): Record<string, unknown> => {
  const { context } = JSON.parse(readFileSync('cdk.json', 'utf8')) as {
    context: Record<string, unknown>;
  };
  return Object.fromEntries(Object.entries(context).filter(([key]) => key.startsWith('@aws-cdk')));
};

export type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown }
>;
export interface StackTemplate {
  Resources: Resources;
  Outputs?: Record<string, unknown>;
  Parameters?: Record<string, unknown>;
}

export interface Synthesized {
  app: App;
  stateful: Template;
  stateless: Template;
  /** Each stack's template by its stack name. */
  templates: Record<string, StackTemplate>;
  stackNames: { stateful: string; stateless: string };
}

/**
 * Synthesizes the app offline (cdk-nag and the CloudFormation schema check run; either throws
 * on a finding). Without `bundle` the functions are not built (CDK's own switch for stacks
 * being deployed without their assets): the templates are the same but for the asset hashes.
 */
export const synthCallhook = (
  options: {
    settings?: Partial<DeploySettings>;
    config?: CallhookConfig;
    bundle?: boolean;
    /** Runs on the built app before its synthesis: to break it on purpose. */
    before?: (built: ReturnType<typeof buildCallhookApp>) => void;
  } = {},
): Synthesized => {
  const context: Record<string, unknown> = cdkFeatureFlags();
  if (options.bundle !== true) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({ context });
  const built = buildCallhookApp({
    app,
    config: options.config ?? exampleConfig(),
    settings: DeploySettings.parse(options.settings ?? {}),
  });
  options.before?.(built);
  const assembly = app.synth();
  return {
    app,
    stateful: Template.fromStack(built.stateful),
    stateless: Template.fromStack(built.stateless),
    templates: Object.fromEntries(
      assembly.stacks.map((stack) => [stack.stackName, stack.template as StackTemplate]),
    ),
    stackNames: { stateful: built.stateful.stackName, stateless: built.stateless.stackName },
  };
};
