import { defineConfig } from 'vitest/config';

/**
 * With CONFORMANCE_ISSUER set, the identity-server specs that can run against another server do so
 * (specs/support/target.ts); the others look inside the bundled mock, and are left out with the reason.
 */
const targetSpecs = [
  'specs/mock-idp/discovery.spec.ts',
  'specs/mock-idp/redirect-uri-enforcement.spec.ts',
  'specs/mock-idp/front-channel-id-token.spec.ts',
  'specs/mock-idp/hybrid-login.spec.ts',
  'specs/mock-idp/end-session.spec.ts',
  'specs/mock-idp/authorization-code.spec.ts',
  'specs/mock-idp/refresh-tokens.spec.ts',
  'specs/mock-idp/authorization-request.spec.ts',
  'specs/mock-idp/hybrid-clients-api-contract.spec.ts',
  'specs/conformance/catalogue.spec.ts',
];
const remote = Boolean(process.env.CONFORMANCE_ISSUER);
if (remote) {
  console.log(
    `CONFORMANCE_ISSUER=${process.env.CONFORMANCE_ISSUER}: running ${targetSpecs.length} spec files against it. ` +
      'The other spec files need the in-process mock (its state, clock or seeded clients) and are not run.',
  );
}

export default defineConfig({
  test: {
    include: remote ? targetSpecs : ['specs/**/*.spec.ts'],
    exclude: ['specs/e2e/**', '**/node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Each spec file starts its own servers on free ports, so files can run side by side.
    pool: 'forks',
    // Spec files share nothing but modules (each starts its own servers, stubs and data folders), so the
    // modules are loaded once per worker instead of once per file: about a third off the run.
    isolate: false,
    reporters: ['default', './specs/conformance/vitest-reporter.ts'],
  },
});
