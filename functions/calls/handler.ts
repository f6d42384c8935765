import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isCallId } from '../../shared/calls/call-id.ts';
import { toCallDetail, toCallView } from '../../shared/calls/call-view.ts';
import { callNotFound, ProblemError, quoteInput } from '../../shared/http/problem-error.ts';
import { jsonResponse } from '../../shared/http/problem-response.ts';
import { constantTimeEqual } from '../../shared/senders/constant-time.ts';
import { problemResponses } from '../http/problem-responses.ts';
import { rawRequestFrom } from '../http/raw-request-from.ts';
import type { CallsDeps } from './deps.ts';
import { callActionFor, callReadFor, collectionActionFor } from './routes.ts';

export type { CallsDeps };

/** Calls and figures are the operator's data: no browser or proxy keeps a copy of them. */
const PRIVATE = { 'cache-control': 'no-store' } as const;

const requireAdmin = async (event: APIGatewayProxyEventV2, deps: CallsDeps): Promise<void> => {
  const header = event.headers.authorization ?? event.headers.Authorization;
  const given = header?.match(/^Bearer\s+(.+)$/i)?.[1];
  if (given === undefined)
    throw new ProblemError('unauthorized', 'Send Authorization: Bearer <admin key>.');
  if (!constantTimeEqual(given, await deps.adminKey())) {
    throw new ProblemError('unauthorized', 'The admin key is wrong.');
  }
};

/**
 * The request's JSON body, parsed; undefined when it sent none. Read only by the endpoints that
 * take one: any other ignores a body, as before there were bodies.
 */
const jsonBody = (event: APIGatewayProxyEventV2): unknown => {
  const { body } = rawRequestFrom(event);
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new ProblemError('malformed_body', 'The body is not JSON.');
  }
};

/** The `/calls` endpoints (admin key): each route's action is in `CALLS_ROUTES`. */
export const createCallsHandler = (deps: CallsDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(problemResponses(deps.logger))
    .handler(async (event) => {
      await requireAdmin(event, deps);
      const collection = collectionActionFor(event.routeKey);
      if (collection !== undefined)
        return jsonResponse(
          200,
          await collection(
            deps,
            event.queryStringParameters ?? {},
            () => jsonBody(event),
            event.requestContext.requestId,
          ),
          PRIVATE,
        );
      const read = callReadFor(event.routeKey);
      const action = callActionFor(event.routeKey);
      if (action === undefined && read === undefined)
        throw new ProblemError(
          'not_found',
          `Nothing answers ${event.requestContext.http.method} ${quoteInput(event.rawPath)}.`,
        );
      const callId = event.pathParameters?.call_id ?? '';
      // Checked once for every action: an id that cannot be a call id is never read.
      if (!isCallId(callId)) throw callNotFound(callId);
      if (read !== undefined) return jsonResponse(200, await read(deps, callId), PRIVATE);
      if (action === undefined) throw callNotFound(callId);
      const record = await action(deps, callId, event.requestContext.requestId, () =>
        jsonBody(event),
      );
      // An action answers with the call it changed; a read shows its timeline too, with the
      // status callbacks' deliveries kept beside the record (older ones are in it).
      if (event.requestContext.http.method !== 'GET')
        return jsonResponse(200, toCallView(record), PRIVATE);
      const kept = await deps.callbackLog?.deliveriesOf(callId);
      const callbackLog = { ...record.callback_log, ...kept };
      return jsonResponse(200, toCallDetail({ ...record, callback_log: callbackLog }), PRIVATE);
    });
