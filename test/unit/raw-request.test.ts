import { createHmac } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
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
