/**
 * What a call record can hold of a value built from a sender's payload, by the rules DynamoDB
 * stores a record's attributes with: no empty field name at any depth, none of 64 KiB or more,
 * a bounded nesting, and numbers DynamoDB and the SDK keep exactly (within ±2^53, none closer to
 * zero than 1e-130). Checked where such a value enters a record, so a write never fails on it.
 */

/** A top-level attribute of an item holds at most this many nested maps and lists, itself included. */
export const ATTRIBUTE_LEVELS = 31;
export const MAX_NAME_BYTES = 65_535;
export const SMALLEST_MAGNITUDE = 1e-130;

const numberProblem = (n: number): string | undefined => {
  if (!Number.isFinite(n) || Math.abs(n) > Number.MAX_SAFE_INTEGER) {
    return `holds the number ${n}, past what is kept exactly (2^53)`;
  }
  if (n !== 0 && Math.abs(n) < SMALLEST_MAGNITUDE) {
    return `holds the number ${n}, closer to zero than 1e-130`;
  }
  return undefined;
};

/**
 * Why `value` cannot be stored `levels` deep (how many nested maps and lists it may have,
 * itself included), or undefined if it can. Walked with an explicit stack, whatever its depth.
 */
export const unstorableReason = (value: unknown, levels: number): string | undefined => {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, level] = stack.pop() as [unknown, number];
    if (node === null || node === undefined) continue;
    if (typeof node === 'string' || typeof node === 'boolean') continue;
    if (typeof node === 'number') {
      const problem = numberProblem(node);
      if (problem !== undefined) return problem;
      continue;
    }
    if (typeof node !== 'object') return `holds a ${typeof node}, which is not JSON`;
    if (level > levels) return `is nested deeper than ${levels} levels`;
    if (Array.isArray(node)) {
      for (const item of node) stack.push([item, level + 1]);
      continue;
    }
    for (const [name, child] of Object.entries(node)) {
      if (name === '') return 'has a field with an empty name';
      if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
        return 'has a field name of 64 KiB or more';
      }
      stack.push([child, level + 1]);
    }
  }
  return undefined;
};
