/**
 * Testing your app against the mock with vitest: one mock for the run (globalSetup), its address and seeded
 * accounts injected into every test file. In your project the package resolves by itself; here the alias points
 * at the kit's sources.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const kit = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: {
    alias: { '@hybrid-client-kit/mock-idp/vitest': kit('mock-idp/src/testing/vitest.ts') },
  },
  test: {
    include: ['*.test.ts'],
    globalSetup: ['./mock-idp.setup.ts'],
    testTimeout: 20_000,
  },
});
