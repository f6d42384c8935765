import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import type { CallStatus } from '../../shared/calls/call-record.ts';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium } from './chromium.ts';
import { consoleDemoConfig, LATER_ROUTE } from './console-demo.ts';
import { ADMIN_KEY, HOOK_TOKEN, startTestRuntime, type TestRuntime } from './runtime.ts';

/**
 * `npm run screenshots`: the local runtime with a few demo calls of every kind, and the console's
 * main screens saved as docs/console-*.png (1280×800) for the README.
 */

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
const BLACKLISTED = '+79260000666';

const post = async (rt: TestRuntime, route: string, body: Record<string, unknown>) => {
  const response = await fetch(`${rt.bridgeUrl}/hooks/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-callhook-token': HOOK_TOKEN },
    body: JSON.stringify(body),
  });
  return ((await response.json()) as { call_id?: string }).call_id;
};

/** Until the call is in `status` (a script may poll: nothing here is a test's assertion). */
const settle = async (rt: TestRuntime, callId: string | undefined, status: CallStatus) => {
  for (let tries = 0; tries < 200; tries++) {
    if (callId === undefined || (await rt.store.get(callId))?.status === status) return;
    await sleep(50);
  }
  throw new Error(`call ${callId} did not become ${status}`);
};

const seed = async (rt: TestRuntime): Promise<{ unknown: string | undefined }> => {
  // The provider answers a JSON-RPC internal error: the call may exist, so it is `unknown`.
  rt.simulator.injectFault({
    fault: { mode: 'internal_error' },
    method: 'start.simple_call',
    times: 1,
  });
  const unknown = await post(rt, 'callback', { phone: '+7 926 000-01-11', name: 'Boris' });
  await settle(rt, unknown, 'unknown');
  const placed = [];
  for (const [i, name] of ['Anna', 'Vera', 'Oleg'].entries()) {
    placed.push(await post(rt, 'callback', { phone: `+7 926 000-01-2${i}`, name }));
  }
  for (const [i, total] of ['2500', '990'].entries()) {
    placed.push(
      await post(rt, 'order-confirmation', {
        order_id: `10${i + 1}`,
        phone: `8 926 000 01 3${i}`,
        name: 'Anna',
        total,
      }),
    );
  }
  const failed = await post(rt, 'callback', { phone: BLACKLISTED, name: 'Spam' });
  await post(rt, LATER_ROUTE, { phone: '+7 926 000-01-40', name: 'Ivan' });
  await post(rt, LATER_ROUTE, { phone: '+7 926 000-01-41', name: 'Nina' });
  await post(rt, 'callback', { phone: '12', name: 'Typo' });
  await post(rt, 'order-confirmation', {
    order_id: '104',
    phone: 'none',
    name: 'Anna',
    total: '1',
  });
  await settle(rt, failed, 'failed');
  // The simulator ends each call after a moment and notifies: most become completed.
  for (const callId of placed.slice(0, 4)) await settle(rt, callId, 'completed');
  return { unknown };
};

const shoot = async (page: Page, name: string, fullPage = false) => {
  await page.screenshot({ path: `docs/console-${name}.png`, fullPage });
  console.log(`saved docs/console-${name}.png`);
};

if (!chromiumAvailable()) {
  console.error(
    `no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium, or set CHROMIUM_PATH`,
  );
  process.exit(1);
}
const rt = await startTestRuntime({
  config: await consoleDemoConfig(),
  sweepIntervalMs: 0,
  simulator: { callDurationMs: 1_000, blacklist: [BLACKLISTED.replace(/\D/g, '')] },
});
const browser = await launchChromium();
try {
  const { unknown } = await seed(rt);
  const page = await browser.context.newPage();
  await page.goto(`${rt.bridgeUrl}/console`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await shoot(page, 'sign-in');

  await page.getByLabel('Admin key').fill(ADMIN_KEY);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('table.calls tbody tr').first().waitFor();
  await shoot(page, 'calls', true);

  await page.goto(`${rt.bridgeUrl}/console#/calls/${unknown}`);
  await page.getByRole('button', { name: 'Retry…' }).waitFor();
  await shoot(page, 'call');

  await page.getByRole('link', { name: 'Figures' }).click();
  await page.locator('table.reach tbody tr').first().waitFor();
  await shoot(page, 'figures', true);
} finally {
  await browser.close();
  await rt.stop();
}
