import type { LogAttributes, Logger } from '../logging/logger.ts';
import type { Updated } from './call-store.ts';
import { ruleOf } from './lifecycle.ts';

/**
 * Writes the log line of the transition an update applied (with its metric, for the metric
 * filters), with the call's id and route; nothing when nothing changed or the rule names none.
 */
export const announce = (
  logger: Logger,
  updated: Updated,
  attributes: LogAttributes = {},
): void => {
  if (updated.kind !== 'changed') return;
  const log = ruleOf(updated.change.name).log;
  if (log === undefined) return;
  logger[log.level](log.message, {
    call_id: updated.record.call_id,
    route: updated.record.route,
    ...attributes,
    ...(log.metric !== undefined && { metric: log.metric }),
  });
};

/** The record the update wrote, or undefined when it wrote nothing. */
export const changedRecord = (updated: Updated) =>
  updated.kind === 'changed' ? updated.record : undefined;
