import {
  type FaultRule,
  type SimulatorOptions,
  startSimulator,
} from '../../infra/local/simulator/simulator.ts';

/**
 * The Call API simulator in a process of its own, so that what it counts outlives the runtimes
 * a test kills: `node --import tsx test/support/simulator-process.ts <options json>`, started
 * with an IPC channel. It sends `{ready: url}`, then answers each `{id, op}` message:
 * `stats` → every accepted call and the requests per method; `fault` → adds `rule`;
 * `clearFaults`. Only on 127.0.0.1, on a free port.
 */
export type SimulatorRequest =
  | { id: number; op: 'stats' }
  | { id: number; op: 'fault'; rule: FaultRule }
  | { id: number; op: 'clearFaults' };

const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
const simulator = await startSimulator({ ...options, host: '127.0.0.1', port: 0 });
const METHODS = ['start.simple_call', 'list.calls'];

process.on('message', (message: SimulatorRequest) => {
  if (message.op === 'stats') {
    const requests = Object.fromEntries(METHODS.map((m) => [m, simulator.requestCount(m)]));
    process.send?.({ id: message.id, calls: simulator.calls(), requests });
  } else if (message.op === 'fault') {
    simulator.injectFault(message.rule);
    process.send?.({ id: message.id });
  } else {
    simulator.clearFaults();
    process.send?.({ id: message.id });
  }
});
// The parent going away (even killed) closes the channel: nothing is left running.
process.on('disconnect', () => {
  void simulator.close().then(() => process.exit(0));
});
process.send?.({ ready: simulator.url });
