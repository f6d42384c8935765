import type { CallbackDeps } from '../../shared/callbacks/deliver-callback.ts';
import type { Ports } from '../ports.ts';

export type CallbacksPorts = Pick<
  Ports,
  'config' | 'secrets' | 'callbackQueue' | 'callbackLog' | 'logger' | 'now' | 'tuning'
>;

/** The callback deliverer's dependencies, on Lambda and locally. */
export const callbacksDeps = (ports: CallbacksPorts): CallbackDeps => {
  const backoff = ports.tuning?.callbackBackoff;
  return {
    config: ports.config,
    secrets: ports.secrets,
    queue: ports.callbackQueue,
    log: ports.callbackLog,
    logger: ports.logger('callbacks'),
    now: ports.now,
    ...(backoff !== undefined && { backoff }),
  };
};
