import { SecretsManagerStore } from '../../shared/adapters/aws/secrets-manager-store.ts';
import {
  PrefixedSecretStore,
  SECRET_NAME_PREFIX_ENV,
} from '../../shared/secrets/prefixed-secret-store.ts';
import { BASIC_PORTS, config } from '../wiring/env.ts';
import { probeDeps } from './deps.ts';

/** `EGRESS_IPS`: the stack's Elastic IPs, comma-separated (unset when it reuses allocations). */
const egressIps = (): string[] =>
  (process.env.EGRESS_IPS ?? '')
    .split(',')
    .map((ip) => ip.trim())
    .filter((ip) => ip !== '');

/**
 * The probe's ports on Lambda. Its secrets are read under the stage's names like every
 * function's, but afresh on every invocation, not through the five-minute cache the others
 * share (`functions/wiring/secrets-manager.ts`): the doctor runs right after an operator puts a
 * new value, and must see that one.
 */
export const awsProbeDeps = () =>
  probeDeps({
    ...BASIC_PORTS,
    config: config(),
    secrets: new PrefixedSecretStore(
      new SecretsManagerStore({ clientConfig: {} }),
      process.env[SECRET_NAME_PREFIX_ENV] ?? '',
    ),
    egressIps: egressIps(),
  });
