import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isCallId } from '../../shared/calls/call-id.ts';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import { toCallView } from '../../shared/calls/call-view.ts';
import {
  abandonCall,
  cancelCall,
  type OperatorDeps,
  retryCall,
} from '../../shared/dispatch/operator-actions.ts';
import { callNotFound, ProblemError, quoteInput } from '../../shared/http/problem-error.ts';
import { jsonResponse } from '../../shared/http/problem-response.ts';
import { constantTimeEqual } from '../../shared/senders/constant-time.ts';
import { problemResponses } from '../http/problem-responses.ts';
import { lazyHandler } from '../lazy-handler.ts';

export interface CallsDeps extends OperatorDeps {
  adminKey: () => Promise<string>;
}

const requireAdmin = async (event: APIGatewayProxyEventV2, deps: CallsDeps): Promise<void> => {
  const header = event.headers.authorization ?? event.headers.Authorization;
  const given = header?.match(/^Bearer\s+(.+)$/i)?.[1];
  if (given === undefined)
    throw new ProblemError('unauthorized', 'Send Authorization: Bearer <admin key>.');
  if (!constantTimeEqual(given, await deps.adminKey())) {
    throw new ProblemError('unauthorized', 'The admin key is wrong.');
  }
};

type Action = (deps: CallsDeps, callId: string, requestId: string) => Promise<CallRecord>;

const ACTIONS: Record<string, Action> = {
  'GET /calls/{call_id}': async (deps, callId) => {
    const record = await deps.store.get(callId);
    if (record === undefined) throw callNotFound(callId);
    return record;
  },
  'POST /calls/{call_id}/cancel': (deps, callId, requestId) =>
    cancelCall(deps, callId, { requestId }),
  'POST /calls/{call_id}/retry': (deps, callId, requestId) =>
    retryCall(deps, callId, { requestId }),
  'POST /calls/{call_id}/abandon': (deps, callId, requestId) =>
    abandonCall(deps, callId, { requestId }),
};

/** GET /calls/{call_id}, POST /calls/{call_id}/cancel, /retry and /abandon (admin key). */
export const createCallsHandler = (deps: CallsDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(problemResponses(deps.logger))
    .handler(async (event) => {
      await requireAdmin(event, deps);
      const action = ACTIONS[event.routeKey];
      if (action === undefined)
        throw new ProblemError(
          'not_found',
          `Nothing answers ${event.requestContext.http.method} ${quoteInput(event.rawPath)}.`,
        );
      const callId = event.pathParameters?.call_id ?? '';
      // Checked once for every action: an id that cannot be a call id is never read.
      if (!isCallId(callId)) throw callNotFound(callId);
      const record = await action(deps, callId, event.requestContext.requestId);
      return jsonResponse(200, toCallView(record));
    });

export const handler = lazyHandler(async () => {
  const { awsCallsDeps } = await import('./aws-deps.ts');
  return createCallsHandler(await awsCallsDeps());
});
