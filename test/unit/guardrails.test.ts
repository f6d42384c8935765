import { describe, expect, it } from 'vitest';
import type { ProblemCode } from '../../shared/http/problem-error.ts';
import { ProblemError } from '../../shared/http/problem-error.ts';
import { readEvent } from '../../shared/ingest/event-context.ts';
import { callRequest } from '../../shared/ingest/guardrails/call-request.ts';
import { callableNumber } from '../../shared/ingest/guardrails/callable-number.ts';
import { candidateOf } from '../../shared/ingest/guardrails/candidate.ts';
import { contactCap } from '../../shared/ingest/guardrails/contact-cap.ts';
import { contactWindow } from '../../shared/ingest/guardrails/contact-window.ts';
import type { Guardrail, Hold } from '../../shared/ingest/guardrails/guardrail.ts';
import { messageLength } from '../../shared/ingest/guardrails/message-length.ts';
import { ownNumber } from '../../shared/ingest/guardrails/own-number.ts';
import { GUARDRAILS, runGuardrails } from '../../shared/ingest/guardrails/registry.ts';
import { testEvent } from '../../shared/ingest/guardrails/test-event.ts';
import { demoConfig } from '../support/configs.ts';
import { memoryIngestDeps } from '../support/ingest-deps.ts';

const now = new Date('2026-12-01T10:00:00Z');

/** An unsigned route calling `contact` with the payload's `text`, and `fields` besides. */
const informer = (contact: string, fields: Record<string, unknown> = {}) => ({
  auth: { type: 'none' },
  call: { method: 'start.informer_call', contact, contact_message: { type: 'tts', value: 'text' } },
  ...fields,
});

const config = demoConfig(
  {
    orders: informer('phone', { test_event: 'test = true', max_message_length: 20 }),
    typed: informer('$substring(phone, 0)'),
    // Test deliveries ring here, and its call says nothing.
    tests: {
      ...informer('phone', { test_event: 'test = true', test_events: 'call' }),
      call: {
        method: 'start.simple_call',
        contact: 'phone',
        params: { first_call: 'operator', operator: '79260000009' },
      },
    },
  },
  { per_number_daily_limit: 1 },
);

const deps = () => memoryIngestDeps(config, now);

const candidate = async (
  payload: Record<string, unknown>,
  { route = 'orders', callId = 'c_1' } = {},
) => {
  const routeConfig = config.routes[route];
  const account = config.accounts.demo;
  if (routeConfig === undefined || account === undefined) throw new Error('no such route');
  const event = await readEvent(routeConfig, account, payload);
  return candidateOf(deps(), { routeName: route, route: routeConfig, account, callId, now, event });
};

const refuse = (
  code: ProblemCode,
  detail: string,
  headers?: Record<string, string>,
  extensions: Record<string, unknown> = {},
) => new ProblemError(code, detail, extensions, headers === undefined ? undefined : { headers });

/** What the guardrail answers for the payload: its code, thrown or returned, or undefined. */
const verdictOf = async <C extends ProblemCode, P extends object>(
  guardrail: Guardrail<C, P>,
  payload: Record<string, unknown>,
  options?: { route?: string },
) => {
  try {
    const verdict = await guardrail.check(
      await candidate(payload, options),
      refuse,
      deps() as unknown as P & ReturnType<typeof deps>,
    );
    return verdict instanceof ProblemError ? verdict.code : verdict;
  } catch (error) {
    if (error instanceof ProblemError) return error.code;
    throw error;
  }
};

const order = { phone: '+79260000000', text: 'Your order is ready.' };

describe('Guardrail: test event', () => {
  it.each([
    ['a test delivery', { ...order, test: true }, 'orders', 'test_event'],
    ['a live delivery', { ...order, test: false }, 'orders', undefined],
    ['a test delivery on a route that calls them', { ...order, test: true }, 'tests', undefined],
  ])('%s', async (_, payload, route, code) => {
    expect(await verdictOf(testEvent, payload, { route })).toBe(code);
  });
});

describe('Guardrail: callable number', () => {
  it.each([
    ['a Russian mobile', '+79260000000', undefined],
    ['no number', '', 'invalid_phone'],
    ['letters', 'call me', 'invalid_phone'],
    ['a country the route does not allow', '+49 30 901820', 'country_not_allowed'],
    ['a premium-rate number', '8 809 123 45 67', 'number_type_not_allowed'],
  ])('%s', async (_, phone, code) => {
    expect(await verdictOf(callableNumber, { ...order, phone })).toBe(code);
  });

  it('refuses a contact that is neither text nor a number with invalid_phone', async () => {
    expect(await verdictOf(callableNumber, { ...order, phone: { a: 1 } })).toBe('invalid_phone');
  });

  it('refuses a contact expression that fails on the payload with invalid_payload', async () => {
    expect(await verdictOf(callableNumber, { ...order, phone: 7926 }, { route: 'typed' })).toBe(
      'invalid_payload',
    );
  });
});

