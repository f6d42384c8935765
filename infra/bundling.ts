import type { CallhookConfig } from '../shared/config/schema.ts';
import type { PhoneNumbering } from '../shared/routes/phone-numbering.ts';

/**
 * The module a function's bundle is built from: its handler on its AWS ports. (Its
 * `handler.ts` knows no AWS; the local runtime and the tests compose it with other ports.)
 */
export const functionEntry = (name: string): string => `functions/${name}/lambda.ts`;

/**
 * How a function is bundled for Lambda, shared by the CDK construct and the cold-start
 * benchmark so the benchmark measures what is deployed.
 */
export const FUNCTION_BUNDLING = {
  format: 'esm',
  minify: true,
  sourcemap: false,
  target: 'node24',
  mainFields: ['module', 'main'],
  // ESM bundles of CommonJS dependencies still call `require`.
  banner:
    "import { createRequire as __callhookCreateRequire } from 'node:module'; const require = __callhookCreateRequire(import.meta.url);",
  // The Lambda runtime provides the AWS SDK.
  external: ['@aws-sdk/*'],
} as const;

/**
 * esbuild's `define`: what a function bundle carries compiled in. The config as the checked
 * schema returned it at synth (presets expanded, defaults applied, every expression checked),
 * so a function reads it without the schema; in the bundle because Lambda caps environments at
 * 4 KB. And the phone numbering its routes dial, so the bundle holds those countries' metadata
 * rather than the whole world's.
 */
export const compiledDefine = (
  config: CallhookConfig,
  numbering: PhoneNumbering,
): Record<string, string> => ({
  'process.env.CALLHOOK_COMPILED_CONFIG': JSON.stringify(JSON.stringify(config)),
  'process.env.CALLHOOK_PHONE_NUMBERING_JSON': JSON.stringify(JSON.stringify(numbering)),
});
