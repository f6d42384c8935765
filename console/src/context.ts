import type { Answer } from './api.ts';

/** What a view is given: the API with the session's key, and the page's shared parts. */
export interface Context {
  /** Aborted when the reader leaves the view: its timers and requests stop. */
  signal: AbortSignal;
  get<T>(path: string, query?: URLSearchParams): Promise<Answer<T>>;
  /** A POST; `body`, if given, goes as JSON. */
  post<T>(path: string, body?: unknown): Promise<Answer<T>>;
  /** Says `text` through the page's live region, for screen readers. */
  announce(text: string): void;
  /** Renders the current view again (a form applied with the filters already shown). */
  rerender(): void;
  /** Whether lists and calls refresh themselves: one switch for every view. */
  live: { on: boolean };
  /** The calls view's last address, with its filters, for the way back from a call. */
  lastCallsHash: string;
}

/** Every few seconds: often enough to watch a call move, rarely enough to cost nothing. */
export const REFRESH_MS = 5_000;

/**
 * Runs `tick` every `ms` (read before each wait) until the view is left, the tick answers
 * `false`, or it throws.
 */
export const every = (
  ctx: Context,
  ms: number | (() => number),
  tick: () => Promise<boolean | undefined>,
): void => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const next = () => {
    if (ctx.signal.aborted) return;
    timer = setTimeout(
      async () => {
        try {
          if ((await tick()) !== false) next();
        } catch {
          // The view was left, the session ended, or the API is away: the loop stops.
        }
      },
      typeof ms === 'number' ? ms : ms(),
    );
  };
  ctx.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  next();
};
