/**
 * The kit's test harness, shared by the specs and the benchmarks: the seed they run against, the mock started
 * in-process or as its own process, the kit (mock and sample app) on free ports, a cookie-keeping browser
 * stand-in, the hybrid flow's steps over plain HTTP, and child processes. Nothing here asserts: specs do.
 */
export * from './hybrid-flow.ts';
export * from './kit.ts';
export * from './mock-idp.ts';
export * from './mock-idp-process.ts';
export * from './oidc-provider-pages.ts';
export * from './processes.ts';
export * from './redis-server.ts';
export * from './test-seed.ts';
export * from './user-agent.ts';
