import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default defineConfig({
  define: { __HELPER_VERSION__: JSON.stringify(version), __HELPER_BUILD__: JSON.stringify('test') },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Every e2e file starts its own emulator and child processes; two cores run them well two at a time.
    maxWorkers: 2,
    globalSetup: ['test/support/globalSetup.ts'],
  },
});
