import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { jsonPost } from './api-event.ts';

/** A webhook on the shipped `callback` route, each with its own number. */
export const webhookEvent = (i: number): APIGatewayProxyEventV2 =>
  jsonPost({
    routeKey: 'POST /hooks/{route}',
    path: '/hooks/callback',
    pathParameters: { route: 'callback' },
    token: 'demo-token',
    requestId: `c${i}`,
    body: { phone: `+7926${String(5_000_000 + i).padStart(7, '0')}` },
  });

/**
 * The provider's end-of-call notification for a placed call, as the template in
 * docs/operating.md renders it.
 */
export const endEvent = (callSessionId: number, externalId: unknown): APIGatewayProxyEventV2 =>
  jsonPost({
    routeKey: 'POST /events/{account}',
    path: '/events/demo',
    pathParameters: { account: 'demo' },
    token: 'demo-events-token',
    requestId: `e${callSessionId}`,
    body: {
      event: 'ended',
      call_session_id: callSessionId,
      external_id: externalId,
      talk_time_duration: 42,
      finish_reason: 'the call ended',
    },
  });
