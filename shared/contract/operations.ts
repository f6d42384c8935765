import type * as z from 'zod';
import type { PROBLEMS, ProblemCode } from '../http/problem-error.ts';
import type { ApiTag, SecurityRequirement } from './api-info.ts';

/**
 * The typed description of the API's operations, from which the `paths` of docs/openapi.json
 * are written (shared/contract/openapi.ts). It follows OpenAPI's shape, with three differences
 * that let the compiler check what a hand-written document could not: a body is a contract
 * schema (its `$ref` is written from its registered id), a refusal names its problem codes, each
 * under the status the catalogue (`PROBLEMS`) gives it, and a tag or security scheme must be one
 * of shared/contract/api-info.ts's.
 */

export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * A body's schema: one of the contract's Zod schemas (registered with an id, written as its
 * `$ref`), `oneOf` several of them, or JSON Schema written here for what the contract does not
 * model (the console's files, this description itself).
 */
export type BodySchema = z.ZodType | { readonly oneOf: readonly z.ZodType[] } | JsonSchema;

export type MediaTypes = { readonly [mediaType: string]: BodySchema };

export interface Header {
  readonly description?: string;
  readonly required: boolean;
  readonly schema: JsonSchema;
}

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required?: boolean;
  readonly description: string;
  readonly schema: JsonSchema;
}

/** A part of the description written once under `components` and referred to by its name. */
export type Component<T> = T & { readonly component: string };

export interface Answer {
  readonly description: string;
  readonly headers?: { readonly [name: string]: Header };
  readonly content?: MediaTypes;
}

/** A refusal: `application/problem+json`, its `code` one of `codes`. */
export interface ProblemAnswer<Code extends ProblemCode = ProblemCode> {
  readonly description: string;
  readonly headers?: { readonly [name: string]: Header };
  readonly codes: readonly Code[];
}

type ProblemStatus = (typeof PROBLEMS)[ProblemCode]['status'];
/** The codes the catalogue answers with `Status`. */
export type CodesWith<Status extends number> = {
  [Code in ProblemCode]: (typeof PROBLEMS)[Code]['status'] extends Status ? Code : never;
}[ProblemCode];

/** An operation's answers by status: a success is an `Answer`, a refusal its codes'. */
export type Responses = { readonly 200?: Answer; readonly 202?: Answer; readonly 204?: Answer } & {
  readonly [Status in ProblemStatus]?: ProblemAnswer<CodesWith<Status>>;
};

export interface Operation {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly ApiTag[];
  readonly security: readonly SecurityRequirement[];
  readonly parameters?: readonly (Parameter | Component<Parameter>)[];
  readonly requestBody?: {
    readonly required: boolean;
    readonly description?: string;
    readonly content: MediaTypes;
  };
  readonly responses: Responses;
}

export type PathItem = {
  readonly get?: Operation;
  readonly post?: Operation;
  readonly options?: Operation;
};

/** A refusal with these codes (their status is the key it is written under). */
export const problem = <const Code extends ProblemCode>(
  description: string,
  codes: readonly Code[],
  headers?: ProblemAnswer['headers'],
): ProblemAnswer<Code> => ({
  description,
  ...(headers !== undefined && { headers }),
  codes,
});

/** Written once under `components.<kind>` as `name`, and as a `$ref` where it is used. */
export const component = <T extends object>(name: string, value: T): Component<T> => ({
  ...value,
  component: name,
});
