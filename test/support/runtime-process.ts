import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  type LocalRuntimeOptions,
  SIMULATOR_DEMO_KEY,
  startLocalRuntime,
} from '../../infra/local/runtime.ts';
import { loadConfigFile, parseConfig } from '../../shared/config/load.ts';
import { EVENTS_TOKEN } from './runtime.ts';

/**
 * The local runtime in a process of its own, for tests that kill it (SIGKILL) and start it again
 * on the same data: `node --import tsx test/support/runtime-process.ts <plan.json>`. The plan
 * holds the runtime's options (through the same injection points the in-process tests use), the
 * config (the shipped one when absent) and extra secrets. It prints `ready {"bridgeUrl": …}` and
 * stops cleanly on SIGTERM.
 */
export interface RuntimePlan
  extends Pick<
    LocalRuntimeOptions,
    | 'dataDir'
    | 'simulatorUrl'
    | 'leaseMs'
    | 'sweepIntervalMs'
    | 'timing'
    | 'backoff'
    | 'callbackBackoff'
    | 'queue'
    | 'simulator'
  > {
  config?: unknown;
  secrets?: Record<string, unknown>;
  adminKey: string;
  hookToken: string;
}

const planFile = process.argv[2] ?? '';
const plan = JSON.parse(await readFile(planFile, 'utf8')) as RuntimePlan;
const { config: rawConfig, secrets, adminKey, hookToken, ...options } = plan;
const secretsFile = join(dirname(planFile), `secrets-${process.pid}.json`);
await writeFile(
  secretsFile,
  JSON.stringify({
    'demo/callapi': { access_token: SIMULATOR_DEMO_KEY },
    'demo/hook-token': hookToken,
    'demo/events-token': EVENTS_TOKEN,
    ...secrets,
  }),
);
const runtime = await startLocalRuntime({
  config:
    rawConfig === undefined
      ? await loadConfigFile('callhook.config.json')
      : parseConfig(rawConfig, planFile),
  secretsFile,
  adminKey,
  port: 0,
  simulatorPort: 0,
  ...options,
});
process.stdout.write(
  `ready ${JSON.stringify({ bridgeUrl: runtime.bridgeUrl, simulatorUrl: runtime.simulatorUrl })}\n`,
);
process.once('SIGTERM', () => {
  void runtime.stop().then(() => process.exit(0));
});
