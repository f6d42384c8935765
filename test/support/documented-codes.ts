import { readFileSync } from 'node:fs';

/** The problem codes the README's error table documents, with their statuses. */
export const documentedCodes = (): Map<string, number> => {
  const readme = readFileSync('README.md', 'utf8');
  const codes = new Map<string, number>();
  for (const match of readme.matchAll(/^\|\s*(\d{3})\s*\|\s*`([a-z_]+)`\s*\|/gm)) {
    codes.set(match[2] as string, Number(match[1]));
  }
  return codes;
};
