import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { HEALTH_ROUTES } from '../../functions/health/routes.ts';
import { API_ROUTES } from '../../infra/api-routes.ts';
import { CALL_STATUSES } from '../../shared/calls/call-record.ts';
import { CALL_RESULTS } from '../../shared/calls/call-result.ts';
import { OPENAPI_FILE, openApiText } from '../../shared/contract/openapi.ts';
import { PROBLEMS } from '../../shared/http/problem-error.ts';
import {
  type OpenApiDocument,
  openApiAjv,
  operationsOf,
  type ResponseObject,
  readOpenApi,
  resolvePointer,
  schemaRefAt,
} from '../support/openapi.ts';

const doc = readOpenApi();

/** Every `$ref` in the document, with where it is. */
const refsOf = (node: unknown, at = '#'): { at: string; ref: string }[] => {
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string'
      ? [{ at, ref: value }]
      : refsOf(value, `${at}/${key}`),
  );
};

/** Where a parameter, header or media type holds a `schema`, as JSON pointer parts. */
const schemasUnder = (node: unknown, at: string[]): string[][] => {
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'schema' ? [[...at, key]] : schemasUnder(value, [...at, key]),
  );
};

const responseOf = (response: ResponseObject | { $ref: string }): ResponseObject =>
  '$ref' in response ? (resolvePointer(doc, response.$ref) as ResponseObject) : response;

/** The problem codes a response names in its schema (`code: {enum}` beside the Problem ref). */
const problemCodesOf = (response: ResponseObject): string[] | undefined => {
  const schema = response.content?.['application/problem+json']?.schema as
    | { properties?: { code?: { enum?: string[] } } }
    | undefined;
  return schema?.properties?.code?.enum;
};

describe('The OpenAPI description (docs/openapi.json)', () => {
  it('is what `npm run openapi` writes from shared/contract/ (the answers’ schemas, the operations’ description)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(openApiText());
  });

  it('is a valid OpenAPI 3.1 document (@seriousme/openapi-schema-validator)', async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')));

    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toMatch(/^3\.1/);
  });

  it('is OpenAPI 3.1, at the version of the package', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.version).toBe(pkg.version);
  });

  it('has an operation for every API route, and none the API does not route', () => {
    const described = operationsOf(doc)
      .map((operation) => operation.key)
      .sort();
    const routed = API_ROUTES.map((route) => `${route.method} ${route.path}`).sort();

    expect(described).toEqual(routed);
  });

  it('lists every code of the problem catalogue, and no other', () => {
    const codes = (doc.components.schemas.ProblemCode as { enum: string[] }).enum;

    expect([...codes].sort()).toEqual(Object.keys(PROBLEMS).sort());
  });

  it('names each problem code under the status the catalogue gives it, and every code somewhere', () => {
    const misplaced: string[] = [];
    const named = new Set<string>();
    for (const { key, operation } of operationsOf(doc)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        for (const code of problemCodesOf(responseOf(response)) ?? []) {
          named.add(code);
          const catalogued = PROBLEMS[code as keyof typeof PROBLEMS]?.status;
          if (String(catalogued) !== status) misplaced.push(`${key} ${status}: ${code}`);
        }
      }
    }

    expect(misplaced).toEqual([]);
    expect([...named].sort()).toEqual(Object.keys(PROBLEMS).sort());
  });

  it('gives every problem answer the problem+json media type, and every 4xx and 5xx a problem', () => {
    const wrong: string[] = [];
    for (const { key, operation } of operationsOf(doc)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const types = Object.keys(responseOf(response).content ?? {});
        const isProblem = types.length === 1 && types[0] === 'application/problem+json';
        if (Number(status) >= 400 !== isProblem) wrong.push(`${key} ${status}: ${types.join()}`);
      }
    }

    expect(wrong).toEqual([]);
  });

  it('describes the call states and results the records have', () => {
    const outcome = resolvePointer(doc, '#/components/schemas/CallResult') as { enum: string[] };

    expect((doc.components.schemas.CallStatus as { enum: string[] }).enum).toEqual([
      ...CALL_STATUSES,
    ]);
    expect(outcome.enum).toEqual([...CALL_RESULTS]);
    expect(resolvePointer(doc, '#/components/schemas/ReportEntry/properties/result')).toEqual({
      $ref: '#/components/schemas/CallResult',
    });
  });

  it('resolves every $ref', () => {
    const refs = refsOf(doc);
    const dangling = refs.filter(({ ref }) => resolvePointer(doc, ref) === undefined);

    expect(refs.length).toBeGreaterThan(20);
    expect(dangling).toEqual([]);
  });

  it('gives every operation a unique operationId, responses, and its path parameters', () => {
    const faults: string[] = [];
    const ids = new Set<string>();
    for (const { key, path, operation } of operationsOf(doc)) {
      if (operation.operationId === undefined || ids.has(operation.operationId))
        faults.push(`${key}: operationId ${operation.operationId}`);
      ids.add(operation.operationId ?? '');
      if (Object.keys(operation.responses ?? {}).length === 0) faults.push(`${key}: no responses`);
      for (const status of Object.keys(operation.responses ?? {}))
        if (!/^[1-5]\d\d$/.test(status)) faults.push(`${key}: status ${status}`);
      const declared = (operation.parameters ?? [])
        .map((parameter) =>
          parameter.$ref === undefined
            ? parameter
            : (resolvePointer(doc, parameter.$ref) as object),
        )
        .filter((parameter) => (parameter as { in?: string }).in === 'path')
        .map((parameter) => {
          const { name, required } = parameter as { name: string; required?: boolean };
          if (required !== true) faults.push(`${key}: path parameter ${name} not required`);
          return name;
        })
        .sort();
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      if (JSON.stringify(declared) !== JSON.stringify(templated))
        faults.push(`${key}: path parameters ${declared} for {${templated}}`);
    }

    expect(faults).toEqual([]);
  });

  it('holds only schemas strict JSON Schema 2020-12 compiles (no unknown keyword, no unknown format)', () => {
    const ajv = openApiAjv(doc);
    const schemas = [
      ...Object.keys(doc.components.schemas).map((name) => ['components', 'schemas', name]),
      ...schemasUnder(doc.paths, ['paths']),
      ...schemasUnder(doc.components.responses, ['components', 'responses']),
    ];
    const failures: string[] = [];
    for (const tokens of schemas) {
      try {
        ajv.compile({ $ref: schemaRefAt(tokens) });
      } catch (error) {
        failures.push(`${tokens.join(' ')}: ${(error as Error).message}`);
      }
    }

    expect(schemas.length).toBeGreaterThan(40);
    expect(failures).toEqual([]);
  });

  it('is what GET /openapi.json answers: the committed file', () => {
    const answer = HEALTH_ROUTES['GET /openapi.json']();

    expect(JSON.parse(answer.body)).toEqual(doc satisfies OpenApiDocument);
    expect(answer.headers).toMatchObject({
      'content-type': 'application/json',
      'cache-control': expect.stringMatching(/max-age=\d+/),
    });
  });
});
