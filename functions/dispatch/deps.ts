import type { DispatchQueue } from '../../shared/calls/dispatch-queue.ts';
import type { DispatchDeps } from '../../shared/dispatch/dispatch-call.ts';
import { PointsInHand } from '../../shared/pacing/points-in-hand.ts';
import { type CallWorkPorts, callWorkDeps, type Ports } from '../ports.ts';

export interface DispatchHandlerDeps extends DispatchDeps {
  queue: DispatchQueue;
}

export type DispatchPorts = CallWorkPorts & Pick<Ports, 'limits' | 'tuning'>;

/**
 * The dispatch function's dependencies, on Lambda and locally: built once a process, so the
 * points it takes ahead (`PointsInHand`) serve its later messages.
 */
export const dispatchDeps = (ports: DispatchPorts): DispatchHandlerDeps => {
  const { leaseMs, backoff } = ports.tuning ?? {};
  return {
    ...callWorkDeps(ports, 'dispatch'),
    limits: new PointsInHand(ports.limits),
    ...(leaseMs !== undefined && { leaseMs }),
    ...(backoff !== undefined && { backoff }),
  };
};
