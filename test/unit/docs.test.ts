import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALS_KEPT } from '../../shared/calls/attempts.ts';
import { CALL_STATUSES, type CallRecord } from '../../shared/calls/call-record.ts';
import { toCallDetail } from '../../shared/calls/call-view.ts';
import { ConfigError, parseConfig, parseConfigText } from '../../shared/config/load.ts';
import type { RouteConfig } from '../../shared/config/schema.ts';
import { evaluate } from '../../shared/ingest/map-call.ts';
import { documentedCodes, ERROR_TABLE_FILE } from '../support/documented-codes.ts';
import { shopifyOrder } from '../support/sender-payloads.ts';

const DOCS = [
  'README.md',
  'CONTRIBUTING.md',
  'CHANGELOG.md',
  'DEPENDENCIES.md',
  ...readdirSync('docs')
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name)),
];

const read = (file: string): string => readFileSync(file, 'utf8');
const withoutCode = (text: string): string =>
  text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');

/** The anchors GitHub gives a file's headings. */
const anchorsOf = (file: string): Set<string> => {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of read(file)
    .replace(/^```[\s\S]*?^```/gm, '')
    .matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = (heading as string)
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
      .replaceAll(' ', '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
};

/** The code blocks of a file in `language` (an empty string for blocks without one). */
const blocks = (file: string, language: string): string[] =>
  [...read(file).matchAll(/^```([a-z]*)\n([\s\S]*?)^```/gm)]
    .filter(([, lang]) => lang === language)
    .map(([, , body]) => body as string);

const problemsOf = (parse: () => unknown): readonly string[] => {
  try {
    parse();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

const shipped = () => JSON.parse(read('callhook.config.json'));

describe('The docs', () => {
  it.each(DOCS)('%s links only to files and headings that exist', (file) => {
    const broken: string[] = [];
    for (const [, target] of withoutCode(read(file)).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target as string)) continue;
      const [path, anchor] = (target as string).split('#') as [string, string | undefined];
      const linked = path === '' ? file : normalize(join(dirname(file), path));
      if (!existsSync(linked)) broken.push(target as string);
      else if (anchor !== undefined && !anchorsOf(linked).has(anchor))
        broken.push(target as string);
    }
    expect(broken).toEqual([]);
  });

  it(`keep the error codes in one table, in ${ERROR_TABLE_FILE} alone`, () => {
    const row = /^\|\s*\d{3}\s*\|\s*`[a-z_]+`\s*\|/;
    const lines = read(ERROR_TABLE_FILE).split('\n');
    const rows = lines.flatMap((line, i) => (row.test(line) ? [i] : []));
    const first = rows[0] ?? 0;

    expect(documentedCodes().size).toBeGreaterThan(20);
    // Contiguous: no second table, no row outside the first.
    expect(rows).toEqual(rows.map((_, i) => first + i));
    expect(lines[first - 1]).toMatch(/^\|\s*-+/);
    for (const other of DOCS.filter((file) => file !== ERROR_TABLE_FILE)) {
      expect(
        read(other)
          .split('\n')
          .filter((line) => row.test(line)),
      ).toEqual([]);
    }
  });
});

describe('docs/http-contract.md, held to the code', () => {
  const contract = read('docs/http-contract.md');
  /** A call on its second attempt (an operator's retry of a first that went unknown). */
  const retried = {
    call_id: `c_${'0'.repeat(31)}1`,
    route: 'callback',
    account: 'demo',
    status: 'placed',
    fingerprint: 'f',
    attempts: 1,
    max_attempts: 3,
    attempt: 2,
    retries: 1,
    call_session_id: 100000002,
    dials: [
      { attempt: 1, went_unknown: true },
      { attempt: 2, cause: 'retry' },
    ],
    history: [],
    version: 1,
    created_at: '2025-03-01T09:00:00.000Z',
    updated_at: '2025-03-01T09:05:00.000Z',
    expires_at: 0,
  } as CallRecord;

  it('names the fields of an attempt that GET /calls/{call_id} shows in `dials`, and no other', () => {
    const listed = /`dials` lists them[^`]*`\{([^`]*)\}`/.exec(contract)?.[1] ?? '';
    const view = toCallDetail(retried);

    expect([...listed.matchAll(/"([a-z_]+)"/g)].map(([, name]) => name)).toEqual(
      Object.keys(view.dials[0] ?? {}),
    );
    expect(view.dials.map((dial) => [dial.attempt, dial.external_id, dial.cause])).toEqual([
      [1, retried.call_id, 'event'],
      [2, `${retried.call_id}-2`, 'retry'],
    ]);
    expect(contract).toContain('then `<call id>-2`, `<call id>-3`');
    expect(contract).toContain(`the current one last (the last ${DIALS_KEPT})`);
  });

  it('lists every state of a call for the status filter, in the code’s order', () => {
    const row = contract.split('\n').find((line) => line.startsWith('| `status` |')) ?? '';
    const listed = [...(row.split(' from ')[1] ?? '').matchAll(/`([a-z]+)`/g)];

    expect(listed.map(([, name]) => name)).toEqual([...CALL_STATUSES]);
  });
});

describe('The config examples in the docs', () => {
  it('docs/configuration.md: the full example, with its comments, is a valid config', () => {
    const [example] = blocks('docs/configuration.md', 'jsonc');

    const config = parseConfigText(example ?? '', 'docs/configuration.md');

    expect(Object.keys(config.routes)).toEqual(['order-confirmation', 'order-cancelled']);
    expect(config.routes['order-cancelled']?.cancels).toBe('order-confirmation');
  });

  it('docs/configuration.md: the problems it shows are what a config with those mistakes gets', () => {
    const shown = blocks('docs/configuration.md', '').find((block) =>
      block.includes('no account named'),
    );
    const wrongAccount = shipped();
    wrongAccount.routes.callback.account = 'shop';
    const misspelled = shipped();
    misspelled.routes.callback.defualt_country = 'RU';

    expect(shown?.trimEnd().split('\n')).toEqual([
      ...problemsOf(() => parseConfig(wrongAccount, 'example')),
      ...problemsOf(() => parseConfig(misspelled, 'example')),
      ...problemsOf(() => parseConfigText('{\n  "accounts": {}\n  "routes": {}\n}\n', 'example')),
    ]);
  });

  it('docs/senders.md: the preset route and the JAICP route are valid configs', () => {
    const [presetRoute, , , jaicp] = blocks('docs/senders.md', 'jsonc');
    const { accounts } = shipped();
    const main = `"accounts": { "main": ${JSON.stringify(accounts.demo)} },`;

    const viaPreset = parseConfigText(`{ ${main} ${presetRoute} }`, 'docs/senders.md');
    const bot = parseConfigText(`{ ${jaicp} }`, 'docs/senders.md');

    expect(viaPreset.routes.shop?.auth.type).toBe('shopify');
    expect(bot.routes['order-bot']?.call.method).toBe('jaicp.addPhones');
  });

  it('docs/outcomes.md: the escalation example is a valid config, escalating to the JAICP route', () => {
    const escalating = blocks('docs/outcomes.md', 'jsonc').find((block) =>
      block.includes('"escalate"'),
    );
    const { accounts } = shipped();
    const shop = { ...accounts.demo, data_api: { secret: 'shop/dataapi' } };
    const campaign = { backend: 'jaicp', provider: 'simulator', secret: 'shop/campaign' };
    const main = `"accounts": ${JSON.stringify({ shop, campaign })},`;

    const { routes } = parseConfigText(`{ ${main} ${escalating} }`, 'docs/outcomes.md');

    expect(routes.callback?.escalate).toEqual({
      when: ['operator_missed', 'no_answer'],
      to: 'bot',
    });
    expect(routes.bot?.call.method).toBe('jaicp.addPhones');
  });

  it('docs/senders.md: the cancelling routes take their account and call from the routes they cancel', () => {
    const [, , cancelling] = blocks('docs/senders.md', 'jsonc');
    const { accounts } = shipped();
    const main = `"accounts": { "main": ${JSON.stringify(accounts.demo)} },`;

    const { routes } = parseConfigText(`{ ${main} ${cancelling} }`, 'docs/senders.md');

    expect(routes['shop-cancelled']).toMatchObject({
      cancels: 'shop',
      account: 'main',
      call: routes.shop?.call,
      idempotency_key: routes.shop?.idempotency_key,
    });
    expect(routes['woo-cancelled']).toMatchObject({
      cancels: 'woo',
      idempotency_key: routes.woo?.idempotency_key,
    });
  });

  it("docs/senders.md: a preset's message in another language, and a route's own", async () => {
    const [, ownMessage] = blocks('docs/senders.md', 'jsonc');
    const { accounts } = shipped();
    const main = `"accounts": { "main": ${JSON.stringify(accounts.demo)} },`;

    const { routes } = parseConfigText(`{ ${main} ${ownMessage} }`, 'docs/senders.md');
    const say = (route: RouteConfig | undefined) =>
      route?.call.method === 'start.informer_call'
        ? evaluate(route.call.contact_message.value, shopifyOrder('+79260000000'))
        : undefined;

    expect(await say(routes['shop-en'])).toBe(
      'Hello, Anna! Your order number 1042 for 2500 rubles is confirmed. Thank you!',
    );
    expect(routes.shop?.call).toMatchObject({ contact_message: { type: 'tts' } });
    expect(await say(routes.shop)).toBe(
      'Здравствуйте! Заказ №1042 на сумму 2500 рублей принят. Мы позвоним, когда он будет готов.',
    );
  });
});
