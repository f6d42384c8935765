import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventsHandler } from '../../functions/events/handler.ts';
import { lambdaContext } from '../../infra/local/lambda-context.ts';
import { DynamoDbContactCapStore } from '../../shared/adapters/dynamodb/dynamodb-contact-cap-store.ts';
import { callIdFor } from '../../shared/calls/idempotency.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { MAX_EVENT_TEXT_BYTES } from '../../shared/events/record-provider-event.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { queuedRecord, startCallsTable } from '../support/dispatch.ts';
import { DYNAMO_ENGINES } from '../support/dynamo-engines.ts';
import { javaAvailable } from '../support/dynamodb-local.ts';

const TOKEN = 'events-token';
const config = parseConfig(
  {
    accounts: {
      acme: {
        base_url: 'http://127.0.0.1:9',
        secret: 'acme/callapi',
        virtual_phone_number: '74993720692',
        events_secret: 'acme/events',
      },
    },
    routes: {
      callback: {
        account: 'acme',
        auth: { type: 'token', secret: 'acme/hook' },
        call: {
          method: 'start.simple_call',
          contact: 'phone',
          params: { first_call: 'operator', operator: '74951234567' },
        },
      },
    },
  },
  'test',
);

/** POST /events/acme as API Gateway hands it to the function, the body as its exact text. */
const eventPost = (body: string): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /events/{account}',
    rawPath: '/events/acme',
    rawQueryString: `token=${TOKEN}`,
    headers: { 'content-type': 'application/json' },
    queryStringParameters: { token: TOKEN },
    pathParameters: { account: 'acme' },
    requestContext: { requestId: 'r', http: { method: 'POST', path: '/events/acme' } },
    isBase64Encoded: false,
    body,
  }) as unknown as APIGatewayProxyEventV2;

/**
 * Fields a provider's notification template may carry besides the ones callhook reads, each a
 * shape the official DynamoDB Local refuses as an attribute (dynalite accepts most of them).
 */
const HAZARDS: { name: string; fields: string }[] = [
  { name: 'a field named ""', fields: '"":"empty"' },
  { name: 'a nested field named ""', fields: '"extra":{"":{"":1}}' },
  { name: 'a field named "" inside a list', fields: '"list":[{"":true}]' },
  { name: 'a field name of 64 KiB', fields: `"${'n'.repeat(65_536)}":1` },
  {
    name: 'nesting callhook parses (31 levels)',
    fields: `"deep":${'{"d":'.repeat(30)}1${'}'.repeat(30)}`,
  },
  {
    name: 'numbers DynamoDB cannot hold',
    fields: '"big":1e300,"tiny":1e-200,"digits":123456789012345678901234567890123456789012',
  },
];

const java = javaAvailable();
if (!java) {
  // The engines list leaves DynamoDB Local out without Java; say so rather than pass quietly.
  console.warn(
    'provider-event-storage: DynamoDB Local cases skipped: no Java runtime on the PATH (`java -version` failed); running on dynalite only.',
  );
}

describe('Provider events with field names DynamoDB refuses', () => {
  it.skipIf(!java)('run on the official DynamoDB Local where Java is installed', () => {
    expect(DYNAMO_ENGINES.map((engine) => engine.name)).toContain('DynamoDB Local');
  });

  describe.each(DYNAMO_ENGINES)(
    'On $name, through the events handler and the real store',
    (engine) => {
      let table: Awaited<ReturnType<typeof startCallsTable>>;
      let handle: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

      beforeAll(async () => {
        table = await startCallsTable(engine.start);
        const handler = createEventsHandler({
          config,
          secrets: { get: async () => TOKEN },
          store: table.store,
          contacts: new DynamoDbContactCapStore({
            tableName: 'contacts',
            clientConfig: table.clientConfig,
            hashKey: async () => 'a-test-hash-key-of-16+',
          }),
          logger: createLogger('provider-event-storage-test'),
          now: () => new Date(),
        });
        handle = (event) => handler(event, lambdaContext('events'));
      });
      afterAll(() => table.close());

      it.each(HAZARDS.map((hazard, i) => ({ ...hazard, session: 500_000 + i })))(
        'records an ended event with $name, and keeps it as received',
        async ({ fields, session }) => {
          const callId = callIdFor('callback', 'header', `hazard-${session}`);
          await table.store.create(
            {
              ...queuedRecord(callId),
              status: 'placed',
              call_session_id: session,
              session_key: `acme#${session}`,
            },
            new Date(),
          );
          const body = `{"event":"ended","call_session_id":${session},"talk_time_duration":7,${fields}}`;

          const answer = await handle(eventPost(body));

          expect({ status: answer.statusCode, body: JSON.parse(String(answer.body)) }).toEqual({
            status: 200,
            body: { status: 'recorded', call_id: callId, call_status: 'completed' },
          });
          const stored = await table.store.get(callId);
          expect(stored).toMatchObject({
            status: 'completed',
            outcome: { answered: true, duration_s: 7 },
          });
          // The event is kept as JSON text: what was sent, field for field.
          expect(JSON.parse(String(stored?.outcome?.event))).toEqual(JSON.parse(body));
        },
      );

      it('keeps the first 96 KiB of an event too large to keep whole, and records it', async () => {
        const session = 600_000;
        const callId = callIdFor('callback', 'header', 'large-event');
        await table.store.create(
          {
            ...queuedRecord(callId),
            status: 'placed',
            call_session_id: session,
            session_key: `acme#${session}`,
          },
          new Date(),
        );
        const body = JSON.stringify({
          event: 'ended',
          call_session_id: session,
          padding: 'ж'.repeat(100_000),
        });

        const answer = await handle(eventPost(body));

        expect(answer.statusCode).toBe(200);
        const kept = String((await table.store.get(callId))?.outcome?.event);
        // Cut on a character boundary: 'ж' is two bytes.
        expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(MAX_EVENT_TEXT_BYTES);
        expect(Buffer.byteLength(kept)).toBeGreaterThanOrEqual(MAX_EVENT_TEXT_BYTES - 1);
        expect(body.startsWith(kept)).toBe(true);
      });
    },
  );
});
