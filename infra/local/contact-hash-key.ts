import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The key the local contacts table hashes numbers with. Kept with the data it protects, so
 * counts survive a restart on the same `CALLHOOK_DATA_DIR`; in memory, a new key each start.
 */
export const localContactHashKey = async (dataDir: string | undefined): Promise<string> => {
  const fresh = randomBytes(32).toString('base64url');
  if (dataDir === undefined) return fresh;
  const file = join(dataDir, 'contact-hash-key');
  try {
    await writeFile(file, fresh, { flag: 'wx', mode: 0o600 });
    return fresh;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readFile(file, 'utf8')).trim();
  }
};
