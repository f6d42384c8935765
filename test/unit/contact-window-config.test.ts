import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, parseConfigText } from '../../shared/config/load.ts';

const shipped = async () => JSON.parse(await readFile('callhook.config.json', 'utf8'));

const problemsOf = (value: unknown): readonly string[] => {
  try {
    parseConfig(value, 'test');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

/** The shipped config with its two routes given `callback` and `order` of the fields. */
const withWindows = async (
  callback: Record<string, unknown>,
  order: Record<string, unknown>,
): Promise<Record<string, never>> => {
  const config = await shipped();
  Object.assign(config.routes.callback, callback);
  Object.assign(config.routes['order-confirmation'], order);
  return config;
};

describe('Config: a contact window across the routes of a group', () => {
  it('takes routes of one group that agree on the window', async () => {
    const config = parseConfig(
      await withWindows(
        { group: 'leads', contact_window_minutes: 30 },
        { group: 'leads', contact_window_minutes: 30 },
      ),
      'test',
    );

    expect(config.routes.callback).toMatchObject({ group: 'leads', contact_window_minutes: 30 });
    expect(config.routes['order-confirmation']).toMatchObject({ group: 'leads' });
  });

  it('needs the window on a route of a group, and a group for a window', async () => {
    expect(
      problemsOf(await withWindows({ group: 'leads' }, { contact_window_minutes: 30 })),
    ).toEqual([
      'routes.callback.contact_window_minutes: a route in group "leads" needs "contact_window_minutes"',
      'routes.order-confirmation.group: "contact_window_minutes" needs a "group": the routes the window spans',
    ]);
  });

  it('refuses routes of one group that disagree on the window, naming both', async () => {
    expect(
      problemsOf(
        await withWindows(
          { group: 'leads', contact_window_minutes: 30 },
          { group: 'leads', contact_window_minutes: 60 },
        ),
      ),
    ).toEqual([
      'routes.order-confirmation.contact_window_minutes: the routes of group "leads" share one window: "callback" has 30, this one 60',
    ]);
  });

  it('lets two groups have windows of their own', async () => {
    expect(
      problemsOf(
        await withWindows(
          { group: 'leads', contact_window_minutes: 30 },
          { group: 'orders', contact_window_minutes: 60 },
        ),
      ),
    ).toEqual([]);
  });

  it.each([
    ['no minutes', 0],
    ['more than a week', 10_081],
    ['a fraction', 1.5],
  ])('bounds the window: %s is refused', async (_, minutes) => {
    const problems = problemsOf(
      await withWindows({ group: 'leads', contact_window_minutes: minutes }, {}),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^routes\.callback\.contact_window_minutes: /),
    ]);
  });

  it('keeps the window within retention_days: its call must outlive it', async () => {
    const config = await withWindows({ group: 'leads', contact_window_minutes: 1441 }, {});
    (config as Record<string, unknown>).retention_days = 1;

    expect(problemsOf(config)).toEqual([
      'routes.callback.contact_window_minutes: at most retention_days (1) × 1440 minutes: the call that holds the window is kept no longer',
    ]);
  });

  it('refuses a group name that is not a slug', async () => {
    expect(
      problemsOf(await withWindows({ group: 'Leads Q1', contact_window_minutes: 30 }, {})),
    ).toEqual([expect.stringMatching(/^routes\.callback\.group: lowercase letters/)]);
  });
});

describe('docs/configuration.md: One call per person across sources', () => {
  it('its worked example is a valid config: three routes of one group, one window', async () => {
    const doc = await readFile('docs/configuration.md', 'utf8');
    const example = [...doc.matchAll(/^```jsonc\n([\s\S]*?)^```/gm)]
      .map(([, body]) => body ?? '')
      .find((body) => body.includes('"contact_window_minutes"'));

    const { routes } = parseConfigText(example ?? '', 'docs/configuration.md');

    expect(
      Object.entries(routes).map(([name, route]) => [
        name,
        route.preset,
        route.group,
        route.contact_window_minutes,
      ]),
    ).toEqual([
      ['site-form', 'tilda-form', 'leads', 60],
      ['quiz', 'typeform-form-response', 'leads', 60],
      ['chat-lead', 'generic', 'leads', 60],
    ]);
  });
});
