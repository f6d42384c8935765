import { parseExternalId } from '../../calls/attempts.ts';
import type { CallRecord } from '../../calls/call-record.ts';
import { CAP_WINDOW_MS, type ContactCapStore } from '../../guardrails/contact-cap.ts';
import { maskPhone } from '../../logging/mask.ts';
import { type GuardrailDeps, guardrail, port } from './guardrail.ts';

/**
 * A cap entry this old whose call was never stored was left by an ingest that died between the
 * two writes (or lost a race it then answered 409): twice the longest an ingest may run.
 */
export const ORPHAN_AFTER_MS = 60_000;

type CapDeps = GuardrailDeps & { contacts: ContactCapStore };

/**
 * The per-number cap: at most `per_number_daily_limit` calls to a number in 24 hours. A
 * delivery of an event already accepted is let through even when the number is at its cap (its
 * count may have aged out of the window): it places no new call. Before refusing, entries for
 * calls that were never stored stop counting: the cap counts only calls that exist.
 */
export const contactCap = guardrail({
  refuses: {
    contact_rate_limited:
      'the number already had `per_number_daily_limit` calls in the last 24 hours; `Retry-After` says in how many seconds the oldest leaves that window',
  },
  skipped: 'on_accept_routes',
  ports: port<ContactCapStore>()('contacts'),
  check: async ({ config, callId, contact, now }, refuse, deps) => {
    const number = contact();
    const limit = config.per_number_daily_limit;
    const admit = () => deps.contacts.admit(number, callId, now, limit);
    let decision = await admit();
    if (decision === 'refused' && (await deps.store.get(callId)) !== undefined) {
      decision = 'counted';
    }
    if (decision === 'refused' && (await releaseOrphans(deps, number, now)))
      decision = await admit();
    if (decision !== 'refused') {
      const added = decision === 'added';
      return { giveBack: (existing) => unchargeRepeat(deps, existing, { number, added, now }) };
    }
    deps.logger.warn('call refused: per-number cap', {
      call_id: callId,
      contact: maskPhone(number),
    });
    return refuse(
      'contact_rate_limited',
      `This number has had ${limit} calls in the last 24 hours, the most allowed.`,
      { 'retry-after': String(await secondsUntilRoom(deps, number, now)) },
    );
  },
});

/** Seconds until the number's oldest counted call leaves the 24-hour window, at least 1. */
const secondsUntilRoom = async (deps: CapDeps, contact: string, now: Date): Promise<number> => {
  const oldest = Math.min(...(await deps.contacts.counted(contact, now)).map((entry) => entry.at));
  const wait = Number.isFinite(oldest) ? oldest + CAP_WINDOW_MS - now.getTime() : CAP_WINDOW_MS;
  return Math.max(1, Math.ceil(wait / 1000));
};

/**
 * Releases the number's entries whose calls do not exist; true if any was released. A redial is
 * counted under its attempt's external id (`<call id>-2`, ...), whose call is the one it names.
 */
const releaseOrphans = async (deps: CapDeps, contact: string, now: Date): Promise<boolean> => {
  const settled = now.getTime() - ORPHAN_AFTER_MS;
  let released = false;
  for (const entry of await deps.contacts.counted(contact, now)) {
    const callId = parseExternalId(entry.call_id)?.callId ?? entry.call_id;
    if (entry.at > settled || (await deps.store.get(callId)) !== undefined) continue;
    await deps.contacts.release(contact, entry.call_id);
    deps.logger.info('per-number cap: released a call never stored', { call_id: entry.call_id });
    released = true;
  }
  return released;
};

/**
 * A delivery that found its event's call already stored made no call, so the cap entry it
 * holds for its number must not count, except where it is the stored call's own entry:
 * - another number than the stored call's: nothing under this id calls it (a 409, or a
 *   racing delivery refused with it), whoever wrote the entry;
 * - the same number: the entry is the stored call's, unless this delivery added it after the
 *   call's own had left the 24-hour window (a repeat of an old event).
 * Whichever of two racing deliveries is stored, the entry of the stored one stays.
 */
const unchargeRepeat = async (
  deps: CapDeps,
  existing: CallRecord,
  held: { number: string; added: boolean; now: Date },
): Promise<void> => {
  const sameNumber = existing.request?.params.contact === held.number;
  const callLeftWindow = Date.parse(existing.created_at) <= held.now.getTime() - CAP_WINDOW_MS;
  if (!sameNumber || (held.added && callLeftWindow)) {
    await deps.contacts.release(held.number, existing.call_id);
  }
};
