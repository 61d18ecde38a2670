/**
 * Where to send the user after sign-in. Only paths of this app are accepted: anything else ("//evil.example",
 * "https://...", "/\\evil") would turn the sign-in into an open redirect.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // Resolve against a dummy origin: a path that escapes it is not ours.
  const resolved = new URL(value, 'http://app.invalid');
  return resolved.origin === 'http://app.invalid' ? resolved.pathname + resolved.search : '/';
}
