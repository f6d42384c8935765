import type { CallhookConfig } from '../../shared/config/schema.ts';
import { SWEEP_TIMING } from '../../shared/dispatch/sweep-timing.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import type { Ports } from '../ports.ts';

/*
 * The composition roots on Lambda (each function's `aws-deps.ts`) make their ports from these
 * modules, one per AWS service, so that a bundle imports only the SDK clients its function uses:
 * esbuild keeps every SDK import of a module it includes. This one knows no AWS service: the
 * environment, the compiled config, and the ports that need no service at all.
 */

export const requireEnv = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '')
    throw new Error(`environment variable ${name} is not set`);
  return value;
};

export const now = () => new Date();

/** The ports every function makes the same way on Lambda: the clock, its logger, the timings. */
export const BASIC_PORTS = {
  now,
  logger: createLogger,
  timing: SWEEP_TIMING,
} satisfies Pick<Ports, 'now' | 'logger' | 'timing'>;

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
