import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallView, DialView } from '../../console/src/api-types.ts';
import { DIAL_CAUSES, RESULTS, STATUSES } from '../../console/src/statuses.ts';
import { FUNCTION_BUNDLING, functionEntry } from '../../infra/bundling.ts';
import { buildConsoleAssets, consoleDefine } from '../../infra/console-assets.ts';
import { lambdaContext } from '../../infra/local/lambda-context.ts';
import { CALL_STATUSES } from '../../shared/calls/call-record.ts';
import { CALL_RESULTS } from '../../shared/calls/call-result.ts';
import type { toCallView } from '../../shared/calls/call-view.ts';
import { readOpenApi } from '../support/openapi.ts';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** A GET as API Gateway hands it to the console function. */
const get = (path: string): APIGatewayProxyEventV2 => {
  const asset = path.match(/^\/console\/(.+)$/)?.[1];
  return {
    version: '2.0',
    routeKey: asset === undefined ? 'GET /console' : 'GET /console/{asset}',
    rawPath: path,
    rawQueryString: '',
    headers: {},
    ...(asset !== undefined && { pathParameters: { asset } }),
    requestContext: { requestId: 'r-1', http: { method: 'GET', path } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
};

const PAGE = readFileSync('console/index.html', 'utf8');

describe('The console’s Lambda bundle', () => {
  let dir: string;
  let handler: Handler;
  const define = consoleDefine(buildConsoleAssets());

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callhook-console-bundle-'));
    const out = join(dir, 'index.mjs');
    // As the CDK construct bundles it (infra/bundling.ts), with the files compiled in.
    await build({
      entryPoints: [functionEntry('console')],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: FUNCTION_BUNDLING.format,
      minify: FUNCTION_BUNDLING.minify,
      target: FUNCTION_BUNDLING.target,
      mainFields: [...FUNCTION_BUNDLING.mainFields],
      banner: { js: FUNCTION_BUNDLING.banner },
      external: [...FUNCTION_BUNDLING.external],
      define,
      logLevel: 'silent',
    });
    ({ handler } = (await import(pathToFileURL(out).href)) as { handler: Handler });
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('serves the page as written, with its security headers', async () => {
    const answer = await handler(get('/console'), lambdaContext('console'));

    expect(answer.statusCode).toBe(200);
    expect(answer.body).toBe(PAGE);
    expect(answer.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    expect(String(answer.headers?.['content-security-policy'])).toContain("default-src 'none'");
  });

  it('serves the script and the stylesheet built from console/', async () => {
    const script = await handler(get('/console/console.js'), lambdaContext('console'));
    const style = await handler(get('/console/console.css'), lambdaContext('console'));

    expect(script).toMatchObject({
      statusCode: 200,
      headers: expect.objectContaining({ 'content-type': 'text/javascript; charset=utf-8' }),
    });
    // Text of the sources: the bundle carries the console's own code.
    expect(script.body).toContain('Apply filters');
    expect(script.body).toContain('callhook.admin-key');
    expect(style).toMatchObject({
      statusCode: 200,
      headers: expect.objectContaining({ 'content-type': 'text/css; charset=utf-8' }),
    });
    expect(style.body).toContain('.visually-hidden');
  });

  it('answers any other file 404 not_found, with the same headers', async () => {
    const answer = await handler(get('/console/secrets.json'), lambdaContext('console'));

    expect(answer.statusCode).toBe(404);
    expect(JSON.parse(String(answer.body))).toMatchObject({ code: 'not_found' });
    expect(answer.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'x-content-type-options': 'nosniff',
    });
    expect(answer.headers?.['content-security-policy']).toBeDefined();
  });

  it('passes each file to esbuild in less than the 128 KiB Linux allows one argument', () => {
    // CDK runs esbuild with one `--define:NAME=value` argument per file.
    for (const [name, value] of Object.entries(define)) {
      expect({ name, fits: `--define:${name}=${value}`.length < 128 * 1024 }).toEqual({
        name,
        fits: true,
      });
    }
  });
});

/** The server's view of a call, and of one of its attempts. */
type ServerCall = ReturnType<typeof toCallView>;
type ServerDial = ServerCall['dials'][number];
/** `true` only when A and B have the same keys: a restated type that drifted fails typecheck. */
type SameKeys<A, B> = [keyof A] extends [keyof B]
  ? [keyof B] extends [keyof A]
    ? true
    : false
  : false;

describe('The console’s sources', () => {
  it('name the same call states as the API', () => {
    expect([...STATUSES]).toEqual([...CALL_STATUSES]);
    expect([...RESULTS]).toEqual([...CALL_RESULTS]);
  });

  it('restate the server’s view of an attempt, and name the causes the API does', () => {
    // Checked by the compiler: every field of an attempt, and every field the page reads of a call.
    const dialFields: SameKeys<DialView, ServerDial> = true;
    const callFields: [keyof CallView] extends [keyof ServerCall] ? true : false = true;
    const dial = readOpenApi().components.schemas.Dial as {
      properties: { cause: { enum: string[] } };
    };

    expect([dialFields, callFields]).toEqual([true, true]);
    expect(Object.keys(DIAL_CAUSES)).toEqual(dial.properties.cause.enum);
  });

  it('load only their own script and stylesheet: nothing inline, nothing from elsewhere', () => {
    const scripts = [...PAGE.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];

    expect(scripts.map(([, attributes]) => attributes?.trim())).toEqual([
      'src="console/console.js" defer',
    ]);
    expect(scripts.every(([, , body]) => body === '')).toBe(true);
    expect(PAGE).not.toMatch(/<style|\sstyle=|\son[a-z]+=|javascript:|\/\/[a-z0-9.-]+\.[a-z]/i);
    expect([...PAGE.matchAll(/<link\b[^>]*href="([^"]+)"/g)].map(([, href]) => href)).toEqual([
      'console/console.css',
    ]);
  });
});
