import { type SimulatorOptions, startSimulator } from '../../infra/local/simulator/simulator.ts';
import { serve } from './child.ts';

/** What the bench asks the provider: the calls it accepted and the requests it refused. */
export interface ProviderCalls {
  /** Each accepted call: its `external_id` and when it arrived (epoch ms). */
  calls: { external_id: string; received_at: number }[];
  /** Every `start.simple_call` request, accepted or refused. */
  requests: number;
}

// The Call API simulator, as the provider: `ready` is its URL.
const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
const simulator = await startSimulator({ ...options, host: '127.0.0.1', port: 0 });
serve(
  simulator.url,
  async (): Promise<ProviderCalls> => ({
    calls: simulator.calls().map((call) => ({
      external_id: String(call.params.external_id),
      received_at: Date.parse(call.received_at),
    })),
    requests: simulator.requestCount('start.simple_call'),
  }),
  simulator.close,
);
