import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The Call API method pages beside the project (../shared/callapi-docs): our specification. */
export const DOCS_DIR = join(process.cwd(), '..', 'shared', 'callapi-docs');

/** A request or reply example, read loosely: tests assert the parts they name. */
// biome-ignore lint/suspicious/noExplicitAny: examples are inspected field by field.
export type DocExample = Record<string, any>;

/** The JSON code blocks of a method page, in order: the request example, then the reply. */
export const docExamples = async (page: string): Promise<DocExample[]> => {
  const text = await readFile(join(DOCS_DIR, page), 'utf8');
  return [...text.matchAll(/```\s*\n(\{[\s\S]*?\})\s*\n```/g)].map(
    (match) => JSON.parse(match[1] ?? '') as DocExample,
  );
};
