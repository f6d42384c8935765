import { readFileSync } from 'node:fs';

/** Where the error table lives: one markdown table, a row `| status | `code` | meaning |` per code. */
export const ERROR_TABLE_FILE = 'docs/http-contract.md';

/** The problem codes the docs' error table documents, with their statuses. */
export const documentedCodes = (): Map<string, number> => {
  const doc = readFileSync(ERROR_TABLE_FILE, 'utf8');
  const codes = new Map<string, number>();
  for (const match of doc.matchAll(/^\|\s*(\d{3})\s*\|\s*`([a-z_]+)`\s*\|/gm)) {
    codes.set(match[2] as string, Number(match[1]));
  }
  return codes;
};
