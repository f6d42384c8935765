import { createLogger } from '../../shared/logging/logger.ts';
import { lazyHandler } from '../lazy-handler.ts';
import { type ConsoleAssets, createConsoleHandler } from './handler.ts';

/**
 * The console's files, compiled into the bundle by esbuild's `define` (`consoleDefine` in
 * `infra/console-assets.ts`): each `process.env.CALLHOOK_CONSOLE_…` below is replaced by the
 * file's text, so nothing is read at run time.
 */
const compiledAssets = (): ConsoleAssets => {
  const html = process.env.CALLHOOK_CONSOLE_HTML;
  const js = process.env.CALLHOOK_CONSOLE_JS;
  const css = process.env.CALLHOOK_CONSOLE_CSS;
  if (html === undefined || js === undefined || css === undefined)
    throw new Error('this bundle was built without the console (see consoleDefine)');
  return { html, js, css };
};

/** The Lambda entry point (`infra/bundling.ts`): the handler on its compiled files. */
export const handler = lazyHandler(async () =>
  createConsoleHandler(compiledAssets(), createLogger('console')),
);
