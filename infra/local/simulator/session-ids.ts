import { closeSync, fsyncSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The largest session id the simulator hands out: below 10^14, so that the ids derived from a
 * session's (a leg's is the session's × 10 + its index) stay below 10^15, well inside the safe
 * integers every parser of the provider's replies accepts.
 */
export const MAX_SESSION_ID = 10 ** 14 - 1;

/** The first id when the clock gives no larger one (a test's clock at 0, say). */
const FIRST_SESSION_ID = 100_000_001;

/** Ids each write of the counter file reserves: one write per this many calls. */
export const SESSION_ID_BLOCK = 1_000;

/** The counter's file in a data folder, next to dynalite's files and the contact hash key. */
export const SESSION_IDS_FILE = 'simulator-session-ids';

/**
 * Where the clock puts a simulator's first id: ten ids per millisecond since 1970 (about
 * 1.8 × 10^13 today, below MAX_SESSION_ID until the year 2286). A simulator started later
 * begins past an earlier one's ids unless that one handed out more than ten ids per
 * millisecond it ran, or the clock went back.
 */
const fromClock = (nowMs: number): number =>
  Number.isFinite(nowMs) ? Math.max(FIRST_SESSION_ID, Math.floor(nowMs) * 10) : FIRST_SESSION_ID;

/** Reads the counter file: every id handed out on this folder is below the number it holds. */
const readReservedBelow = async (file: string): Promise<number> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const value = Number(text.trim());
  // Only this code writes the file, and only by rename: anything else was not written here.
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new Error(
      `${file} does not hold the simulator's session id counter (${JSON.stringify(text.slice(0, 40))})`,
    );
  }
  return value;
};

/**
 * Replaces the file's number: written to a temporary file, flushed, renamed over the file, and
 * the folder flushed, so the file holds the old number or the new one, even after a kill or a
 * power cut, never part of one.
 */
const writeDurably = (file: string, dir: string, value: number): void => {
  const temporary = `${file}.tmp`;
  const handle = openSync(temporary, 'w', 0o600);
  try {
    writeFileSync(handle, `${value}\n`);
    fsyncSync(handle);
  } finally {
    closeSync(handle);
  }
  renameSync(temporary, file);
  const folder = openSync(dir, 'r');
  try {
    fsyncSync(folder);
  } finally {
    closeSync(folder);
  }
};

/**
 * The session ids of the simulator's calls: increasing, and never handed out twice, also not
 * after a reset.
 *
 * In memory they start from the clock (see `fromClock`). With a data folder they start at the
 * larger of the clock's id and the number the counter file holds, and the file keeps ahead of
 * every id handed out: before an id at or past the number on disk leaves `next()`, a block of
 * ids beyond it is reserved by writing a larger number (`writeDurably`). The number on disk only
 * grows and is complete whenever it is read, so a simulator started on the folder again (after a
 * clean stop or a `kill -9` at any instruction) starts past every id its predecessors handed out;
 * at worst it skips the rest of their last block. One simulator per folder: the local runtime's
 * dynalite holds the folder's lock.
 */
export class SessionIds {
  #next: number;
  #reservedBelow: number;
  readonly #dir: string | undefined;

  private constructor(first: number, dir: string | undefined) {
    this.#next = first;
    this.#reservedBelow = first;
    this.#dir = dir;
  }

  static inMemory(nowMs: number): SessionIds {
    return new SessionIds(fromClock(nowMs), undefined);
  }

  static async persistent(dataDir: string, nowMs: number): Promise<SessionIds> {
    await mkdir(dataDir, { recursive: true });
    const reserved = await readReservedBelow(join(dataDir, SESSION_IDS_FILE));
    return new SessionIds(Math.max(fromClock(nowMs), reserved), dataDir);
  }

  /** The next id; throws, handing out none, when none is left or the file cannot be written. */
  next(): number {
    const id = this.#next;
    if (id > MAX_SESSION_ID) throw new Error('the simulator has no session id left');
    if (this.#dir !== undefined && id >= this.#reservedBelow) {
      const below = Math.min(id + SESSION_ID_BLOCK, MAX_SESSION_ID + 1);
      writeDurably(join(this.#dir, SESSION_IDS_FILE), this.#dir, below);
      this.#reservedBelow = below;
    }
    this.#next = id + 1;
    return id;
  }
}
