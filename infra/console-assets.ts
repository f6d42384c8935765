import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { ConsoleAssets } from '../functions/console/handler.ts';

const CONSOLE_DIR = fileURLToPath(new URL('../console/', import.meta.url));

/**
 * Builds the web console from `console/`: the page as written, the script bundled from
 * `console/src/main.ts` and the stylesheet, both minified. Synchronous and in memory, so the CDK
 * stack (whose constructors cannot wait) and the local runtime build it the same way, and no
 * build step comes before `npm start`.
 */
export const buildConsoleAssets = (): ConsoleAssets => {
  const result = buildSync({
    absWorkingDir: CONSOLE_DIR,
    entryPoints: ['src/main.ts', 'console.css'],
    outdir: 'out',
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['chrome120', 'firefox120', 'safari17'],
    legalComments: 'none',
    logLevel: 'silent',
    metafile: true,
  });
  // The page is the console's own code and nothing else: no package, nothing of the server.
  const foreign = Object.keys(result.metafile.inputs).filter(
    (input) => !input.startsWith('src/') && input !== 'console.css',
  );
  if (foreign.length > 0)
    throw new Error(`the console may import only console/src; it imports ${foreign.join(', ')}`);
  const output = (extension: string): string => {
    const file = result.outputFiles.find((candidate) => candidate.path.endsWith(extension));
    if (file === undefined) throw new Error(`the console build made no ${extension} file`);
    return file.text;
  };
  return {
    html: readFileSync(`${CONSOLE_DIR}index.html`, 'utf8'),
    js: output('.js'),
    css: output('.css'),
  };
};

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
