import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../shared/config/load.ts';
import type { RouteConfig } from '../../shared/config/schema.ts';
import { evaluate } from '../../shared/ingest/map-call.ts';
import { fromMinorUnits, spokenMoney } from '../../shared/routes/money.ts';
import {
  shopifyOrder,
  stripeCheckoutCompleted,
  typeformResponse,
  wooOrder,
} from '../support/sender-payloads.ts';

const ACCOUNT = {
  provider: 'simulator',
  secret: 'demo/callapi',
  virtual_phone_number: '74993720692',
};

const routeOf = (fields: Record<string, unknown>): RouteConfig => {
  const config = parseConfig(
    { accounts: { demo: ACCOUNT }, routes: { r: { account: 'demo', ...fields } } },
    'preset messages test',
  );
  return config.routes.r as RouteConfig;
};

/** What the route's call says for the payload. */
const says = async (route: RouteConfig, payload: Record<string, unknown>): Promise<unknown> => {
  const message = route.call.method === 'jaicp.addPhones' ? undefined : route.call.contact_message;
  return message === undefined ? undefined : evaluate(message.value, payload);
};

const PRESET_ROUTES = {
  shopify: { preset: 'shopify-orders-create', auth: { secret: 's' } },
  woo: { preset: 'woocommerce-order-created', auth: { secret: 's' } },
  typeform: { preset: 'typeform-form-response', auth: { secret: 's' } },
  stripe: { preset: 'stripe-checkout-completed', auth: { secret: 's' } },
};

const stripeIn = (currency: string, amount: number) => {
  const event = stripeCheckoutCompleted('+79260000000');
  return { ...event, data: { object: { ...event.data.object, currency, amount_total: amount } } };
};

describe("The presets' messages", () => {
  it.each([
    [
      'shopify',
      shopifyOrder('+79260000000'),
      'Здравствуйте, Anna! Ваш заказ №1042 на сумму 2500 рублей подтверждён. Спасибо!',
      'Hello, Anna! Your order number 1042 for 2500 rubles is confirmed. Thank you!',
    ],
    [
      'woo',
      wooOrder('+79260000000'),
      'Здравствуйте, Boris! Ваш заказ №727 на сумму 1990 рублей подтверждён. Спасибо!',
      'Hello, Boris! Your order number 727 for 1990 rubles is confirmed. Thank you!',
    ],
    [
      'typeform',
      typeformResponse('+79260000000'),
      'Спасибо за ваши ответы! Мы скоро с вами свяжемся.',
      'Thank you for your answers. We will be in touch soon.',
    ],
    [
      'stripe',
      stripeCheckoutCompleted('+79260000000'),
      'Спасибо! Ваш платёж на сумму 1990 рублей подтверждён.',
      'Thank you! Your payment of 1990 rubles is confirmed.',
    ],
  ] as const)('%s: Russian for RU, KZ and BY, English elsewhere', async (name, payload, ru, en) => {
    const route = PRESET_ROUTES[name];

    for (const country of ['RU', 'KZ', 'BY']) {
      expect(await says(routeOf({ ...route, default_country: country }), payload)).toBe(ru);
    }
    for (const country of ['US', 'DE', 'AM']) {
      expect(await says(routeOf({ ...route, default_country: country }), payload)).toBe(en);
    }
    expect(await says(routeOf(route), payload)).toBe(ru);
    expect(await says(routeOf({ ...route, language: 'en' }), payload)).toBe(en);
    expect(await says(routeOf({ ...route, default_country: 'US', language: 'ru' }), payload)).toBe(
      ru,
    );
  });

  it('leaves out the name when there is none', async () => {
    const order = { ...shopifyOrder('+79260000000'), customer: { first_name: null } };

    expect(await says(routeOf(PRESET_ROUTES.shopify), order)).toMatch(/^Здравствуйте! Ваш заказ/);
  });

  it("a route's own contact_message wins over the preset's, in any language", async () => {
    const own = routeOf({
      ...PRESET_ROUTES.shopify,
      language: 'en',
      call: { contact_message: { value: "'Order ' & name & ' is on its way.'" } },
    });

    expect(own.call).toMatchObject({
      method: 'start.informer_call',
      contact_message: { type: 'tts', value: "'Order ' & name & ' is on its way.'" },
    });
    expect(await says(own, shopifyOrder('+79260000000'))).toBe('Order #1042 is on its way.');
  });

  it('refuses a language it does not speak', () => {
    expect(() => routeOf({ ...PRESET_ROUTES.typeform, language: 'de' })).toThrow(ConfigError);
  });

  it.each([
    ['jpy', 5000, '5000 JPY', '5000 JPY'],
    ['krw', 12000, '12000 KRW', '12000 KRW'],
    ['rub', 199000, '1990 рублей', '1990 rubles'],
    ['rub', 199050, '1990 рублей 50 копеек', '1990 rubles and 50 kopecks'],
    ['usd', 4999, '49 долларов 99 центов', '49 dollars and 99 cents'],
    ['usd', 100, '1 доллар', '1 dollar'],
    ['eur', 2100, '21 евро', '21 euros'],
    ['kwd', 12345, '12,345 KWD', '12.345 KWD'],
    ['bhd', 5000, '5 BHD', '5 BHD'],
    ['gbp', 1234, '12,34 GBP', '12.34 GBP'],
  ])("stripe: %s %i in the currency's minor unit", async (currency, amount, ru, en) => {
    const payload = stripeIn(currency, amount);

    expect(await says(routeOf(PRESET_ROUTES.stripe), payload)).toBe(
      `Спасибо! Ваш платёж на сумму ${ru} подтверждён.`,
    );
    expect(await says(routeOf({ ...PRESET_ROUTES.stripe, language: 'en' }), payload)).toBe(
      `Thank you! Your payment of ${en} is confirmed.`,
    );
  });
});

