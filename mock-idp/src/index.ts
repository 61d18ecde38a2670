/** Using the mock identity server from code (tests, other projects). The msw handlers are in ./msw.ts. */
export { AdjustableClock, type Clock, systemClock } from './clock.ts';
export type { IdpContext } from './context.ts';
export {
  createMockIdp,
  type MockIdp,
  type MockIdpOptions,
  type MockIdpSetup,
  type RunningMockIdp,
  startMockIdp,
} from './server.ts';
