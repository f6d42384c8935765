import type { CallRecord } from '../../shared/calls/call-record.ts';
import type { CallhookConfig } from '../../shared/config/schema.ts';
import type { CapEntry } from '../../shared/guardrails/contact-cap.ts';
import { admitCall } from '../../shared/guardrails/contact-cap.ts';
import type { IngestDeps } from '../../shared/ingest/accept-webhook.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { numberingForConfig } from '../../shared/routes/numbering-for.ts';

/** Ingest's ports in memory: a map of records, a list of cap entries per number, a sent list. */
export const memoryIngestDeps = (
  config: CallhookConfig,
  now: Date,
): IngestDeps & { records: Map<string, CallRecord>; sent: string[] } => {
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
    } as Partial<IngestDeps['store']> as IngestDeps['store'],
    queue: {
      send: async (message: { call_id: string }) => void sent.push(message.call_id),
    } as IngestDeps['queue'],
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
    logger: createLogger('ingest-test'),
    now: () => now,
    timing: { lostMessageGraceMs: 60_000 },
  };
};
