/** Times as people read them: "29 Nov 2026, 05:41:00 UTC, in 59 minutes". */

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'medium',
  timeZone: 'UTC',
});

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;

/** "in 59 minutes", "3 hours ago", "now". */
export function relativeTime(epochMs: number, now: number): string {
  const seconds = Math.round((epochMs - now) / 1000);
  const size = Math.abs(seconds);
  if (size < 5) return 'now';
  const amount =
    size < 90
      ? plural(size, 'second')
      : size < 90 * 60
        ? plural(Math.round(size / 60), 'minute')
        : size < 36 * 3600
          ? plural(Math.round(size / 3600), 'hour')
          : plural(Math.round(size / 86_400), 'day');
  return seconds > 0 ? `in ${amount}` : `${amount} ago`;
}

export const readableDate = (epochMs: number) => `${dateFormat.format(epochMs)} UTC`;

/** "29 Nov 2026, 05:41:00 UTC, in 59 minutes". */
export const readableTime = (epochMs: number, now: number) =>
  `${readableDate(epochMs)}, ${relativeTime(epochMs, now)}`;

/** The claims that hold a time, in seconds since 1970 (RFC 7519, OpenID Connect Core). */
const timeClaims = new Set(['iat', 'exp', 'nbf', 'auth_time', 'updated_at']);

/** A claim's value for a page: times read as dates and "in N minutes", lists and objects as JSON. */
export function claimText(name: string, value: unknown, now: number): string {
  if (timeClaims.has(name) && typeof value === 'number') {
    return `${readableTime(value * 1000, now)} (${value})`;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
