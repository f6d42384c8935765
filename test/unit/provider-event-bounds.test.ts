import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.ts';
import { acceptProviderEvent } from '../../shared/events/accept-provider-event.ts';
import { ProviderEvent } from '../../shared/events/provider-event.ts';
import { ProblemError } from '../../shared/http/problem-error.ts';
import { MAX_CALL_SECONDS } from '../../shared/validation/provider-numbers.ts';

/** A notification's body as its JSON text, so `1e400` is what the parser makes of it. */
const body = (fields: string) => `{"event": "ended", "call_session_id": 237859081${fields}}`;
const parse = (text: string) => ProviderEvent.safeParse(JSON.parse(text));

const OUT_OF_RANGE_SECONDS = [
  ['just past 7 days', `${MAX_CALL_SECONDS + 1}`],
  ['just past 7 days, quoted', `"${MAX_CALL_SECONDS + 1}"`],
  ['negative', '-1'],
  ['1e300', '1e300'],
  ['past the float range', '1e400'],
  ['fractional', '1.5'],
] as const;

describe('Schema: ProviderEvent (ranges)', () => {
  it.each(['talk_time_duration', 'total_time_duration'])(
    'reads %s from 0 to 7 days, bare or quoted',
    (field) => {
      for (const text of ['0', '42', `${MAX_CALL_SECONDS}`, `"${MAX_CALL_SECONDS}"`]) {
        const parsed = parse(body(`, "${field}": ${text}`));

        expect(parsed.success && parsed.data[field as 'talk_time_duration']).toBe(
          Number(JSON.parse(text)),
        );
      }
    },
  );

  it.each(
    ['talk_time_duration', 'total_time_duration'].flatMap((field) =>
      OUT_OF_RANGE_SECONDS.map(([why, text]) => [field, why, text] as const),
    ),
  )('refuses %s %s', (field, _, text) => {
    expect(parse(body(`, "${field}": ${text}`)).success).toBe(false);
  });

  it.each([
    ['1', 1],
    ['"237859081"', 237_859_081],
    [`${Number.MAX_SAFE_INTEGER}`, Number.MAX_SAFE_INTEGER],
  ])('reads the session id %s', (text, id) => {
    const parsed = ProviderEvent.safeParse(
      JSON.parse(`{"event": "answered", "call_session_id": ${text}}`),
    );

    expect(parsed.success && parsed.data.call_session_id).toBe(id);
  });

  it.each(['0', '-1', '1.5', '9007199254740993', '"9007199254740993"', '1e300', '1e400'])(
    'refuses the session id %s',
    (text) => {
      const parsed = ProviderEvent.safeParse(
        JSON.parse(`{"event": "answered", "call_session_id": ${text}}`),
      );

      expect(parsed.success).toBe(false);
    },
  );
});

describe('Function: acceptProviderEvent (a notification out of range)', () => {
  const config = parseConfig(
    {
      accounts: {
        uis: {
          provider: 'uis',
          secret: 'uis/key',
          virtual_phone_number: '74993720692',
          events_secret: 'uis/events',
        },
      },
      routes: {
        r: {
          account: 'uis',
          auth: { type: 'token', secret: 't' },
          call: {
            method: 'start.simple_call',
            contact: 'phone',
            params: { first_call: 'operator', operator: '74951234567' },
          },
        },
      },
    },
    'test',
  );
  /** A store that must not be asked: a refused notification looks nothing up. */
  const untouchable = new Proxy(
    {},
    {
      get: () => {
        throw new Error('the store was used');
      },
    },
  );
  const deps = {
    config,
    secrets: { get: async () => 'events-token' },
    store: untouchable,
    logger: untouchable,
    now: () => new Date('2026-11-24T10:00:00.000Z'),
  } as never;

  it.each([
    ['talk_time_duration', '1e300'],
    ['talk_time_duration', `${MAX_CALL_SECONDS + 1}`],
    ['total_time_duration', '-1'],
    ['call_session_id', '1e300'],
  ])('refuses %s %s with 422 invalid_payload, before any lookup', async (field, text) => {
    const request = {
      headers: { 'content-type': 'application/json', 'x-callhook-token': 'events-token' },
      query: {},
      body: Buffer.from(`{"event": "ended", "call_session_id": 237859081, "${field}": ${text}}`),
    };

    const refusal = await acceptProviderEvent(deps, 'uis', request).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(refusal).toBeInstanceOf(ProblemError);
    expect(refusal).toMatchObject({ code: 'invalid_payload', status: 422 });
    expect((refusal as ProblemError).message).toContain(field);
  });
});