describe('Guardrail: own number', () => {
  it.each([
    ['the account’s own virtual number', '+7 499 372-06-92', 'own_number'],
    ['a customer’s number', '+79260000000', undefined],
  ])('%s', async (_, phone, code) => {
    expect(await verdictOf(ownNumber, { ...order, phone })).toBe(code);
  });
});

describe('Guardrail: message length', () => {
  it.each([
    ['a text within max_message_length', 'Ready.', undefined],
    ['a text over it', 'Your order is ready now.', 'message_too_long'],
    ['a number as the text', 12345, undefined],
    ['no text (the mapping refuses it)', undefined, undefined],
    ['a blank text over it (the mapping refuses it)', ' '.repeat(30), undefined],
  ])('%s', async (_, text, code) => {
    expect(await verdictOf(messageLength, { ...order, text })).toBe(code);
  });

  it('does not apply to a call without a message', async () => {
    expect(await verdictOf(messageLength, order, { route: 'tests' })).toBeUndefined();
  });
});

describe('Guardrail: call request', () => {
  it.each([
    ['a payload with everything the call needs', order, undefined],
    ['a payload without the text of the message', { phone: order.phone }, 'invalid_payload'],
  ])('%s', async (_, payload, code) => {
    expect(await verdictOf(callRequest, payload)).toBe(code);
  });
});

describe('Guardrail: per-number cap (stateful)', () => {
  it('counts a call, refuses the next one to the number with Retry-After, and gives back a repeat’s', async () => {
    const ports = deps();
    const first = await contactCap.check(await candidate(order), refuse, ports);
    const again = await contactCap.check(await candidate(order), refuse, ports);
    const other = await contactCap.check(await candidate(order, { callId: 'c_2' }), refuse, ports);

    expect(first).toEqual({ giveBack: expect.any(Function) });
    expect(again).toEqual({ giveBack: expect.any(Function) });
    expect(other).toMatchObject({
      code: 'contact_rate_limited',
      status: 429,
      headers: { 'retry-after': '86400' },
    });
    // A delivery whose call was stored under another number gives its entry back.
    if (first instanceof ProblemError || first === undefined) throw new Error('not admitted');
    await first.giveBack({ call_id: 'c_1', created_at: now.toISOString() } as never);
    expect(await ports.contacts.counted('79260000000', now)).toEqual([]);
  });
});

describe('The guardrails in order', () => {
  it('answers with the first refusal: a test delivery without a number is a test event', async () => {
    const verdict = await runGuardrails(await candidate({ test: true }), deps());

    expect(verdict).toMatchObject({ refusal: { code: 'test_event' } });
  });

  it('lets an event through every guardrail, holding its cap entry', async () => {
    const verdict = await runGuardrails(await candidate(order), deps());

    expect(verdict).toEqual({ holds: [{ giveBack: expect.any(Function) }] });
    expect(GUARDRAILS).toHaveLength(7);
  });
});

