import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: the example server with the browser page and the Angular app, and the React
 * chat example with its own server, driven in Chromium. Run with `npm run test:e2e`, which builds the pages first; the library must be built.
 * One file at a time: each starts a server and a browser.
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/e2e/**/*.e2e.ts'],
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
