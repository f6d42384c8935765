import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { ConfigError, loadConfigFile } from '../../shared/config/load.ts';

const readSync = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** Editors write a file in bursts (truncate, write, rename): one notice per burst. */
const SETTLE_MS = 200;

/**
 * Watches the config file `npm start` read and says plainly, when it changes, that the running
 * runtime does not use the change until it is started again, and whether the new file is valid.
 * Without it a route added to the file answers `404` until a restart, unsaid.
 */
export const watchConfigFile = (path: string, say: (line: string) => void): { close(): void } => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Read now, in this tick: a baseline read later could already see the change it should report.
  let last = readSync(path);
  const check = async () => {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined || text === last) return;
    last = text;
    const name = basename(path);
    try {
      const config = await loadConfigFile(path);
      say(
        `${name} changed: this npm start still runs the config it read at start-up (a new route answers 404 until then). Restart it (Ctrl-C, then npm start) to use the new one: valid, ${Object.keys(config.routes).length} route(s).`,
      );
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      say(
        `${name} changed, and the new file has problems; this npm start still runs the config it read at start-up. Fix them, then restart:\n${error.message}`,
      );
    }
  };
  let watcher: FSWatcher | undefined;
  try {
    // The folder, not the file: an editor that saves by renaming replaces the file watched.
    watcher = watch(dirname(path), (_event, file) => {
      if (file !== null && file !== basename(path)) return;
      clearTimeout(timer);
      timer = setTimeout(() => void check().catch(() => undefined), SETTLE_MS);
    });
  } catch {
    // No watching on this file system: the runtime works on, unannounced.
  }
  return {
    close: () => {
      clearTimeout(timer);
      watcher?.close();
    },
  };
};
