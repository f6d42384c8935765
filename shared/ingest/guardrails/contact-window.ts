import type { CallRecord } from '../../calls/call-record.ts';
import type {
  ContactWindowStore,
  WindowEntry,
  WindowHolder,
} from '../../guardrails/contact-window.ts';
import { maskPhone } from '../../logging/mask.ts';
import { ORPHAN_AFTER_MS } from './contact-cap.ts';
import { type GuardrailDeps, guardrail, type Hold, port } from './guardrail.ts';
import { linkMerged } from './merged-link.ts';

const MINUTE_MS = 60_000;

/** Windows lost to another event's write in between, before giving up. */
const MAX_RACES = 10;

type WindowDeps = GuardrailDeps & { contactWindows: ContactWindowStore };

/** One contact's window in a route group, as an event meets it. */
interface Window {
  group: string;
  number: string;
  windowMs: number;
  now: Date;
}

/**
 * One call per person across sources: the routes of a `group` ring a number once per
 * `contact_window_minutes`. The first event opens the group's window on the number (one
 * conditional write, keyed by the number's HMAC); another event within it, on any route of the
 * group, is skipped as a duplicate linked to the call that holds the window, and that call's
 * history names it. A window whose call was never stored (its ingest died, or a later guardrail
 * refused it) holds nothing a minute on, and a skipped call's holds nothing at all. Routes
 * without a group make no request for it.
 */
export const contactWindow = guardrail({
  refuses: {
    duplicate_contact:
      'a route of the same `group` had an event for the number within `contact_window_minutes`, whose call is pending or made; `duplicate_of` names that call, whose timeline names this event',
  },
  skipped: 'always',
  ports: port<ContactWindowStore>()('contactWindows'),
  check: async ({ route, routeName, callId, contact, now }, refuse, deps) => {
    const { group, contact_window_minutes: minutes } = route;
    if (group === undefined || minutes === undefined) return undefined;
    const window: Window = { group, number: contact(), windowMs: minutes * MINUTE_MS, now };
    const entry: WindowEntry = { call_id: callId, route: routeName };
    const windows = deps.contactWindows;
    for (let race = 0; race < MAX_RACES; race += 1) {
      const claim = await windows.claim(group, window.number, entry, now, window.windowMs);
      if (claim.kind !== 'held') return holdOf(deps, window, callId, claim.kind === 'opened');
      const { holder } = claim;
      const kept = await deps.store.get(holder.call_id);
      if (!holdsWindow(holder, kept, window)) {
        if (await windows.takeOver(group, window.number, holder, entry, now, window.windowMs))
          return holdOf(deps, window, callId, true);
        continue;
      }
      const own = await deps.store.get(callId);
      // A delivery of an event accepted before (the window has moved on since) places no new
      // call: it is a repeat of that one.
      if (own !== undefined && own.status !== 'skipped') return undefined;
      // A repeat of an event skipped for another reason stays that skip: it links nothing.
      if (own === undefined || own.duplicate_of === holder.call_id) {
        await link(deps, window, holder, kept, entry);
      }
      deps.logger.info('event merged into a call to the same contact', {
        call_id: callId,
        duplicate_of: holder.call_id,
        route: routeName,
        group,
        contact: maskPhone(window.number),
      });
      return refuse(
        'duplicate_contact',
        `This number had an event on route "${holder.route}" of group "${group}" less than ${minutes} minutes ago; this one is merged into its call.`,
        undefined,
        { duplicate_of: holder.call_id },
      );
    }
    throw new Error('the contact window is too contended to decide');
  },
});

/**
 * Whether the call named by the window keeps a second event from ringing: a call stored for
 * this number (pending or made, whatever became of it since), or one not stored yet whose ingest
 * may still be writing it. Not a skipped call, a call to another number (an event refused with
 * 409 left the window), a call made before the window opened (a late repeat of its event
 * opened it), nor a call an ingest that died never stored.
 */
const holdsWindow = (
  holder: WindowHolder,
  kept: CallRecord | undefined,
  { number, windowMs, now }: Window,
): boolean => {
  if (kept === undefined) return holder.at > now.getTime() - ORPHAN_AFTER_MS;
  return (
    kept.status !== 'skipped' &&
    kept.request?.params.contact === number &&
    Date.parse(kept.created_at) > now.getTime() - windowMs
  );
};

/**
 * Links the merged event on the call kept. A call still being stored cannot take its line yet:
 * the event is noted on the window first, then the call is tried, so that either this finds the
 * call or the call's own ingest, reading the window after storing it, finds the note.
 */
const link = async (
  deps: WindowDeps,
  { group, number, now }: Window,
  holder: WindowHolder,
  kept: CallRecord | undefined,
  merged: WindowEntry,
): Promise<void> => {
  if (kept === undefined) await deps.contactWindows.note(group, number, holder.call_id, merged);
  await linkMerged(deps.store, holder.call_id, merged, now, kept);
};

/**
 * What an event holding the window gives back: the window it opened, when a later guardrail
 * refuses it or its call id turns out stored already for a call that does not hold the window
 * (skipped, another number's, or older than the window); and, once its call is stored, the
 * events noted on the window while it was being stored get their line.
 */
const holdOf = (deps: WindowDeps, window: Window, callId: string, opened: boolean): Hold => {
  const { group, number, windowMs, now } = window;
  const release = () => deps.contactWindows.release(group, number, callId);
  return {
    giveBack: async (existing) => {
      const sameNumber =
        existing.status !== 'skipped' && existing.request?.params.contact === number;
      const madeBefore = Date.parse(existing.created_at) <= now.getTime() - windowMs;
      if (!sameNumber || (opened && madeBefore)) await release();
    },
    release: async () => {
      if (opened) await release();
    },
    stored: async (record) => {
      for (const merged of await deps.contactWindows.merged(group, number, callId)) {
        await linkMerged(deps.store, record.call_id, merged, now);
      }
    },
  };
};
