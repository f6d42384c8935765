import { writeFile } from 'node:fs/promises';
import { OPENAPI_FILE, openApiText } from '../shared/contract/openapi.ts';

/**
 * `npm run openapi`: writes docs/openapi.json, all of it generated from shared/contract/ (the
 * answers' Zod schemas, the operations' typed description).
 */
await writeFile(OPENAPI_FILE, openApiText());
console.log(`wrote ${OPENAPI_FILE}`);
