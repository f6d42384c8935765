import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { WidgetAssets } from '../functions/widget/handler.ts';

const WIDGET_DIR = fileURLToPath(new URL('../widget/', import.meta.url));

/**
 * Builds the "call me back" widget from `widget/`: the script bundled from `widget/src/main.ts`
 * and the stylesheet, both minified, in memory (as the console's, `console-assets.ts`).
 */
export const buildWidgetAssets = (): WidgetAssets => {
  const result = buildSync({
    absWorkingDir: WIDGET_DIR,
    entryPoints: ['src/main.ts', 'widget.css'],
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
  // The shop's page runs it: its own code only, nothing of the server or any package.
  const foreign = Object.keys(result.metafile.inputs).filter(
    (input) => !input.startsWith('src/') && input !== 'widget.css',
  );
  if (foreign.length > 0)
    throw new Error(`the widget may import only widget/src; it imports ${foreign.join(', ')}`);
  const output = (extension: string): string => {
    const file = result.outputFiles.find((candidate) => candidate.path.endsWith(extension));
    if (file === undefined) throw new Error(`the widget build made no ${extension} file`);
    return file.text;
  };
  return { js: output('.js'), css: output('.css') };
};

/** esbuild's `define` for the widget's Lambda bundle: each file's text as a string literal. */
export const widgetDefine = (assets: WidgetAssets): Record<string, string> => ({
  'process.env.CALLHOOK_WIDGET_JS': JSON.stringify(assets.js),
  'process.env.CALLHOOK_WIDGET_CSS': JSON.stringify(assets.css),
});
