import { describe, expect, it } from 'vitest';
import type { CallRequest } from '../../shared/backends/config-registry.ts';
import { callIdFor, contentKey, fingerprintOf } from '../../shared/calls/idempotency.ts';

const informer = (contact: string, text: string): CallRequest => ({
  method: 'start.informer_call',
  params: {
    virtual_phone_number: '74993720692',
    contact,
    contact_message: { type: 'tts', value: text },
  },
});

describe('Function: fingerprintOf', () => {
  it('is the same for the same call whatever the key order', () => {
    const a = informer('79260000000', 'Hello');
    const b: CallRequest = {
      method: 'start.informer_call',
      params: {
        contact_message: { value: 'Hello', type: 'tts' },
        contact: '79260000000',
        virtual_phone_number: '74993720692',
      },
    };
    expect(fingerprintOf(a)).toBe(fingerprintOf(b));
  });

  it('differs for another phone', () => {
    expect(fingerprintOf(informer('79260000000', 'Hello'))).not.toBe(
      fingerprintOf(informer('79260000001', 'Hello')),
    );
  });

  it('differs for another text', () => {
    expect(fingerprintOf(informer('79260000000', 'Hello'))).not.toBe(
      fingerprintOf(informer('79260000000', 'Hello!')),
    );
  });
});

describe('Function: callIdFor', () => {
  it('gives every delivery of one event the same id', () => {
    expect(callIdFor('orders', 'route', '1001')).toBe(callIdFor('orders', 'route', '1001'));
  });

  it('keeps routes apart', () => {
    expect(callIdFor('orders', 'route', '1001')).not.toBe(callIdFor('callback', 'route', '1001'));
  });

  it('keeps key sources apart', () => {
    expect(callIdFor('orders', 'header', '1001')).not.toBe(callIdFor('orders', 'route', '1001'));
  });

  it('cannot be confused by a separator inside the key', () => {
    expect(callIdFor('a', 'route', 'b\nroute\nc')).not.toBe(callIdFor('a\nroute\nb', 'route', 'c'));
  });
});

describe('Function: contentKey', () => {
  it('ignores key order', () => {
    expect(contentKey({ phone: '1', name: 'A' })).toBe(contentKey({ name: 'A', phone: '1' }));
  });

  it('differs when a value differs', () => {
    expect(contentKey({ phone: '1', name: 'A' })).not.toBe(contentKey({ phone: '1', name: 'B' }));
  });
});
