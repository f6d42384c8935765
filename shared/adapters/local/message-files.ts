import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** A queued message as it is kept: everything the queue needs to go on after a restart. */
export interface StoredMessage {
  id: string;
  body: string;
  sentAt: number;
  receiveCount: number;
  visibleAt: number;
}

const SUFFIX = '.json';
const TEMPORARY = '.tmp';

const isStoredMessage = (value: unknown): value is StoredMessage => {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.id === 'string' &&
    typeof m.body === 'string' &&
    typeof m.sentAt === 'number' &&
    typeof m.receiveCount === 'number' &&
    typeof m.visibleAt === 'number'
  );
};

/**
 * A folder with one file per message, so an in-process queue survives its process: a write goes
 * to a temporary file, is flushed to disk (fsync), then renamed over the message's file, so a
 * kill (or a power cut) leaves either the old or the new content, never half of one. A message
 * sent is not acknowledged to its sender before its file and the folder entry are on disk; an
 * acknowledged message's file is deleted. The writes for one message happen in the order they
 * were asked for.
 */
export class MessageFiles {
  readonly #dir: string;
  readonly #pending = new Map<string, Promise<void>>();
  #syncing: Promise<void> | undefined;
  #nextSync: Promise<void> | undefined;

  private constructor(dir: string) {
    this.#dir = dir;
  }

  /** Opens (creating) the folder; returns it and the messages it holds, oldest first. */
  static async open(dir: string): Promise<{ files: MessageFiles; messages: StoredMessage[] }> {
    await mkdir(dir, { recursive: true });
    const messages: StoredMessage[] = [];
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      // A write a kill interrupted before its rename: the message file it was replacing stands.
      if (name.endsWith(TEMPORARY)) {
        await unlink(path).catch(() => undefined);
        continue;
      }
      if (!name.endsWith(SUFFIX)) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(path, 'utf8'));
      } catch {
        parsed = undefined;
      }
      if (isStoredMessage(parsed) && `${parsed.id}${SUFFIX}` === name) messages.push(parsed);
      // Unreadable: not written by this code (renames are atomic). Kept aside, not delivered.
      else await rename(path, `${path}.unreadable`).catch(() => undefined);
    }
    messages.sort((a, b) => a.sentAt - b.sentAt);
    return { files: new MessageFiles(dir), messages };
  }

  /** Writes the message's current state. `durable`: also wait for its folder entry on disk. */
  save(message: StoredMessage, options: { durable?: boolean } = {}): Promise<void> {
    const text = JSON.stringify(message);
    return this.#inOrder(message.id, async () => {
      const path = join(this.#dir, `${message.id}${SUFFIX}`);
      const temporary = `${path}.${randomUUID()}${TEMPORARY}`;
      const handle = await open(temporary, 'w');
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, path);
      if (options.durable === true) await this.#syncDir();
    });
  }

  /** Deletes the message's file. A delete that does not reach the disk is a repeat delivery. */
  remove(id: string): Promise<void> {
    return this.#inOrder(id, async () => {
      await unlink(join(this.#dir, `${id}${SUFFIX}`)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    });
  }

  /** Resolves when every write asked for so far is done. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#pending.values()]);
  }

  #inOrder(id: string, write: () => Promise<void>): Promise<void> {
    const previous = this.#pending.get(id) ?? Promise.resolve();
    const next = previous.then(write, write);
    this.#pending.set(id, next);
    const forget = () => {
      if (this.#pending.get(id) === next) this.#pending.delete(id);
    };
    next.then(forget, forget);
    return next;
  }

  /**
   * fsync of the folder, so renames are on disk. A rename that lands while a sync runs waits for
   * the next one, which every such rename shares: a burst costs a few folder syncs, not one each.
   */
  #syncDir(): Promise<void> {
    if (this.#syncing === undefined) {
      this.#syncing = this.#fsyncDir().finally(() => {
        this.#syncing = undefined;
      });
      return this.#syncing;
    }
    this.#nextSync ??= this.#syncing
      .catch(() => undefined)
      .then(() => {
        this.#nextSync = undefined;
        return this.#syncDir();
      });
    return this.#nextSync;
  }

  async #fsyncDir(): Promise<void> {
    const handle = await open(this.#dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
