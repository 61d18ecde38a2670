/**
 * The mock identity server's public entry point: what applications, specs, benchmarks and scripts use to run it,
 * write its seed and steer it in tests. (The msw request handlers are in ./msw.ts, so msw stays optional; the vitest
 * and Playwright fixtures in ./testing/, so neither runner is needed to import this.)
 */
export { AdjustableClock, type Clock, systemClock } from './clock.ts';
export { optionsFromEnvironment } from './config.ts';
export type { IdpContext } from './context.ts';
export type {
  ClientState,
  MockIdpControls,
  NewHybridClient,
  ScenarioDescription,
} from './controls/test-controls.ts';
export type { EditionName } from './domain/editions.ts';
export { type TenantRoleName, tenantRoles } from './domain/roles.ts';
export type { NewUser, UserView } from './domain/user-administration.ts';
export type { LoggedEndpoint, LoggedRequest, RequestFilter } from './observation/request-log.ts';
export { ControlError } from './plumbing/control-error.ts';
export {
  hashPassword,
  maxWaitingChecks,
  passwordChecksAtOnce,
  verifyPassword,
} from './plumbing/passwords.ts';
export { endpointPaths } from './protocol/discovery.ts';
export {
  type Expectation,
  type ResponsePoint,
  type ScenarioDefinition,
  type ScenarioName,
  scenarioCatalogue,
  scenarioNames,
} from './scenarios/catalogue.ts';
export type { Scenario, ScenarioRequest } from './scenarios/scenario-book.ts';
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
// For any test runner: the test controls over HTTP, a headless browser, a sign-in through the real login page.
// (@hybrid-client-kit/mock-idp/vitest and /playwright add the fixtures of those two runners.)
export { MockIdpControlError, mockIdpControls } from './testing/controls-client.ts';
export { type HttpSignIn, signInOverHttp } from './testing/sign-in.ts';
export { type FormPost, type Hop, UserAgent } from './testing/user-agent.ts';