describe('$money and $fromMinorUnits', () => {
  it.each([
    [1, 'рубль'],
    [2, 'рубля'],
    [4, 'рубля'],
    [5, 'рублей'],
    [11, 'рублей'],
    [12, 'рублей'],
    [14, 'рублей'],
    [21, 'рубль'],
    [22, 'рубля'],
    [111, 'рублей'],
    [1001, 'рубль'],
    [2500, 'рублей'],
  ])('says %i RUB in Russian with the noun agreeing: %s', (amount, noun) => {
    expect(spokenMoney(amount, 'RUB', 'ru')).toBe(`${amount} ${noun}`);
  });

  it.each([
    ['2500.00', 'RUB', 'ru', '2500 рублей'],
    ['1990.5', 'RUB', 'ru', '1990 рублей 50 копеек'],
    ['0.01', 'RUB', 'ru', '0 рублей 1 копейка'],
    ['1990.5', 'KZT', 'ru', '1990,5 тенге'],
    ['3', 'BYN', 'ru', '3 белорусских рубля'],
    ['19.99', 'usd', 'en', '19 dollars and 99 cents'],
    ['5000', 'JPY', 'en', '5000 JPY'],
    ['12.5', 'CHF', 'en', '12.5 CHF'],
  ])('says %s %s (%s) as "%s"', (amount, currency, language, spoken) => {
    expect(spokenMoney(amount, currency, language)).toBe(spoken);
  });

  it('passes an absent amount on as absent, and refuses what is not an amount', () => {
    expect(spokenMoney(undefined, 'RUB', 'ru')).toBeUndefined();
    expect(fromMinorUnits(undefined, 'RUB')).toBeUndefined();
    expect(() => spokenMoney('abc', 'RUB', 'ru')).toThrow(/amount/);
    expect(() => spokenMoney(5, 'rubles', 'ru')).toThrow(/ISO 4217/);
    expect(() => spokenMoney(5, 'RUB', 'de')).toThrow(/language/);
    expect(() => fromMinorUnits(12.5, 'USD')).toThrow(/whole number/);
  });

  it('divides by 1, 100 or 1000 by the currency', () => {
    expect(fromMinorUnits(5000, 'JPY')).toBe(5000);
    expect(fromMinorUnits(5000, 'xof')).toBe(5000);
    expect(fromMinorUnits(199000, 'RUB')).toBe(1990);
    expect(fromMinorUnits(12345, 'KWD')).toBe(12.345);
    expect(fromMinorUnits(1001, 'TND')).toBe(1.001);
  });

  it('are there in any route expression, and a bad amount makes the payload invalid', async () => {
    await expect(evaluate("$money(total, 'RUB', 'ru')", { total: '2.00' })).resolves.toBe(
      '2 рубля',
    );
    await expect(evaluate("$money(total, 'RUB', 'ru')", { total: 'lots' })).rejects.toMatchObject({
      code: 'invalid_payload',
    });
  });
});
