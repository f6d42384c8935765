import type {
  ContactWindowStore,
  WindowEntry,
  WindowHolder,
} from '../../shared/guardrails/contact-window.ts';

type Item = WindowHolder & { merged: WindowEntry[] };

/** The contact windows in a map, keyed by group and number, as the DynamoDB store keeps them. */
export const memoryContactWindows = (): ContactWindowStore & { items: Map<string, Item> } => {
  const items = new Map<string, Item>();
  const keyOf = (group: string, contact: string) => `${group}#${contact}`;
  const open = (key: string, entry: WindowEntry, now: Date, windowMs: number) => {
    items.set(key, { ...entry, at: now.getTime(), until: now.getTime() + windowMs, merged: [] });
  };
  return {
    items,
    claim: async (group, contact, entry, now, windowMs) => {
      const key = keyOf(group, contact);
      const item = items.get(key);
      if (item === undefined || item.until <= now.getTime()) {
        open(key, entry, now, windowMs);
        return { kind: 'opened' };
      }
      if (item.call_id === entry.call_id) return { kind: 'own' };
      const { call_id, route, at, until } = item;
      return { kind: 'held', holder: { call_id, route, at, until } };
    },
    takeOver: async (group, contact, holder, entry, now, windowMs) => {
      const key = keyOf(group, contact);
      const item = items.get(key);
      if (item?.call_id !== holder.call_id || item.at !== holder.at) return false;
      open(key, entry, now, windowMs);
      return true;
    },
    release: async (group, contact, callId) => {
      const item = items.get(keyOf(group, contact));
      if (item?.call_id === callId) item.until = 0;
    },
    note: async (group, contact, holder, merged) => {
      const item = items.get(keyOf(group, contact));
      if (item?.call_id === holder) item.merged.push(merged);
    },
    merged: async (group, contact, callId) => {
      const item = items.get(keyOf(group, contact));
      return item?.call_id === callId ? item.merged : [];
    },
  };
};
