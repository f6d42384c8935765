import { createHmac } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { asHttpApiEvent } from '../../functions/http/api-event.ts';
import { rawRequestFrom } from '../../functions/http/raw-request-from.ts';
import { verifyShopify } from '../../shared/senders/shopify.ts';

const event = (body: string, isBase64Encoded: boolean, signature: string) =>
  ({
    version: '2.0',
    routeKey: 'POST /hooks/{route}',
    rawPath: '/hooks/shop',
    rawQueryString: '',
    headers: { 'Content-Type': 'application/json', 'X-Shopify-Hmac-Sha256': signature },
    isBase64Encoded,
    body,
  }) as unknown as APIGatewayProxyEventV2;

describe('Function: rawRequestFrom', () => {
  const text = JSON.stringify({ name: 'Зоя', phone: '+7 926 000-00-31' });
  const signature = createHmac('sha256', 'secret').update(text).digest('base64');

  it('decodes a body API Gateway sent as base64 to the bytes the sender signed', () => {
    const request = rawRequestFrom(event(Buffer.from(text).toString('base64'), true, signature));

    expect(request.body.toString('utf8')).toBe(text);
    expect(() => verifyShopify(request, 'secret')).not.toThrow();
  });

  it('reads a plain body as UTF-8 and lowercases header names', () => {
    const request = rawRequestFrom(event(text, false, signature));

    expect(request.body.equals(Buffer.from(text))).toBe(true);
    expect(request.headers['x-shopify-hmac-sha256']).toBe(signature);
  });
});

describe('Function: asHttpApiEvent (the WAF-guarded browser API, a REST API)', () => {
  const restEvent = {
    resource: '/hooks/shop-form',
    path: '/hooks/shop-form',
    httpMethod: 'POST',
    headers: {
      Origin: 'https://shop.example',
      Accept: 'text/html',
      'X-Forwarded-For': '198.51.100.9',
    },
    multiValueHeaders: {
      Origin: ['https://shop.example'],
      Accept: ['text/html', 'application/json'],
      'X-Forwarded-For': ['198.51.100.9'],
    },
    queryStringParameters: { tag: 'b' },
    multiValueQueryStringParameters: { tag: ['a', 'b'] },
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authorizer: null,
      httpMethod: 'POST',
      identity: { sourceIp: '203.0.113.7', userAgent: 'Mozilla/5.0' },
      path: '/forms/hooks/shop-form',
      protocol: 'HTTP/1.1',
      requestId: 'r-1',
      requestTimeEpoch: 1_767_225_600_000,
      resourceId: 'x1',
      resourcePath: '/hooks/shop-form',
      stage: 'forms',
    },
    body: '{"phone":"+79260000031"}',
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEvent;

  it('reads it as the HTTP API would send it: names lowercased, repeats joined, the route from its resource', () => {
    const event = asHttpApiEvent(restEvent);
    expect(event.headers).toEqual({
      origin: 'https://shop.example',
      accept: 'text/html,application/json',
      'x-forwarded-for': '198.51.100.9',
    });
    expect(event.queryStringParameters).toEqual({ tag: 'a,b' });
    expect(event.pathParameters).toEqual({ route: 'shop-form' });
    expect(event.requestContext.http.method).toBe('POST');
  });

  it("takes the client's address from the connection API Gateway saw, never from X-Forwarded-For", () => {
    const request = rawRequestFrom(asHttpApiEvent(restEvent));
    expect(request.sourceIp).toBe('203.0.113.7');
    expect(request.body.toString('utf8')).toBe('{"phone":"+79260000031"}');
  });
});
