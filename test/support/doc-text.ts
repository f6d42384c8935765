import { readFileSync } from 'node:fs';

/** A docs file's text with each run of spaces and line breaks as one space: wrapping aside. */
export const docText = (file: string): string => readFileSync(file, 'utf8').replace(/\s+/g, ' ');

/** Small counts as the docs spell them. */
export const numberWord = (n: number): string =>
  ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'][n] ??
  String(n);

export const ALARMS_FILE = 'docs/operating.md';

/**
 * The alarms table of `ALARMS_FILE`: each alarm id its first cell names (in backticks), with its
 * row's text. A row may name several (`DeadLetters1`, `DeadLetters2`).
 */
export const documentedAlarms = (): Map<string, string> => {
  const lines = readFileSync(ALARMS_FILE, 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith('| alarm | fires when |'));
  const alarms = new Map<string, string>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [, first = ''] = line.split('|');
    for (const [, id] of first.matchAll(/`([A-Za-z][A-Za-z0-9<>-]*)`/g))
      alarms.set(id as string, line);
  }
  return alarms;
};
