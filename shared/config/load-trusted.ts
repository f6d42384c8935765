import { parseTextWith } from './parse-with.ts';
import { buildConfigSchema, type CallhookConfig } from './schema.ts';

const TrustedConfigSchema = buildConfigSchema();

/**
 * For the Lambda functions: the config text the CDK app compiled into the bundle after
 * validating it with every expression compiled. Shapes and defaults are still applied here.
 */
export const parseTrustedConfigText = (text: string, source: string): CallhookConfig =>
  parseTextWith(TrustedConfigSchema, text, source);
