import { endExpiredLease } from '../expired-lease.ts';
import type { Chore } from './chore.ts';

/** A `dialing` call whose dispatcher vanished becomes `unknown` (never a second call). */
export const expireLeases: Chore = {
  status: 'dialing',
  counts: 'abandoned',
  visit: async (deps, record) => {
    if (record.lease_owner === undefined) return false;
    // listDue reads an index, which may be stale: a lease still held is left to its holder.
    const ended = await endExpiredLease(deps, record);
    return ended.kind === 'unknown';
  },
};
