import { fileURLToPath } from 'node:url';
import type { WidgetAssets } from '../functions/widget/handler.ts';
import { buildPageAssets } from './page-assets.ts';

const WIDGET_DIR = fileURLToPath(new URL('../widget/', import.meta.url));

/**
 * Builds the "call me back" widget from `widget/`: the script bundled from `widget/src/main.ts`
 * and the stylesheet, both minified, in memory (as the console's, `console-assets.ts`).
 */
export const buildWidgetAssets = (): WidgetAssets =>
  // The shop's page runs it: its own code only, nothing of the server or any package.
  buildPageAssets(WIDGET_DIR, 'widget', 'widget.css');

/** esbuild's `define` for the widget's Lambda bundle: each file's text as a string literal. */
export const widgetDefine = (assets: WidgetAssets): Record<string, string> => ({
  'process.env.CALLHOOK_WIDGET_JS': JSON.stringify(assets.js),
  'process.env.CALLHOOK_WIDGET_CSS': JSON.stringify(assets.css),
});
