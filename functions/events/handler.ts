import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ProviderEventAnswer } from '../../shared/contract/hook-schemas.ts';
import {
  type AcceptEventDeps,
  acceptProviderEvent,
} from '../../shared/events/accept-provider-event.ts';
import { jsonResponse } from '../../shared/http/problem-response.ts';
import { problemResponses } from '../http/problem-responses.ts';
import { rawRequestFrom } from '../http/raw-request-from.ts';

/** POST /events/{account}: the provider's HTTP notifications. */
export const createEventsHandler = (deps: AcceptEventDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(problemResponses(deps.logger))
    .handler(async (event) => {
      const outcome = await acceptProviderEvent(
        deps,
        event.pathParameters?.account ?? '',
        rawRequestFrom(event),
      );
      // The contract's answer (shared/contract/hook-schemas.ts): shared/events states its own
      // type, held to the contract here.
      return jsonResponse(200, outcome satisfies ProviderEventAnswer);
    });
