import { describe, expect, it, vi } from 'vitest';

let evaluations = 0;

// Counts every evaluation of a compiled route expression (JSONata's `evaluate`), whoever asks.
vi.mock('jsonata', async (original) => {
  const jsonata = ((await original()) as { default: (source: string) => unknown }).default;
  return {
    default: (source: string) => {
      const expression = jsonata(source) as { evaluate: (...args: unknown[]) => unknown };
      const evaluate = expression.evaluate.bind(expression);
      expression.evaluate = (...args: unknown[]) => {
        evaluations += 1;
        return evaluate(...args);
      };
      return expression;
    },
  };
});

const { acceptWebhook } = await import('../../shared/ingest/accept-webhook.ts');
const { memoryIngestDeps } = await import('../support/ingest-deps.ts');
const { demoConfig } = await import('../support/configs.ts');
const { evaluate, evaluateAll } = await import('../../shared/ingest/map-call.ts');
const { PRESETS, PRESET_NAMES } = await import('../../shared/senders/registry.ts');
const { formRoute } = await import('../support/form-posts.ts');

const config = demoConfig({
  orders: {
    auth: { type: 'none' },
    condition: 'paid = true',
    event_time: 'created_at',
    idempotency_key: 'order_id',
    test_event: 'test = true',
    on_refusal: 'accept',
    call: {
      method: 'start.informer_call',
      contact: 'phone',
      contact_message: { type: 'tts', value: "'Order ' & order_id & ' is confirmed.'" },
    },
  },
});

const request = (body: Record<string, unknown>) => ({
  headers: { 'content-type': 'application/json' },
  query: {},
  body: Buffer.from(JSON.stringify(body)),
});

const order = { paid: true, created_at: '2026-12-01T09:00:00Z', phone: '+79260000000' };

describe('Ingest evaluates the payload once per webhook', () => {
  it.each([
    ['a new call', { ...order, order_id: 1 }, 202],
    ['a skipped test event', { ...order, order_id: 2, test: true }, 200],
    ['a skipped event without a phone', { ...order, order_id: 3, phone: 'none' }, 200],
  ])('%s: one evaluation of the route expressions', async (_, body, status) => {
    const deps = memoryIngestDeps(config, new Date('2026-12-01T10:00:00Z'));
    evaluations = 0;

    const accepted = await acceptWebhook(deps, 'orders', request(body));

    expect(accepted.statusCode).toBe(status);
    expect(evaluations).toBe(1);
  });
});

describe('One evaluation gives each expression the value it has on its own', () => {
  /** A route of each preset, named after it, with what it needs besides. */
  const presetRoutes = demoConfig(
    Object.fromEntries(
      PRESET_NAMES.map((preset) => [
        preset,
        // A browser route's settings: its sites and CAPTCHA (nothing here asks the provider).
        preset === 'callback-form'
          ? formRoute('http://127.0.0.1:9/verify')
          : {
              preset,
              auth: preset === 'generic' ? { type: 'none' } : { secret: 's' },
              ...(preset === 'tilda-form' && { call: { params: { operator: '74951234567' } } }),
              // A cancelling preset's route takes its call from the route it cancels.
              ...(PRESETS[preset].cancelling === true && { cancels: 'generic' }),
            },
      ]),
    ),
  );

  it.each(PRESET_NAMES)('%s', async (preset) => {
    const route = presetRoutes.routes[preset];
    if (route === undefined) throw new Error(`no route ${preset}`);
    const { fields } = PRESETS[preset].sample({
      phone: '+79260000000',
      now: new Date('2026-12-01T10:00:00Z'),
      language: 'ru',
    });
    const message = 'contact_message' in route.call ? route.call.contact_message?.value : undefined;
    const sources = [
      route.condition,
      route.event_time,
      route.idempotency_key,
      route.test_event,
      route.call.contact,
      message,
      '$keys($)',
      'nothing.here',
      '[items.id]',
    ].filter((source): source is string => source !== undefined);

    const together = await evaluateAll(sources, fields);

    for (const source of sources) {
      expect(together.get(source), source).toEqual({
        ok: true,
        value: await evaluate(source, fields),
      });
    }
  });

  it('evaluates each on its own where one fails, and refuses only that one', async () => {
    const payload = { phone: 7926, name: 'Anna' };
    evaluations = 0;

    const values = await evaluateAll(['name', '$substring(phone, 0)'], payload);

    expect(values.get('name')).toEqual({ ok: true, value: 'Anna' });
    expect(values.get('$substring(phone, 0)')).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
    expect(evaluations).toBe(3);
  });
});
