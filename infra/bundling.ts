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

/** esbuild's `define` that compiles the config text into the bundle. */
export const configDefine = (configText: string): Record<string, string> => ({
  'process.env.CALLHOOK_CONFIG_JSON': JSON.stringify(configText),
});
