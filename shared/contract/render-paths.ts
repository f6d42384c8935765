import type * as z from 'zod';
import { Problem } from './admin-schemas.ts';
import type {
  Answer,
  BodySchema,
  Component,
  JsonSchema,
  MediaTypes,
  Operation,
  Parameter,
  PathItem,
  ProblemAnswer,
} from './operations.ts';
import { CONTRACT_SCHEMAS } from './registry.ts';

/**
 * The typed description of the operations (shared/contract/operations.ts) as OpenAPI writes it:
 * a contract schema becomes the `$ref` of its component, a refusal the Problem schema with its
 * codes, a shared part the `$ref` of its `components` entry.
 */

const isZod = (value: unknown): value is z.ZodType =>
  typeof value === 'object' && value !== null && '_zod' in value;

/** A Zod schema in the paths must be a registered component: they write only its `$ref`. */
const refTo = (schema: z.ZodType): JsonSchema => {
  const id = CONTRACT_SCHEMAS.get(schema)?.id;
  if (id === undefined) throw new Error('a body of the paths is not a registered contract schema');
  return { $ref: `#/components/schemas/${id}` };
};

const schemaOf = (schema: BodySchema): JsonSchema => {
  if (isZod(schema)) return refTo(schema);
  const { oneOf } = schema as { oneOf?: unknown };
  if (Array.isArray(oneOf) && oneOf.every(isZod)) return { oneOf: oneOf.map(refTo) };
  return schema;
};

const contentOf = (content: MediaTypes) =>
  Object.fromEntries(
    Object.entries(content).map(([mediaType, schema]) => [mediaType, { schema: schemaOf(schema) }]),
  );

/** A refusal: the Problem schema, its `code` narrowed to the answer's codes. */
const problemContent = (codes: readonly string[]) => ({
  'application/problem+json': {
    schema: { ...refTo(Problem), properties: { code: { enum: [...codes] } } },
  },
});

/** An answer as `components.responses` or an operation writes it in full. */
export const responseOf = ({
  component: _,
  ...answer
}: (Answer | ProblemAnswer) & { component?: string }): JsonSchema => ({
  description: answer.description,
  ...(answer.headers !== undefined && { headers: answer.headers }),
  ...('codes' in answer
    ? { content: problemContent(answer.codes) }
    : answer.content !== undefined && { content: contentOf(answer.content) }),
});

/** A shared part (`component`) as the `$ref` of its entry under `components.<kind>`. */
const referred = <T extends object>(kind: string, value: T | Component<T>) =>
  'component' in value ? { $ref: `#/components/${kind}/${value.component}` } : undefined;

/** An operation's own parameters are already as OpenAPI writes them. */
const parameterOf = (parameter: Parameter | Component<Parameter>) =>
  referred('parameters', parameter) ?? parameter;

const operationOf = ({ parameters, requestBody, responses, ...head }: Operation) => ({
  ...head,
  ...(parameters !== undefined && { parameters: parameters.map(parameterOf) }),
  ...(requestBody !== undefined && {
    requestBody: { ...requestBody, content: contentOf(requestBody.content) },
  }),
  responses: Object.fromEntries(
    Object.entries(responses).map(([status, answer]: [string, Answer | ProblemAnswer]) => [
      status,
      referred('responses', answer) ?? responseOf(answer),
    ]),
  ),
});

export const pathsOf = (paths: Readonly<Record<string, PathItem>>) =>
  Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item).map(([method, operation]: [string, Operation]) => [
          method,
          operationOf(operation),
        ]),
      ),
    ]),
  );
