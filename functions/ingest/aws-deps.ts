import type { PhoneNumbering } from '../../shared/routes/phone-numbering.ts';
import { readOwnKey } from '../../shared/secrets/secret-shapes.ts';
import {
  callStore,
  contactCapStore,
  contactWindowStore,
  keptEvents,
  rateWindowStore,
} from '../wiring/dynamodb.ts';
import { BASIC_PORTS, config, requireEnv } from '../wiring/env.ts';
import { secretStore } from '../wiring/secrets.ts';
import { dispatchQueue } from '../wiring/sqs.ts';
import { ingestDeps } from './deps.ts';

/**
 * The numbering the CDK app compiled into the bundle (esbuild replaces the expression with the
 * text), cut to the countries the config's routes dial.
 */
const compiledNumbering = (): PhoneNumbering =>
  JSON.parse(
    process.env.CALLHOOK_PHONE_NUMBERING_JSON ?? requireEnv('CALLHOOK_PHONE_NUMBERING_JSON'),
  ) as PhoneNumbering;

/** The ingest function's ports on Lambda. */
export const awsIngestDeps = () => {
  const secrets = secretStore();
  const hashKey = () => readOwnKey(secrets, 'contact_hash_key');
  const deps = ingestDeps({
    ...BASIC_PORTS,
    config: config(),
    numbering: compiledNumbering(),
    store: callStore(),
    keptEvents: keptEvents(),
    dispatchQueue: dispatchQueue(),
    secrets,
    contacts: contactCapStore(hashKey),
    contactWindows: contactWindowStore(hashKey),
    rateWindows: rateWindowStore(hashKey),
  });
  // What the local runtime's banner says at start-up, said at a cold start.
  for (const [name, route] of Object.entries(deps.config.routes)) {
    if (route.auth.type === 'none') {
      deps.logger.warn('route without sender verification: anyone can make it call', {
        route: name,
      });
    }
  }
  return deps;
};
