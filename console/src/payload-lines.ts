import type { ReadAs, ReadPath } from '../../shared/calls/kept-event.ts';

/**
 * One line of a kept payload written as indented JSON (as `JSON.stringify(value, null, 2)`
 * writes it). The console shows a payload from these, and so does the CLI (`calls get`), which
 * imports this file: the console's script may import nothing but its own.
 */
export interface PayloadLine {
  depth: number;
  text: string;
  /** On the first line of a value the route read: what it read it as. */
  read: ReadAs[];
  /** Whether the line is part of a value the route read (its own, or one it is inside). */
  highlighted: boolean;
}

/** The payload's lines, the fields the route read marked. */
export const payloadLines = (payload: unknown, read: readonly ReadPath[]): PayloadLine[] => {
  const pathKey = (path: readonly string[]) => JSON.stringify(path);
  const readAt = new Map(read.map((entry) => [pathKey(entry.path), entry.as]));
  const lines: PayloadLine[] = [];
  const write = (
    value: unknown,
    path: string[],
    depth: number,
    label: string,
    comma: string,
    inside: boolean,
  ) => {
    const read = (path.length === 0 ? undefined : readAt.get(pathKey(path))) ?? [];
    const highlighted = inside || read.length > 0;
    const line = (text: string, first = true) =>
      lines.push({ depth, text, read: first ? read : [], highlighted });
    if (typeof value !== 'object' || value === null) {
      line(`${label}${JSON.stringify(value) ?? 'null'}${comma}`);
      return;
    }
    const entries: [string | undefined, unknown][] = Array.isArray(value)
      ? value.map((item) => [undefined, item])
      : Object.entries(value);
    const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) {
      line(`${label}${open}${close}${comma}`);
      return;
    }
    line(`${label}${open}`);
    for (const [index, [key, item]] of entries.entries()) {
      write(
        item,
        // An array's items are at the array's path, as JSONata reads `items.sku`.
        key === undefined ? path : [...path, key],
        depth + 1,
        key === undefined ? '' : `${JSON.stringify(key)}: `,
        index < entries.length - 1 ? ',' : '',
        highlighted,
      );
    }
    line(`${close}${comma}`, false);
  };
  write(payload, [], 0, '', '', false);
  return lines;
};
