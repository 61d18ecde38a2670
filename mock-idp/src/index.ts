/**
 * The mock identity server's public entry point: what applications, specs, benchmarks and scripts use to run it
 * and to write its seed. (The msw request handlers are in ./msw.ts, so msw stays optional.)
 */
export { AdjustableClock, type Clock, systemClock } from './clock.ts';
export { optionsFromEnvironment } from './config.ts';
export type { IdpContext } from './context.ts';
export type { EditionName } from './domain/editions.ts';
export { type TenantRoleName, tenantRoles } from './domain/roles.ts';
export {
  hashPassword,
  maxWaitingChecks,
  passwordChecksAtOnce,
  verifyPassword,
} from './plumbing/passwords.ts';
export { endpointPaths } from './protocol/discovery.ts';
export {
  createMockIdp,
  defaultSeedFile,
  type MockIdp,
  type MockIdpOptions,
  type MockIdpSetup,
  type RunningMockIdp,
  startMockIdp,
} from './server.ts';
export type { Seed, SeedFile } from './store/seed.ts';
