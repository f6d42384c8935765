import { describe, expect, it } from 'vitest';
import { parsePayload } from '../../shared/http/parse-body.ts';
import type { RawRequest } from '../../shared/http/raw-request.ts';

const request = (
  body: string | Buffer,
  contentType?: string,
  query: Record<string, string> = {},
): RawRequest => ({
  headers: contentType === undefined ? {} : { 'content-type': contentType },
  query,
  body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
});

describe('Function: parsePayload', () => {
  it('reads a JSON object', () => {
    expect(parsePayload(request('{"phone":"1","n":2}', 'application/json'))).toEqual({
      phone: '1',
      n: 2,
    });
  });

  it('reads a form body, decoding UTF-8', () => {
    expect(
      parsePayload(
        request(
          'phone=%2B7%20926&name=%D0%90%D0%BD%D0%BD%D0%B0',
          'application/x-www-form-urlencoded',
        ),
      ),
    ).toEqual({ phone: '+7 926', name: 'Анна' });
  });

  it('puts body fields over query fields and drops the credential parameter', () => {
    const payload = parsePayload(
      request('{"phone":"2"}', 'application/json; charset=utf-8', {
        phone: '1',
        source: 'tilda',
        token: 'secret',
      }),
      { omitQuery: ['token'] },
    );
    expect(payload).toEqual({ phone: '2', source: 'tilda' });
  });

  it('leaves query parameters out where they are not fields', () => {
    const payload = parsePayload(request('{"message":"hi"}', 'application/json', { phone: '1' }), {
      queryFields: false,
    });
    expect(payload).toEqual({ message: 'hi' });
  });

  it('reads the body in a fixed format whatever the Content-Type says', () => {
    const body = '{"phone":"2","note":"a&phone=3"}';
    expect(
      parsePayload(request(body, 'application/x-www-form-urlencoded'), { bodyFormat: 'json' }),
    ).toEqual({
      phone: '2',
      note: 'a&phone=3',
    });
    expect(parsePayload(request(body, undefined), { bodyFormat: 'json' })).toEqual({
      phone: '2',
      note: 'a&phone=3',
    });
  });

  it('reads query parameters when there is no body', () => {
    expect(parsePayload(request('', undefined, { phone: '1' }))).toEqual({ phone: '1' });
  });

  it('accepts a +json media type', () => {
    expect(parsePayload(request('{"a":1}', 'application/vnd.shop+json'))).toEqual({ a: 1 });
  });

  it.each([
    ['no content type', request('{"a":1}'), 415],
    ['text/plain', request('a=1', 'text/plain'), 415],
    ['latin-1', request('{"a":1}', 'application/json; charset=iso-8859-1'), 415],
    ['malformed JSON', request('{"a":', 'application/json'), 400],
    ['a JSON string', request('"a"', 'application/json'), 400],
    ['JSON null', request('null', 'application/json'), 400],
    ['invalid UTF-8', request(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), 'application/json'), 400],
  ])('refuses %s', (_, raw, status) => {
    expect(() => parsePayload(raw)).toThrow(expect.objectContaining({ status }));
  });

  it('accepts nesting up to the depth limit and refuses one level more', () => {
    // `levels` objects, each the value of the one around it.
    const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

    expect(() => parsePayload(request(nested(32), 'application/json'))).not.toThrow();
    expect(() => parsePayload(request(nested(33), 'application/json'))).toThrow(
      expect.objectContaining({ status: 400, code: 'malformed_body' }),
    );
  });

  it('keeps a "__proto__" field as plain data', () => {
    const payload = parsePayload(request('{"__proto__":{"polluted":true}}', 'application/json'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
  });
});
