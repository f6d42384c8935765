import { writeFile } from 'node:fs/promises';
import { CONFIG_SCHEMA_FILE, configJsonSchemaText } from '../shared/config/json-schema.ts';

/** `npm run config:schema`: writes the config's JSON Schema next to the config. */
await writeFile(CONFIG_SCHEMA_FILE, configJsonSchemaText());
console.log(`wrote ${CONFIG_SCHEMA_FILE}`);
