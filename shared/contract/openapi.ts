import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { ADMIN_SCHEMAS } from './admin-schemas.ts';

/** The HTTP contract's description, served at `GET /openapi.json`. */
export const OPENAPI_FILE = 'docs/openapi.json';

type JsonSchema = Record<string, unknown>;

/**
 * The `components.schemas` still written by hand in docs/openapi.json: the hook answers (`POST
 * /hooks/…`, `POST /provider-events/…`), kept in the file as they are. Every other entry is
 * generated from the Zod schemas of `admin-schemas.ts`.
 */
export const HAND_WRITTEN_SCHEMAS = [
  'HookAccepted',
  'HookDuplicate',
  'HookSkipped',
  'HookIgnored',
  'ProviderEvent',
  'ProviderEventRecorded',
  'ProviderEventIgnored',
] as const;

const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/**
 * The admin answers' JSON Schemas (draft 2020-12, OpenAPI 3.1's dialect), by name, each
 * referring to the others as `#/components/schemas/<name>`. Zod's bounds of a safe integer and
 * its date-time pattern are left out: `format: date-time` says it, and they would only be noise.
 */
export const adminJsonSchemas = (): Record<string, JsonSchema> => {
  const { schemas } = z.toJSONSchema(ADMIN_SCHEMAS, {
    target: 'draft-2020-12',
    metadata: ADMIN_SCHEMAS,
    uri: (id) => `#/components/schemas/${id}`,
    override: ({ jsonSchema }) => {
      if (jsonSchema.type === 'integer') {
        if (jsonSchema.minimum === -SAFE_INTEGER) delete jsonSchema.minimum;
        if (jsonSchema.maximum === SAFE_INTEGER) delete jsonSchema.maximum;
      }
      if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
    },
  }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(
    Object.entries(schemas).map(([name, { $schema: _, $id: __, ...schema }]) => [name, schema]),
  );
};

/**
 * The description as `npm run openapi` writes it: the committed file's paths and the rest kept
 * as written, its `components.schemas` the generated ones followed by the hand-written ones.
 */
export const openApiDocument = (current: JsonSchema): JsonSchema => {
  const components = current.components as { schemas: Record<string, JsonSchema> } & JsonSchema;
  const handWritten = Object.fromEntries(
    HAND_WRITTEN_SCHEMAS.map((name) => {
      const schema = components.schemas[name];
      if (schema === undefined) throw new Error(`${OPENAPI_FILE} has no schema ${name}`);
      return [name, schema];
    }),
  );
  return {
    ...current,
    components: { ...components, schemas: { ...adminJsonSchemas(), ...handWritten } },
  };
};

export const openApiText = (file = OPENAPI_FILE): string =>
  `${JSON.stringify(openApiDocument(JSON.parse(readFileSync(file, 'utf8'))), null, 2)}\n`;
