import * as z from 'zod';
import { SecretName } from '../secrets/secret-name.ts';
import { ConfigSchema } from './schema.ts';

type JsonSchema = Record<string, unknown>;

/**
 * The config file's JSON Schema, for editors, generated from the same zod schema that validates
 * it. A route that names a preset may leave out `call` and `auth` or give only the parts it
 * overrides; JSON Schema cannot merge the preset in first, so for such routes those two fields
 * are loosened and `npm run config:check` has the last word.
 */
export const configJsonSchema = (): JsonSchema => {
  const schema = z.toJSONSchema(ConfigSchema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema;
  const routes = (schema.properties as Record<string, JsonSchema>).routes as JsonSchema;
  const route = routes.additionalProperties as JsonSchema & {
    properties: Record<string, JsonSchema>;
    required: string[];
  };
  const secret = z.toJSONSchema(SecretName, { target: 'draft-2020-12' }) as JsonSchema;
  delete secret.$schema;
  route.required = route.required.filter(
    (field) => field !== 'call' && field !== 'auth' && field !== 'account',
  );
  // A cancelling route takes its account and call from the route it cancels; any other names
  // its account, and either a preset or the call and the sender verification spelled out.
  route.anyOf = [
    { required: ['cancels'] },
    { required: ['account'], anyOf: [{ required: ['preset'] }, { required: ['call', 'auth'] }] },
  ];
  route.properties.call = {
    anyOf: [
      route.properties.call,
      { type: 'object', description: "With a preset: only the fields that override the preset's." },
    ],
  };
  route.properties.auth = {
    anyOf: [
      route.properties.auth,
      {
        type: 'object',
        description: 'With a preset: the secret (the preset names the verifier).',
        properties: { secret },
        required: ['secret'],
        additionalProperties: false,
      },
    ],
  };
  return {
    $id: 'https://callhook.dev/schema/callhook.config.schema.json',
    title: 'callhook config',
    // The file is JSONC: editors that read these (VS Code) then accept comments in it.
    allowComments: true,
    allowTrailingCommas: true,
    ...schema,
  };
};

export const CONFIG_SCHEMA_FILE = 'callhook.config.schema.json';

export const configJsonSchemaText = (): string =>
  `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
