import { DynamoDbContactCapStore } from '../../shared/adapters/dynamodb/dynamodb-contact-cap-store.ts';
import { tableName } from '../../shared/adapters/dynamodb/tables.ts';
import type { IngestDeps } from '../../shared/ingest/accept-webhook.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import type { PhoneNumbering } from '../../shared/routes/phone-numbering.ts';
import { config, now, queue, requireEnv, secrets, store } from '../aws-wiring.ts';

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
  return {
    config: ingestConfig,
    numbering: compiledNumbering(),
    store: store(),
    queue: queue(),
    secrets: secrets(),
    contacts: new DynamoDbContactCapStore({ tableName: tableName('contacts'), clientConfig: {} }),
    logger,
    now,
  };
};
