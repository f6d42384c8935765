import type { IngestDeps } from '../../shared/ingest/accept-webhook.ts';
import type { Ports } from '../ports.ts';

export type IngestPorts = Pick<
  Ports,
  | 'config'
  | 'numbering'
  | 'store'
  | 'keptEvents'
  | 'dispatchQueue'
  | 'secrets'
  | 'contacts'
  | 'contactWindows'
  | 'rateWindows'
  | 'logger'
  | 'now'
  | 'timing'
>;

/** The ingest function's dependencies, on Lambda and locally. */
export const ingestDeps = (ports: IngestPorts): IngestDeps => ({
  config: ports.config,
  numbering: ports.numbering,
  store: ports.store,
  queue: ports.dispatchQueue,
  keptEvents: ports.keptEvents,
  secrets: ports.secrets,
  contacts: ports.contacts,
  contactWindows: ports.contactWindows,
  rateWindows: ports.rateWindows,
  logger: ports.logger('ingest'),
  now: ports.now,
  timing: ports.timing,
});
