import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The request and reply examples of the Call API's method pages, copied as data into
 * test/fixtures/callapi-examples (each file names its page): our specification of the wire.
 */
const EXAMPLES_DIR = join(import.meta.dirname, '..', 'fixtures', 'callapi-examples');

/** A request or reply example, read loosely: tests assert the parts they name. */
// biome-ignore lint/suspicious/noExplicitAny: examples are inspected field by field.
export type DocExample = Record<string, any>;

/** A method page's examples, by the page's name (`create_call__start_simple_call`). */
export const docExamples = async (
  page: string,
): Promise<{ request: DocExample; reply: DocExample }> =>
  JSON.parse(await readFile(join(EXAMPLES_DIR, `${page}.json`), 'utf8')) as {
    request: DocExample;
    reply: DocExample;
  };
