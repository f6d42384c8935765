import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Integration tests start real servers; on 2 cores a little headroom avoids spurious timeouts.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // A poll waits for something the test started (a page's answer, a queue drained); its bound
    // is only how long before it is called failed, and 1 s is too short on a busy 2-core machine.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    // Vitest's default on 2 cores is one worker (cores - 1), but most files wait on servers,
    // browsers and child processes: two files at a time finish the suite sooner on 2 cores.
    maxWorkers: 2,
  },
});
