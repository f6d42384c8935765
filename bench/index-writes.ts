export type Item = Record<string, unknown>;
export type Index = { partitionKey: string; sortKey?: string };

/**
 * Index units one write costs, by DynamoDB's rules for global secondary indexes with keys-only
 * projections: an entry that appears or goes is one write, one whose key changes is two (out
 * and in), one whose key stays is none. Judged from the item before and after the write, so it
 * does not depend on how callhook phrases its updates.
 */
export const indexWrites = (indexes: readonly Index[], before?: Item, after?: Item): number => {
  let units = 0;
  for (const index of indexes) {
    const keyOf = (item?: Item) => {
      const parts = [index.partitionKey, ...(index.sortKey === undefined ? [] : [index.sortKey])];
      const values = parts.map((part) => item?.[part]);
      return values.includes(undefined) ? undefined : JSON.stringify(values);
    };
    const was = keyOf(before);
    const is = keyOf(after);
    if (was !== is) units += (was === undefined ? 0 : 1) + (is === undefined ? 0 : 1);
  }
  return units;
};
