import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { CallStore } from '../../shared/calls/call-store.ts';
import { toCallView } from '../../shared/calls/call-view.ts';
import { CallNotFoundError, UnauthorizedError } from '../../shared/http/problem-error.ts';
import { problemResponses } from '../../shared/http/problem-mapper.ts';
import { jsonResponse } from '../../shared/http/problem-response.ts';
import type { Logger } from '../../shared/logging/logger.ts';
import { constantTimeEqual } from '../../shared/webhooks/constant-time.ts';
import { lazyHandler } from '../lazy-handler.ts';

export interface CallsDeps {
  store: CallStore;
  adminKey: () => Promise<string>;
  logger: Logger;
}

const requireAdmin = async (event: APIGatewayProxyEventV2, deps: CallsDeps): Promise<void> => {
  const header = event.headers.authorization ?? event.headers.Authorization;
  const given = header?.match(/^Bearer\s+(.+)$/i)?.[1];
  if (given === undefined) throw new UnauthorizedError('Send Authorization: Bearer <admin key>.');
  if (!constantTimeEqual(given, await deps.adminKey())) {
    throw new UnauthorizedError('The admin key is wrong.');
  }
};

/** GET /calls/{call_id} */
export const createCallsHandler = (deps: CallsDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(problemResponses(deps.logger))
    .handler(async (event) => {
      await requireAdmin(event, deps);
      const callId = event.pathParameters?.call_id ?? '';
      const record = await deps.store.get(callId);
      if (record === undefined) throw new CallNotFoundError(callId);
      return jsonResponse(200, toCallView(record));
    });

export const handler = lazyHandler(async () => {
  const { awsCallsDeps } = await import('../aws-wiring.ts');
  return createCallsHandler(await awsCallsDeps());
});
