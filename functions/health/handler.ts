import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { jsonResponse } from '../../shared/http/problem-response.ts';

/** GET /health: the API answers. Deliberately touches no dependency. */
export const handler = async (): Promise<APIGatewayProxyStructuredResultV2> =>
  jsonResponse(200, { status: 'ok' });
