/**
 * Where to send the user after sign-in. Only paths of this app are accepted: anything else ("//evil.example",
 * "https://...", "/\\evil") would turn the sign-in into an open redirect.
 *
 * What is returned is checked, not only what came in: a URL parser removes dot segments, so "/.//evil.example",
 * "/%2e%2e//evil.example" or "/a/..//x" come out as "//evil.example" (another site, to a browser).
 */
const base = new URL('http://app.invalid');
/** It travels in the sign-in cookie: a bound keeps four of those well inside a request's header limit. */
const maxLength = 1000;

const isLocalPath = (path: string) =>
  path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\');

export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > maxLength || !isLocalPath(value)) return '/';
  const resolved = new URL(value, base);
  const path = resolved.pathname + resolved.search;
  return resolved.origin === base.origin && isLocalPath(path) ? path : '/';
}
