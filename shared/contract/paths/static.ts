import { type Header, type PathItem, problem } from '../operations.ts';
import { INTERNAL_ERROR } from './components.ts';

/** What reads no data: the web console's files, the health check and this description. */

/** The headers of every answer of the console function (functions/console/handler.ts). */
const CONSOLE_HEADERS: Record<string, Header> = {
  'Content-Security-Policy': {
    description: 'Its own script, style and API only; no inline code, no frames.',
    required: true,
    schema: { type: 'string', pattern: "default-src 'none'" },
  },
  'X-Content-Type-Options': { required: true, schema: { const: 'nosniff' } },
  'Cache-Control': {
    description: 'Asked again every time, so a deployment shows at once.',
    required: true,
    schema: { type: 'string' },
  },
};

const TEXT = { type: 'string' };

export const STATIC_PATHS: Record<string, PathItem> = {
  '/console': {
    get: {
      operationId: 'getConsole',
      summary: 'The web console’s page',
      description:
        'Static: the page holds no data. It asks for the admin key and reads `/calls` and `/figures` with it, from its own origin only (its Content-Security-Policy allows nothing else).',
      tags: ['console'],
      security: [],
      responses: {
        200: {
          description: 'The page.',
          headers: CONSOLE_HEADERS,
          content: { 'text/html': TEXT },
        },
        500: INTERNAL_ERROR,
      },
    },
  },
  '/console/{asset}': {
    get: {
      operationId: 'getConsoleAsset',
      summary: 'The web console’s script or stylesheet',
      tags: ['console'],
      security: [],
      parameters: [
        {
          name: 'asset',
          in: 'path',
          required: true,
          description: 'One of the console’s files; any other name is answered `404 not_found`.',
          schema: { type: 'string', examples: ['console.js', 'console.css'] },
        },
      ],
      responses: {
        200: {
          description: 'The file.',
          headers: CONSOLE_HEADERS,
          content: { 'text/javascript': TEXT, 'text/css': TEXT },
        },
        404: problem('The console has no file of that name.', ['not_found'], CONSOLE_HEADERS),
        500: INTERNAL_ERROR,
      },
    },
  },
  '/widget/{asset}': {
    get: {
      operationId: 'getWidgetAsset',
      summary: 'The “call me back” widget’s script or stylesheet',
      description:
        'Public files a shop’s page loads with one `<script src=".../widget/callhook-widget.js" data-route="...">`; cacheable for five minutes and readable cross-origin.',
      tags: ['widget'],
      security: [],
      parameters: [
        {
          name: 'asset',
          in: 'path',
          required: true,
          description: 'One of the widget’s files; any other name is answered `404 not_found`.',
          schema: { type: 'string', examples: ['callhook-widget.js', 'callhook-widget.css'] },
        },
      ],
      responses: {
        200: {
          description: 'The file.',
          content: { 'text/javascript': TEXT, 'text/css': TEXT },
        },
        404: problem('The widget has no file of that name.', ['not_found']),
        500: INTERNAL_ERROR,
      },
    },
  },
  '/health': {
    get: {
      operationId: 'getHealth',
      summary: 'The API answers',
      description:
        'Touches no dependency: it says the API and its functions are reachable, nothing more.',
      tags: ['meta'],
      security: [],
      responses: {
        200: {
          description: 'Up.',
          content: {
            'application/json': {
              type: 'object',
              required: ['status'],
              additionalProperties: false,
              properties: { status: { const: 'ok' } },
            },
          },
        },
      },
    },
  },
  '/openapi.json': {
    get: {
      operationId: 'getOpenApi',
      summary: 'This description',
      description:
        'The OpenAPI 3.1 description of this contract, as committed in docs/openapi.json.',
      tags: ['meta'],
      security: [],
      responses: {
        200: {
          description: 'The description.',
          headers: {
            'Cache-Control': {
              description: 'It changes only with a deploy.',
              required: true,
              schema: { type: 'string' },
            },
          },
          content: {
            'application/json': {
              type: 'object',
              required: ['openapi', 'info', 'paths'],
              properties: {
                openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' },
                info: { type: 'object' },
                paths: { type: 'object' },
              },
            },
          },
        },
      },
    },
  },
};
