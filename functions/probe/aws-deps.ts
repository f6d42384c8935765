import { BASIC_PORTS, config } from '../wiring/env.ts';
import { uncachedSecretStore } from '../wiring/secrets.ts';
import { probeDeps } from './deps.ts';

/** `EGRESS_IPS`: the stack's Elastic IPs, comma-separated (unset when it reuses allocations). */
const egressIps = (): string[] =>
  (process.env.EGRESS_IPS ?? '')
    .split(',')
    .map((ip) => ip.trim())
    .filter((ip) => ip !== '');

/**
 * The probe's ports on Lambda. Its secrets are read where and under the names every function's
 * are (Secrets Manager or Parameter Store, the stage's prefix), but afresh on every invocation,
 * not through the five-minute cache the others share (`functions/wiring/secrets.ts`): the
 * doctor runs right after an operator puts a new value, and must see that one.
 */
export const awsProbeDeps = () =>
  probeDeps({
    ...BASIC_PORTS,
    config: config(),
    secrets: uncachedSecretStore(),
    egressIps: egressIps(),
  });
