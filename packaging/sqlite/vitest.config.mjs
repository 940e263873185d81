// The project's SQLite tests against the release's adapter: run with the release's Node 22
// (npm run test:release does), better-sqlite3 resolves to better-sqlite3-on-node-sqlite.cjs.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { 'better-sqlite3': fileURLToPath(new URL('./better-sqlite3-on-node-sqlite.cjs', import.meta.url)) } },
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/unit/quota-rows.test.ts'],
    testTimeout: 60_000,
  },
});
