import type { AcceptEventDeps } from '../../shared/events/accept-provider-event.ts';
import type { Ports } from '../ports.ts';

export type EventsPorts = Pick<
  Ports,
  'config' | 'store' | 'contacts' | 'secrets' | 'logger' | 'now' | 'timing'
>;

/** The provider events endpoint's dependencies, on Lambda and locally. */
export const eventsDeps = (ports: EventsPorts): AcceptEventDeps => ({
  config: ports.config,
  store: ports.store,
  // An inbound call finds the calls to its number by the number's keyed hash.
  contacts: ports.contacts,
  secrets: ports.secrets,
  logger: ports.logger('events'),
  now: ports.now,
  // When the sweeper first looks at a Data API report after a notification.
  timing: ports.timing,
});
