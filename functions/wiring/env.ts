import type { CallhookConfig } from '../../shared/config/schema.ts';

/*
 * The composition roots on Lambda (each function's `aws-deps.ts`) build their ports from these
 * modules, one per AWS service, so that a bundle imports only the SDK clients its function uses:
 * esbuild keeps every SDK import of a module it includes.
 */

export const requireEnv = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '')
    throw new Error(`environment variable ${name} is not set`);
  return value;
};

export const now = () => new Date();

let compiledConfig: CallhookConfig | undefined;
/**
 * The config, compiled into the bundle by the CDK app after the checked schema parsed it (esbuild
 * replaces the expression with the JSON text; see `compiledDefine`). Parsed once per container.
 */
export const config = (): CallhookConfig => {
  compiledConfig ??= JSON.parse(
    process.env.CALLHOOK_COMPILED_CONFIG ?? requireEnv('CALLHOOK_COMPILED_CONFIG'),
  ) as CallhookConfig;
  return compiledConfig;
};
