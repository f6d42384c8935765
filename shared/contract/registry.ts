import * as z from 'zod';

/**
 * The registry of the HTTP contract's schemas (shared/contract/*-schemas.ts): each one with an
 * `id` is a `components.schemas` entry of docs/openapi.json, and every description the document
 * shows is registered here (`.register(CONTRACT_SCHEMAS, …)`, not `.meta()`, which writes to
 * Zod's global registry), so the document depends on these modules alone. Zod classic: no
 * function bundle imports the contract at runtime (the code imports its types only, which the
 * compiler removes).
 */
export const CONTRACT_SCHEMAS = z.registry<{
  id?: string;
  description?: string;
  format?: string;
}>();

/** Registered under `id`: where another schema uses it, the document says `$ref` to it. */
export const named = <T extends z.ZodType>(id: string, schema: T, description?: string): T => {
  CONTRACT_SCHEMAS.add(schema, description === undefined ? { id } : { id, description });
  return schema;
};

/** An RFC 3339 time with its offset (the document says `format: date-time`). */
export const dateTime = () => z.iso.datetime({ offset: true });
