import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { CallhookConfig } from '../../shared/config/schema.ts';
import { ProblemError, quoteInput } from '../../shared/http/problem-error.ts';
import { jsonResponse } from '../../shared/http/problem-response.ts';
import { corsHeadersFor } from '../../shared/ingest/browser-cors.ts';
import { formSettingsOf } from '../../shared/ingest/form-settings.ts';
import type { Logger } from '../../shared/logging/logger.ts';
import { servingBothApis } from '../http/api-event.ts';
import { problemResponses } from '../http/problem-responses.ts';

/** The widget's files, built from `widget/` by `infra/widget-assets.ts`. */
export interface WidgetAssets {
  js: string;
  css: string;
}

/**
 * Public files any shop's page loads with a `<script>` and a `<link>`: readable cross-origin,
 * kept a few minutes by browsers and proxies.
 */
const WIDGET_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'cross-origin',
  'cache-control': 'public, max-age=300',
};

/** Whether a route calls now changes at its opening: a minute's cache is right often enough. */
const SETTINGS_CACHE = 'public, max-age=60';

const file = (type: string, body: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode: 200,
  headers: { ...WIDGET_HEADERS, 'content-type': `${type}; charset=utf-8` },
  body,
});

export interface WidgetDeps {
  config: CallhookConfig;
  assets: WidgetAssets;
  now: () => Date;
  logger: Logger;
}

/**
 * `GET /widget/{asset}`: the widget's script and stylesheet. `GET /hooks/{route}/form`: a
 * browser route's public form settings (`FormSettings`), for its own sites' pages.
 */
export const createWidgetHandler = (deps: WidgetDeps) => {
  const files: Readonly<Record<string, APIGatewayProxyStructuredResultV2>> = {
    'callhook-widget.js': file('text/javascript', deps.assets.js),
    'callhook-widget.css': file('text/css', deps.assets.css),
  };
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(problemResponses(deps.logger))
    .handler(async (event) => {
      const route = event.pathParameters?.route;
      if (route !== undefined) {
        const settings = formSettingsOf(deps.config, route, deps.now());
        return jsonResponse(200, settings, {
          ...corsHeadersFor(deps.config, route, event.headers?.origin),
          vary: 'Origin',
          'cache-control': SETTINGS_CACHE,
        });
      }
      const asset = event.pathParameters?.asset ?? '';
      if (Object.hasOwn(files, asset)) return files[asset] as APIGatewayProxyStructuredResultV2;
      throw new ProblemError('not_found', `The widget has no file ${quoteInput(asset)}.`);
    });
};

/**
 * The widget as API Gateway invokes it: from the HTTP API, and from the WAF-guarded browser API
 * when the deployment has one (`browserApiGuarded`), which then alone answers it: every route of
 * this function serves browsers.
 */
export const createWidgetEntry = (deps: WidgetDeps, options: { browserApiGuarded: boolean }) =>
  servingBothApis(createWidgetHandler(deps), () => options.browserApiGuarded);
