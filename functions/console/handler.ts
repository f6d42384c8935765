import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ProblemError, quoteInput } from '../../shared/http/problem-error.ts';
import type { Logger } from '../../shared/logging/logger.ts';
import { problemResponses } from '../http/problem-responses.ts';

/**
 * The web console's files: its page, its one script and its one stylesheet, built from
 * `console/` by `infra/console-assets.ts` (in memory by the local runtime, into the Lambda bundle
 * by the CDK stack).
 */
export interface ConsoleAssets {
  html: string;
  js: string;
  css: string;
}

/**
 * The page may load its own script and style and talk to its own API, nothing else: no inline
 * code, no other origin, no frames, no forms posted anywhere, and no string reaching an HTML sink
 * (Trusted Types, with no policy to make one).
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

/** On every answer of the console, its files and its 404s alike. */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  // Small files: always asked again, so a deployment shows at once.
  'cache-control': 'no-cache',
};

const file = (type: string, body: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode: 200,
  headers: { ...CONSOLE_HEADERS, 'content-type': `${type}; charset=utf-8` },
  body,
});

/** `GET /console` and `GET /console/{asset}`: static files only; the data needs the admin key. */
export const createConsoleHandler = (assets: ConsoleAssets, logger: Logger) => {
  const files: Readonly<Record<string, APIGatewayProxyStructuredResultV2>> = {
    'console.js': file('text/javascript', assets.js),
    'console.css': file('text/css', assets.css),
  };
  const page = file('text/html', assets.html);
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(problemResponses(logger))
    .handler(async (event) => {
      const asset = event.pathParameters?.asset;
      if (asset === undefined) return page;
      if (Object.hasOwn(files, asset)) return files[asset] as APIGatewayProxyStructuredResultV2;
      throw new ProblemError(
        'not_found',
        `The console has no file ${quoteInput(asset)}.`,
        {},
        { headers: { ...CONSOLE_HEADERS } },
      );
    });
};
