import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

import { OPENAPI_FILE } from '../../shared/contract/openapi.ts';

/** The committed description of the HTTP contract. */
export { OPENAPI_FILE };

type Json = Record<string, unknown>;

export interface MediaType {
  schema?: Json;
}
export interface ResponseObject {
  description: string;
  headers?: Record<string, { required?: boolean; schema?: Json } | { $ref: string }>;
  content?: Record<string, MediaType>;
}
export interface Operation {
  operationId?: string;
  parameters?: (Json & { $ref?: string })[];
  responses?: Record<string, ResponseObject | { $ref: string }>;
}
export interface OpenApiDocument {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> } & Json;
}

/** Read from disk, not imported: what a test checks is the committed text itself. */
export const readOpenApi = (): OpenApiDocument =>
  JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as OpenApiDocument;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every operation of the description, as `METHOD /path` with the path as written there. */
export const operationsOf = (doc: OpenApiDocument) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => ({
        key: `${method.toUpperCase()} ${path}`,
        method,
        path,
        operation,
      })),
  );

const SPEC_ID = 'https://callhook.invalid/openapi.json';

const unescapeToken = (token: string) => token.replaceAll('~1', '/').replaceAll('~0', '~');
const escapeToken = (token: string) => token.replaceAll('~', '~0').replaceAll('/', '~1');

/** What a local `$ref` (`#/components/…`) points at, or undefined when it points nowhere. */
export const resolvePointer = (doc: unknown, ref: string): unknown => {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = doc;
  for (const token of ref.slice(1).split('/').slice(1)) {
    if (typeof node !== 'object' || node === null) return undefined;
    const key = unescapeToken(decodeURIComponent(token));
    if (!Object.hasOwn(node, key)) return undefined;
    node = (node as Json)[key];
  }
  return node;
};

/** A JSON pointer as a URI fragment (`{route}` is not allowed there as it stands). */
const fragmentOf = (tokens: string[]) =>
  `#/${tokens.map((token) => encodeURIComponent(escapeToken(token))).join('/')}`;

/** A reference, for `openApiAjv`, to the schema at `tokens` (the JSON pointer's parts). */
export const schemaRefAt = (tokens: string[]): string => `${SPEC_ID}${fragmentOf(tokens)}`;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * Ajv for JSON Schema 2020-12 (OpenAPI 3.1's dialect), strict, so that a keyword it does not
 * know (a typo in the description) fails rather than being ignored. The document is added whole,
 * so a schema's `#/components/schemas/…` references resolve as they do in the description.
 */
export const openApiAjv = (doc: OpenApiDocument) => {
  // strictTypes aside: a response narrows the Problem schema's `code` with `properties` beside
  // its `$ref`, which that rule would have repeat `type: object`.
  const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
  // The two formats the description uses, checked here rather than through another package.
  ajv.addFormat(
    'date-time',
    (value: string) => RFC3339.test(value) && !Number.isNaN(Date.parse(value)),
  );
  ajv.addFormat(
    'uri',
    (value: string) => URL.canParse(value) && /^[a-z][a-z0-9+.-]*:/i.test(value),
  );
  // The members of an OpenAPI document around its schemas: data, not schema keywords.
  ajv.addVocabulary(['openapi', 'info', 'tags', 'paths', 'components', 'servers', 'security']);
  ajv.addSchema(doc, SPEC_ID);
  return ajv;
};

export interface ObservedAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * Holds real answers to the description: the operation `METHOD path` (the path as the
 * description writes it) must document the answer's status, its media type, and every required
 * header, and the body must be valid against that response's schema. Returns what is wrong,
 * nothing when the answer is the contract's.
 */
export const createContractChecker = (doc: OpenApiDocument) => {
  const ajv = openApiAjv(doc);
  const compiled = new Map<string, ValidateFunction>();
  const validatorAt = (tokens: string[]): ValidateFunction => {
    const fragment = fragmentOf(tokens);
    let validate = compiled.get(fragment);
    if (validate === undefined) {
      validate = ajv.compile({ $ref: schemaRefAt(tokens) });
      compiled.set(fragment, validate);
    }
    return validate;
  };
  const errorsOf = (validate: ValidateFunction, value: unknown, where: string): string[] =>
    validate(value)
      ? []
      : (validate.errors ?? []).map(
          (error) =>
            `${where}${error.instancePath} ${error.message} ${JSON.stringify(error.params)} (${error.schemaPath})`,
        );

  const check = (method: string, path: string, answer: ObservedAnswer): string[] => {
    const operation = doc.paths[path]?.[method.toLowerCase()];
    if (operation === undefined) return [`${method} ${path} is not in the description`];
    let tokens = ['paths', path, method.toLowerCase(), 'responses', String(answer.status)];
    let response = operation.responses?.[String(answer.status)];
    if (response === undefined)
      return [`${method} ${path} does not document the status ${answer.status}`];
    if ('$ref' in response) {
      tokens = response.$ref.slice(2).split('/').map(unescapeToken);
      response = resolvePointer(doc, response.$ref) as ResponseObject;
    }
    const problems: string[] = [];
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      if ('$ref' in header) {
        problems.push(`header ${name}: a $ref the checker does not follow`);
        continue;
      }
      const value = answer.headers.get(name);
      if (value === null) {
        if (header.required) problems.push(`the required header ${name} is missing`);
        continue;
      }
      const typed =
        header.schema?.type === 'integer' && /^-?\d+$/.test(value) ? Number(value) : value;
      problems.push(
        ...errorsOf(validatorAt([...tokens, 'headers', name, 'schema']), typed, `header ${name}`),
      );
    }
    const mediaType = (answer.headers.get('content-type') ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase();
    if (response.content === undefined) {
      if (answer.text !== '') problems.push('a body where the description documents none');
      return problems;
    }
    if (mediaType === undefined || !Object.hasOwn(response.content, mediaType)) {
      return [
        ...problems,
        `Content-Type ${mediaType} is not one of ${Object.keys(response.content).join(', ')}`,
      ];
    }
    let body: unknown = answer.text;
    if (mediaType.endsWith('json')) {
      try {
        body = JSON.parse(answer.text);
      } catch {
        return [...problems, `the body is not JSON: ${answer.text.slice(0, 80)}`];
      }
    }
    if (response.content[mediaType]?.schema !== undefined) {
      problems.push(
        ...errorsOf(validatorAt([...tokens, 'content', mediaType, 'schema']), body, 'body'),
      );
    }
    // RFC 9457: the member repeats the answer's status.
    if (mediaType === 'application/problem+json' && (body as Json).status !== answer.status) {
      problems.push(`the problem's status ${(body as Json).status} is not the answer's`);
    }
    return problems;
  };
  /** What is wrong with `value` as an instance of the description's schema `name`. */
  const checkSchema = (name: string, value: unknown): string[] =>
    errorsOf(validatorAt(['components', 'schemas', name]), value, name);
  return { check, checkSchema };
};
