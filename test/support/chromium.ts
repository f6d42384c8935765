import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`), or the one `CHROMIUM_PATH` names. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether that Chromium runs here: the browser tests run only where it does. */
export const chromiumAvailable = (): boolean =>
  spawnSync(CHROMIUM_PATH, ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * `chromiumAvailable()` for a browser test file: where Chromium is missing, says that `suite`
 * is skipped and why (like the DynamoDB Local cases without Java) rather than pass quietly.
 */
export const chromiumForSuite = (suite: string): boolean => {
  const available = chromiumAvailable();
  if (!available) {
    console.warn(
      `${suite} (browser): skipped: no Chromium at ${CHROMIUM_PATH} (\`${CHROMIUM_PATH} --version\` failed); install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH.`,
    );
  }
  return available;
};

/**
 * Headless, and quiet on the network: no background requests, updates, sync or first-run page,
 * since this machine's network is closed and a test must see only the requests the page makes.
 */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface RunningChromium {
  context: BrowserContext;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** Chromium with a fresh profile in a temporary folder, 1280×800. */
export const launchChromium = async (): Promise<RunningChromium> => {
  const profile = await mkdtemp(join(tmpdir(), 'callhook-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 800 },
      locale: 'en-GB',
      timezoneId: 'UTC',
    });
    return {
      context,
      close: async () => {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
};
