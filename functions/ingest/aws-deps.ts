import { readSecret } from '../../shared/config/secret-shapes.ts';
import { SWEEP_TIMING } from '../../shared/dispatch/sweep-timing.ts';
import { CONTACT_HASH_KEY_SECRET } from '../../shared/guardrails/contact-key.ts';
import type { IngestDeps } from '../../shared/ingest/accept-webhook.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import type { PhoneNumbering } from '../../shared/routes/phone-numbering.ts';
import { callStore, contactCapStore } from '../wiring/dynamodb.ts';
import { config, now, requireEnv } from '../wiring/env.ts';
import { secretStore } from '../wiring/secrets-manager.ts';
import { dispatchQueue } from '../wiring/sqs.ts';

/**
 * The numbering the CDK app compiled into the bundle (esbuild replaces the expression with the
 * text), cut to the countries the config's routes dial.
 */
const compiledNumbering = (): PhoneNumbering =>
  JSON.parse(
    process.env.CALLHOOK_PHONE_NUMBERING_JSON ?? requireEnv('CALLHOOK_PHONE_NUMBERING_JSON'),
  ) as PhoneNumbering;

/** The ingest function's ports on Lambda. */
export const awsIngestDeps = async (): Promise<IngestDeps> => {
  const ingestConfig = config();
  const logger = createLogger('ingest');
  for (const [name, route] of Object.entries(ingestConfig.routes)) {
    if (route.auth.type === 'none') {
      logger.warn('route without sender verification: anyone can make it call', { route: name });
    }
  }
  const secrets = secretStore();
  return {
    config: ingestConfig,
    numbering: compiledNumbering(),
    store: callStore(),
    queue: dispatchQueue(),
    secrets,
    contacts: contactCapStore(() => readSecret(secrets, CONTACT_HASH_KEY_SECRET, 'hash-key')),
    logger,
    now,
    timing: SWEEP_TIMING,
  };
};
