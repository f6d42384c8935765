import { createLogger } from '../../shared/logging/logger.ts';
import { BROWSER_API_GUARDED_ENV } from '../http/api-event.ts';
import { lazyHandler } from '../lazy-handler.ts';
import { config } from '../wiring/env.ts';
import { createWidgetEntry, type WidgetAssets } from './handler.ts';

/**
 * The widget's files, compiled into the bundle by esbuild's `define` (`widgetDefine` in
 * `infra/widget-assets.ts`): each `process.env.CALLHOOK_WIDGET_…` is replaced by the file's text.
 */
const compiledAssets = (): WidgetAssets => {
  const js = process.env.CALLHOOK_WIDGET_JS;
  const css = process.env.CALLHOOK_WIDGET_CSS;
  if (js === undefined || css === undefined)
    throw new Error('this bundle was built without the widget (see widgetDefine)');
  return { js, css };
};

/** The Lambda entry point (`infra/bundling.ts`): the handler on its compiled files and config. */
export const handler = lazyHandler(async () =>
  createWidgetEntry(
    {
      config: config(),
      assets: compiledAssets(),
      now: () => new Date(),
      logger: createLogger('widget'),
    },
    { browserApiGuarded: process.env[BROWSER_API_GUARDED_ENV] === 'true' },
  ),
);
