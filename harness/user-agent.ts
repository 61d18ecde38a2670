/** The headless browser the specs use is the one the mock's package gives every app's tests. */
export * from '../mock-idp/src/testing/user-agent.ts';
