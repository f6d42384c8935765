import { writeFile } from 'node:fs/promises';
import { OPENAPI_FILE, openApiText } from '../shared/contract/openapi.ts';

/**
 * `npm run openapi`: writes docs/openapi.json with its `components.schemas` generated from the
 * admin answers' Zod schemas (shared/contract/admin-schemas.ts); the rest is kept as written.
 */
await writeFile(OPENAPI_FILE, openApiText());
console.log(`wrote ${OPENAPI_FILE}`);
