import { parseArgs } from 'node:util';
import type { SecretStoreKind } from '../../shared/secrets/secret-stores.ts';
import { settingsFromContext } from '../aws/settings.ts';

export interface DoctorOptions {
  configFile: string;
  stage: string | undefined;
  /** `callhook:secretStore` in `cdk.json`: read only when the stateless stack does not say. */
  secretStore: SecretStoreKind;
}

/**
 * `[--stage <name>] [--config <file>]`. Without them, the config file and the stage are the ones
 * the CDK app would deploy: `callhook:config` and `callhook:stage` in `cdk.json`'s context (the
 * defaults otherwise). Both go through the app's own settings, so a stage it would refuse is
 * refused here too.
 */
export const doctorOptions = (
  args: string[],
  cdkContext: Record<string, unknown>,
): DoctorOptions => {
  const { values } = parseArgs({
    args,
    options: { stage: { type: 'string' }, config: { type: 'string' } },
  });
  const given: Record<string, string | undefined> = {
    'callhook:config': values.config,
    'callhook:stage': values.stage,
  };
  const settings = settingsFromContext((key) => given[key] ?? cdkContext[key]);
  return { configFile: settings.config, stage: settings.stage, secretStore: settings.secretStore };
};
