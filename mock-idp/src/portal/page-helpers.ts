/** Small pieces the portal's pages share: field-error attributes, URLs that wrap well, the change-delay wording. */
import ejs from 'ejs';
import type { Response } from 'express';
import type { FieldErrors } from './client-form.ts';

/** Renders a portal page with what every portal page needs (the signed-in administrator, the edition). */
export type RenderPortalPage = (
  res: Response,
  view: string,
  locals: Record<string, unknown>,
  status?: number,
) => void;

/**
 * An input's ties to the problems shown under it: `aria-invalid` and `aria-describedby` naming each problem's
 * element (`{field}-error`, see views/portal/_field-error.ejs), so a screen reader reads the problem with the input.
 */
export function fieldAttributes(errors: FieldErrors, ...fields: string[]): string {
  const failing = fields.filter((field) => errors[field]);
  if (failing.length === 0) return '';
  return `aria-invalid="true" aria-describedby="${failing.map((field) => `${field}-error`).join(' ')}"`;
}

/**
 * A URL as HTML that a narrow screen wraps after its separators (`//`, `/`, `.`, `?`, `&`, `=`, `-`, `_`, `:`)
 * rather than in the middle of a word, and never wider than its column.
 */
export function breakableUrl(url: string): string {
  return url
    .split(/(\/\/|[/.?&=#:_-])/)
    .map((piece, index) => (index % 2 === 1 ? `${ejs.escapeXML(piece)}<wbr>` : ejs.escapeXML(piece)))
    .join('');
}

/** "an hour", "5 minutes": how long client changes take to apply; null when they apply at once. */
export function changeDelayWording(delayMs: number): string | null {
  const seconds = Math.round(delayMs / 1000);
  if (seconds <= 0) return null;
  if (seconds % 3600 === 0) return seconds === 3600 ? 'an hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'a minute' : `${seconds / 60} minutes`;
  return seconds === 1 ? 'a second' : `${seconds} seconds`;
}
