/** An event's call as a contact window knows it: its id and the route it came in on. */
export interface WindowEntry {
  call_id: string;
  route: string;
}

/** The call a contact window is held by, and since and until when (epoch milliseconds). */
export interface WindowHolder extends WindowEntry {
  at: number;
  until: number;
}

/**
 * What claiming a contact's window came to: `opened` for this call now, `own` already this
 * call's (another delivery of its event), or `held` by another call.
 */
export type WindowClaim =
  | { kind: 'opened' }
  | { kind: 'own' }
  | { kind: 'held'; holder: WindowHolder };

/**
 * Port: one window per route group and contact, shared by every ingest (DynamoDB on AWS and
 * locally). The contact is kept only as a keyed hash. Every write is conditional, so two events
 * at once cannot both open a window.
 */
export interface ContactWindowStore {
  /**
   * Opens the group's window on `contact` for `entry` until `now + windowMs`, unless a window
   * that has not ended is held: then says by whom.
   */
  claim(
    group: string,
    contact: string,
    entry: WindowEntry,
    now: Date,
    windowMs: number,
  ): Promise<WindowClaim>;
  /**
   * Opens the window for `entry` in place of `holder`, whose call does not hold it (never
   * stored, skipped, or another number's); false if the window changed since it was read.
   */
  takeOver(
    group: string,
    contact: string,
    holder: WindowHolder,
    entry: WindowEntry,
    now: Date,
    windowMs: number,
  ): Promise<boolean>;
  /** Ends the window `callId` holds; nothing happens if another call holds it. */
  release(group: string, contact: string, callId: string): Promise<void>;
  /**
   * Notes on `holder`'s window an event merged into it before its call was stored, so that the
   * call, once stored, links it (`merged`). Nothing happens if another call holds it.
   */
  note(group: string, contact: string, holder: string, merged: WindowEntry): Promise<void>;
  /** The events noted on `callId`'s window; none if another call holds it. */
  merged(group: string, contact: string, callId: string): Promise<WindowEntry[]>;
}
