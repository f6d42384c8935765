import { appendHistory, type CallRecord } from '../../shared/calls/call-record.ts';
import type { KeptEvent, KeptEvents } from '../../shared/calls/kept-event.ts';
import { ruleOf, statusAfter, writeOf } from '../../shared/calls/lifecycle.ts';
import type { CallhookConfig } from '../../shared/config/schema.ts';
import type { CapEntry } from '../../shared/guardrails/contact-cap.ts';
import { admitCall } from '../../shared/guardrails/contact-cap.ts';
import type { IngestDeps } from '../../shared/ingest/accept-webhook.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { numberingForConfig } from '../../shared/routes/numbering-for.ts';
import { memoryContactWindows } from './memory-contact-windows.ts';

/** The kept events in a map, by call id. */
export const memoryKeptEvents = (): KeptEvents & { kept: Map<string, KeptEvent> } => {
  const kept = new Map<string, KeptEvent>();
  return {
    kept,
    keep: async (callId, event) => void kept.set(callId, event),
    keptOf: async (callId) => kept.get(callId),
  };
};

/**
 * Ingest's ports in memory: a map of records, a list of cap entries per number, the contact
 * windows, a sent list.
 */
export const memoryIngestDeps = (
  config: CallhookConfig,
  now: Date,
): IngestDeps & {
  records: Map<string, CallRecord>;
  sent: string[];
  contactWindows: ReturnType<typeof memoryContactWindows>;
  keptEvents: ReturnType<typeof memoryKeptEvents>;
} => {
  const records = new Map<string, CallRecord>();
  const counts = new Map<string, CapEntry[]>();
  const sent: string[] = [];
  return {
    records,
    sent,
    config,
    numbering: numberingForConfig(config),
    store: {
      create: async (record) => {
        const existing = records.get(record.call_id);
        if (existing !== undefined) return { created: false, existing };
        records.set(record.call_id, record);
        return { created: true };
      },
      get: async (callId) => records.get(callId),
      // As the DynamoDB store writes a change, without its version check: one writer here.
      update: async (callId, decide) => {
        const record = records.get(callId);
        if (record === undefined) return { kind: 'absent' };
        const decided = decide(record);
        if (decided === undefined) return { kind: 'unchanged', record };
        const status = statusAfter(decided.name, record.status);
        const at = decided.at.toISOString();
        const changed: CallRecord = {
          ...record,
          ...writeOf(decided).set,
          status,
          history:
            ruleOf(decided.name).history === 'line'
              ? appendHistory(record.history, {
                  status,
                  at,
                  ...(decided.reason !== undefined && { reason: decided.reason }),
                })
              : record.history,
          version: record.version + 1,
          updated_at: at,
        };
        records.set(callId, changed);
        return { kind: 'changed', record: changed, previous: record, change: decided };
      },
    } as Partial<IngestDeps['store']> as IngestDeps['store'],
    queue: {
      send: async (message: { call_id: string }) => void sent.push(message.call_id),
    } as IngestDeps['queue'],
    keptEvents: memoryKeptEvents(),
    secrets: { get: async () => '' },
    contacts: {
      admit: async (contact, callId, at, limit) => {
        const admission = admitCall(counts.get(contact) ?? [], callId, at, limit);
        if (!admission.admitted) return 'refused';
        counts.set(contact, admission.entries);
        return admission.added ? 'added' : 'counted';
      },
      counted: async (contact) => counts.get(contact) ?? [],
      release: async (contact, callId) => {
        counts.set(
          contact,
          (counts.get(contact) ?? []).filter((entry) => entry.call_id !== callId),
        );
      },
    },
    contactWindows: memoryContactWindows(),
    logger: createLogger('ingest-test'),
    now: () => now,
    timing: { lostMessageGraceMs: 60_000 },
  };
};
