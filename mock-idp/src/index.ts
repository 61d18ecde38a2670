/** Using the mock identity server from code (tests, other projects). */
export { AdjustableClock, type Clock, systemClock } from './clock.ts';
export type { IdpContext } from './context.ts';
export { type MockIdpOptions, type RunningMockIdp, startMockIdp } from './server.ts';
