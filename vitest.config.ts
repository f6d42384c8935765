import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Integration tests start real servers; on 2 cores a little headroom avoids spurious timeouts.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
