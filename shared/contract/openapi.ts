import * as z from 'zod';
import pkg from '../../package.json' with { type: 'json' };
import { API_INFO, API_TAGS, SECURITY_SCHEMES } from './api-info.ts';
import type { JsonSchema } from './operations.ts';
import { CALLS_PATHS } from './paths/calls.ts';
import { COMPONENT_PARAMETERS, COMPONENT_RESPONSES } from './paths/components.ts';
import { EVENTS_PATH, FORM_SETTINGS_PATH, HOOK_PATH } from './paths/hooks.ts';
import { STATIC_PATHS } from './paths/static.ts';
import { CONTRACT_SCHEMAS } from './registry.ts';
import { pathsOf, responseOf } from './render-paths.ts';

/**
 * docs/openapi.json, all of it generated (`npm run openapi`; a test fails until it is): its
 * schemas from the contract's Zod schemas (admin-schemas.ts, hook-schemas.ts), its paths from
 * their typed description (paths/), its head from api-info.ts. Served at `GET /openapi.json`.
 */
export const OPENAPI_FILE = 'docs/openapi.json';

/** In the order the document lists them. */
const PATHS = {
  '/hooks/{route}': HOOK_PATH,
  '/hooks/{route}/form': FORM_SETTINGS_PATH,
  ...CALLS_PATHS,
  '/events/{account}': EVENTS_PATH,
  ...STATIC_PATHS,
};

const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

const isEmpty = (value: unknown) =>
  typeof value === 'object' && value !== null && Object.keys(value).length === 0;

/**
 * The contract's JSON Schemas (draft 2020-12, OpenAPI 3.1's dialect), by id, in the order they
 * were registered, each referring to the others as `#/components/schemas/<id>`. Left out as
 * noise: Zod's bounds of a safe integer, its date-time pattern (`format: date-time` says it),
 * and a loose object's `additionalProperties: {}` (JSON Schema's default).
 */
export const contractJsonSchemas = (): Record<string, JsonSchema> => {
  const { schemas } = z.toJSONSchema(CONTRACT_SCHEMAS, {
    target: 'draft-2020-12',
    metadata: CONTRACT_SCHEMAS,
    uri: (id) => `#/components/schemas/${id}`,
    override: ({ jsonSchema }) => {
      if (jsonSchema.type === 'integer') {
        if (jsonSchema.minimum === -SAFE_INTEGER) delete jsonSchema.minimum;
        if (jsonSchema.maximum === SAFE_INTEGER) delete jsonSchema.maximum;
      }
      if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
      if (isEmpty(jsonSchema.additionalProperties)) delete jsonSchema.additionalProperties;
    },
  }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(
    Object.entries(schemas).map(([name, { $schema: _, $id: __, ...schema }]) => [name, schema]),
  );
};

const byName = <T extends { component: string }>(
  parts: readonly T[],
  render: (part: T) => unknown,
) => Object.fromEntries(parts.map((part) => [part.component, render(part)]));

export const openApiDocument = () => {
  const { title, ...info } = API_INFO;
  return {
    openapi: '3.1.1',
    info: { title, version: pkg.version, ...info },
    tags: API_TAGS,
    paths: pathsOf(PATHS),
    components: {
      securitySchemes: SECURITY_SCHEMES,
      parameters: byName(COMPONENT_PARAMETERS, ({ component: _, ...parameter }) => parameter),
      responses: byName(COMPONENT_RESPONSES, responseOf),
      schemas: contractJsonSchemas(),
    },
  };
};

export const openApiText = (): string => `${JSON.stringify(openApiDocument(), null, 2)}\n`;