describe('Guardrail: contact window (stateful)', () => {
  // Two sources of one group, and a route outside it; the cap is out of the way but for one test.
  const windowed = (limit: number) =>
    demoConfig(
      {
        form: informer('phone', { group: 'leads', contact_window_minutes: 30 }),
        quiz: informer('phone', { group: 'leads', contact_window_minutes: 30 }),
        orders: informer('phone'),
      },
      { per_number_daily_limit: limit },
    );
  const MINUTE = 60_000;
  const lead = { phone: '+79260000000', text: 'Call me back.' };
  const NUMBER = '79260000000';

  /** One ingest's ports, on a clock the test moves. */
  const setup = (limit = 10) => {
    const cfg = windowed(limit);
    const ports = memoryIngestDeps(cfg, now);
    let clock = now.getTime();
    const at = async (route: string, callId: string, payload = lead) => {
      const routeConfig = cfg.routes[route];
      const account = cfg.accounts.demo;
      if (routeConfig === undefined || account === undefined) throw new Error('no such route');
      const event = await readEvent(routeConfig, account, payload);
      return candidateOf(ports, {
        routeName: route,
        route: routeConfig,
        account,
        callId,
        now: new Date(clock),
        event,
      });
    };
    const check = async (route: string, callId: string) =>
      contactWindow.check(await at(route, callId), refuse, ports);
    /** The call as ingest stores it once the guardrails let it through. */
    const store = async (
      route: string,
      callId: string,
      status: 'queued' | 'skipped' = 'queued',
    ) => {
      const record = {
        call_id: callId,
        route,
        account: 'demo',
        status,
        ...(status === 'queued' && {
          request: (await (await at(route, callId)).request()) as never,
        }),
        fingerprint: 'f',
        attempts: 0,
        max_attempts: 5,
        history: [{ status, at: new Date(clock).toISOString(), reason: 'accepted' }],
        version: 1,
        created_at: new Date(clock).toISOString(),
        updated_at: new Date(clock).toISOString(),
        expires_at: Math.floor(clock / 1000) + 86_400,
      };
      await ports.store.create(record, new Date(clock));
      return record;
    };
    const historyOf = (callId: string) =>
      (ports.records.get(callId)?.history ?? []).map((entry) => entry.reason);
    return { cfg, ports, at, check, store, historyOf, advance: (ms: number) => (clock += ms) };
  };

  const asHold = (verdict: unknown) => {
    if (verdict === undefined || verdict instanceof ProblemError) throw new Error('no hold');
    return verdict as Required<Hold>;
  };

  it('makes no request for a route without a group', async () => {
    const { check, ports } = setup();

    expect(await check('orders', 'c_1')).toBeUndefined();
    expect(ports.contactWindows.items.size).toBe(0);
  });

  it('opens the window for the first event, and skips a second source’s as a duplicate of its call, both linked', async () => {
    const { check, store, historyOf, advance } = setup();

    expect(await check('form', 'c_form')).toEqual({
      giveBack: expect.any(Function),
      release: expect.any(Function),
      stored: expect.any(Function),
    });
    await store('form', 'c_form');
    advance(29 * MINUTE);
    const second = await check('quiz', 'c_quiz');

    expect(second).toMatchObject({
      code: 'duplicate_contact',
      status: 409,
      extensions: { duplicate_of: 'c_form' },
    });
    expect(historyOf('c_form')).toEqual([
      'accepted',
      'duplicate_contact: event c_quiz on route quiz merged into this call',
    ]);
    // Another delivery of the skipped event links nothing twice.
    await check('quiz', 'c_quiz');
    expect(historyOf('c_form')).toHaveLength(2);
  });

  it('lets the next event ring once the window has ended', async () => {
    const { check, store, advance } = setup();
    await check('form', 'c_form');
    await store('form', 'c_form');
    advance(30 * MINUTE);

    expect(await check('quiz', 'c_quiz')).toMatchObject({ giveBack: expect.any(Function) });
  });

  it('links an event that came while the first call was being stored, once that call is stored', async () => {
    const { check, store, historyOf } = setup();
    const first = asHold(await check('form', 'c_form'));

    // The first call is not stored yet: its ingest is still on its way to the write.
    expect(await check('quiz', 'c_quiz')).toMatchObject({ code: 'duplicate_contact' });
    await first.stored(await store('form', 'c_form'));

    expect(historyOf('c_form')).toEqual([
      'accepted',
      'duplicate_contact: event c_quiz on route quiz merged into this call',
    ]);
  });

  it('stops holding a window whose call was never stored a minute on (an ingest that died)', async () => {
    const { check, advance } = setup();
    await check('form', 'c_form');

    advance(61_000);

    expect(await check('quiz', 'c_quiz')).toMatchObject({ giveBack: expect.any(Function) });
  });

  it('holds nothing for a skipped call, nor for a call to another number', async () => {
    const { check, store, ports } = setup();
    await check('form', 'c_form');
    await store('form', 'c_form', 'skipped');

    expect(await check('quiz', 'c_quiz')).toMatchObject({ giveBack: expect.any(Function) });

    // c_quiz's id turns out stored for another number (a 409): its window is given back.
    await store('quiz', 'c_quiz');
    const stored = ports.records.get('c_quiz');
    if (stored?.request === undefined) throw new Error('not stored');
    const again = asHold(await check('quiz', 'c_quiz'));
    await again.giveBack({
      ...stored,
      request: { ...stored.request, params: { ...stored.request.params, contact: '7' } },
    } as never);
    expect(ports.contactWindows.items.get(`leads#${NUMBER}`)?.until).toBe(0);
  });

  it('lets another delivery of an accepted event through after the window moved on to a newer call', async () => {
    const { check, store, advance } = setup();
    await check('form', 'c_form');
    await store('form', 'c_form');
    advance(31 * MINUTE);
    await check('quiz', 'c_quiz');
    await store('quiz', 'c_quiz');

    // The form's event delivered again: no new call, so no refusal either.
    expect(await check('form', 'c_form')).toBeUndefined();
  });

  it('gives the window back when a later guardrail (the cap) refuses the event', async () => {
    const { at, ports, store, advance } = setup(1);
    await runGuardrails(await at('form', 'c_form'), ports);
    await store('form', 'c_form');
    advance(31 * MINUTE);

    const verdict = await runGuardrails(await at('quiz', 'c_quiz'), ports);

    expect(verdict).toMatchObject({ refusal: { code: 'contact_rate_limited' } });
    expect(ports.contactWindows.items.get(`leads#${NUMBER}`)).toMatchObject({
      call_id: 'c_quiz',
      until: 0,
    });
  });
});
