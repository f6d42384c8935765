import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConsoleAssets } from '../functions/console/handler.ts';
import { buildPageAssets } from './page-assets.ts';

const CONSOLE_DIR = fileURLToPath(new URL('../console/', import.meta.url));

/**
 * Builds the web console from `console/`: the page as written, the script bundled from
 * `console/src/main.ts` and the stylesheet (`page-assets.ts`).
 */
export const buildConsoleAssets = (): ConsoleAssets => ({
  html: readFileSync(`${CONSOLE_DIR}index.html`, 'utf8'),
  ...buildPageAssets(CONSOLE_DIR, 'console', 'console.css'),
});

/**
 * esbuild's `define` for the console's Lambda bundle: each file's text as a string literal, in
 * place of the `process.env.CALLHOOK_CONSOLE_…` that `functions/console/lambda.ts` reads. (CDK
 * passes each as one argument to esbuild, and Linux caps an argument at 128 KiB: the console
 * stays far below.)
 */
export const consoleDefine = (assets: ConsoleAssets): Record<string, string> => ({
  'process.env.CALLHOOK_CONSOLE_HTML': JSON.stringify(assets.html),
  'process.env.CALLHOOK_CONSOLE_JS': JSON.stringify(assets.js),
  'process.env.CALLHOOK_CONSOLE_CSS': JSON.stringify(assets.css),
});
