import { Level } from 'level';

/**
 * Reaches into a persisted dynalite folder (while no runtime has it open) to put it in the state
 * a kill leaves: dynalite writes an item's index entries and then the item, as separate LevelDB
 * writes, so a process killed in between keeps the old item without its index entry, or with
 * the new item's entry beside it. These keys follow dynalite 4's layout:
 * `index-global~<table>~<index>~<key>`, the value holding the index's attributes.
 */
export interface IndexEntry {
  key: string;
  value: Record<string, { S?: string }>;
}

const prefixOf = (table: string, index: string) => `index-global~${table}~${index}~`;

const withDb = async <T>(dataDir: string, use: (db: Level<string, string>) => Promise<T>) => {
  const db = new Level<string, string>(dataDir, { valueEncoding: 'utf8' });
  await db.open();
  try {
    return await use(db);
  } finally {
    await db.close();
  }
};

/** The index's entries that point at `callId`. */
export const indexEntriesOf = (
  dataDir: string,
  table: string,
  index: string,
  callId: string,
): Promise<IndexEntry[]> =>
  withDb(dataDir, async (db) => {
    const prefix = prefixOf(table, index);
    const found: IndexEntry[] = [];
    for await (const [key, text] of db.iterator({ gte: prefix, lt: `${prefix}\xff` })) {
      const value = JSON.parse(text) as IndexEntry['value'];
      if (value.call_id?.S === callId) found.push({ key, value });
    }
    return found;
  });

/** Deletes the index's entries for `callId`, as a kill after the index delete would; returns them. */
export const dropIndexEntries = async (
  dataDir: string,
  table: string,
  index: string,
  callId: string,
): Promise<IndexEntry[]> => {
  const entries = await indexEntriesOf(dataDir, table, index, callId);
  await withDb(dataDir, (db) => db.batch(entries.map(({ key }) => ({ type: 'del', key }))));
  return entries;
};

/** Writes entries back (a stale entry, as a kill after the index put would leave it). */
export const putIndexEntries = (dataDir: string, entries: IndexEntry[]): Promise<void> =>
  withDb(dataDir, (db) =>
    db.batch(entries.map(({ key, value }) => ({ type: 'put', key, value: JSON.stringify(value) }))),
  );
