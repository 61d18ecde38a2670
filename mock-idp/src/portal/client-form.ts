/**
 * The Add Client form and the Add Secret window, as the portal shows them: what the user typed, the lists the
 * + buttons built, and problems in words, beside the field they concern.
 */
import { validSettings } from '../domain/client-administration.ts';
import { type HybridClientSettings, redirectUriProblem } from '../domain/hybrid-client-rules.ts';
import { ClientRuleError, type SecretRequest } from '../domain/hybrid-clients.ts';
import type { HybridClient } from '../domain/model.ts';

export interface ClientForm {
  name: string;
  allowRefreshToken: boolean;
  redirectUris: string[];
  redirectUriInput: string;
  logoutUris: string[];
  logoutUriInput: string;
  tokenLifetime: string;
}

export interface SecretForm {
  description: string;
  /** yyyy-mm-dd, as the date input gives it. */
  expiration: string;
  neverExpires: boolean;
}

/** Field name -> problem, shown beside the field. */
export type FieldErrors = Record<string, string>;

const labels: Record<string, string> = {
  name: 'Name',
  redirectUris: 'Allowed Redirect URL(s)',
  postLogoutRedirectUris: 'Allowed Logout Redirect URL(s)',
  accessTokenLifetime: 'Token Lifetime',
};
const formField: Record<string, string> = {
  redirectUris: 'redirectUris',
  postLogoutRedirectUris: 'logoutUris',
  accessTokenLifetime: 'tokenLifetime',
};

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const list = (value: unknown) =>
  (Array.isArray(value) ? value : [value]).filter(
    (item): item is string => typeof item === 'string' && item !== '',
  );

export function clientFormFrom(body: Record<string, unknown>): ClientForm {
  return {
    name: text(body.name),
    allowRefreshToken: body.allowRefreshToken === 'on',
    redirectUris: list(body.redirectUris),
    redirectUriInput: text(body.redirectUriInput),
    logoutUris: list(body.logoutUris),
    logoutUriInput: text(body.logoutUriInput),
    tokenLifetime: text(body.tokenLifetime) || '3600',
  };
}

export const emptyClientForm = (): ClientForm => clientFormFrom({});

/** The Edit Client form, filled in with the client's settings. */
export function clientFormOf(client: HybridClient): ClientForm {
  return {
    name: client.name,
    allowRefreshToken: client.allowOfflineAccess,
    redirectUris: [...client.redirectUris],
    redirectUriInput: '',
    logoutUris: [...client.postLogoutRedirectUris],
    logoutUriInput: '',
    tokenLifetime: String(client.accessTokenLifetime),
  };
}

/** After a button on the client form: the form to show again, or the settings it was submitted with. */
export type FormOutcome =
  | { submitted: false; form: ClientForm; errors: FieldErrors }
  | { submitted: true; form: ClientForm; settings: HybridClientSettings };

/**
 * One press of a button on the Add or Edit Client form: + and Remove change the URL lists, Back returns from the
 * Add Secret window, and any other button submits the form, with the same rules as the administration API.
 */
export function pressFormButton(form: ClientForm, action: string): FormOutcome {
  if (action === 'add-redirect' || action === 'add-logout') {
    return { submitted: false, ...addUrl(form, action === 'add-redirect' ? 'redirect' : 'logout') };
  }
  const removal = /^remove-(redirect|logout)-(\d+)$/.exec(action);
  if (removal) {
    return {
      submitted: false,
      form: removeUrl(form, removal[1] as 'redirect' | 'logout', Number(removal[2])),
      errors: {},
    };
  }
  if (action === 'back') return { submitted: false, form, errors: {} };
  // A URL typed but not yet added with + is what the user meant: add it rather than lose it.
  const completed = [form.redirectUriInput && 'redirect', form.logoutUriInput && 'logout']
    .filter((which): which is 'redirect' | 'logout' => Boolean(which))
    .reduce((current, which) => addUrl(current, which).form, form);
  const checked = clientSettingsFrom(completed);
  if ('errors' in checked) return { submitted: false, form: completed, errors: checked.errors };
  // Step 4 of "Get started": "enter a name to identify the application" (the API leaves it optional).
  if (!checked.settings.name)
    return { submitted: false, form: completed, errors: { name: 'A name is required.' } };
  return { submitted: true, form: completed, settings: checked.settings };
}

/** The + button: moves the typed URL into the list, or says why it cannot go there. */
function addUrl(form: ClientForm, which: 'redirect' | 'logout'): { form: ClientForm; errors: FieldErrors } {
  const [input, listName] =
    which === 'redirect'
      ? ([form.redirectUriInput, 'redirectUris'] as const)
      : ([form.logoutUriInput, 'logoutUris'] as const);
  const field = which === 'redirect' ? 'redirectUriInput' : 'logoutUriInput';
  if (!input) return { form, errors: { [field]: 'Enter a URL first, then select +.' } };
  const problem = redirectUriProblem(input);
  if (problem) return { form, errors: { [field]: `This URL ${problem}.` } };
  const current = form[listName];
  return {
    form: { ...form, [listName]: current.includes(input) ? current : [...current, input], [field]: '' },
    errors: {},
  };
}

function removeUrl(form: ClientForm, which: 'redirect' | 'logout', index: number): ClientForm {
  const listName = which === 'redirect' ? 'redirectUris' : 'logoutUris';
  return { ...form, [listName]: form[listName].filter((_, i) => i !== index) };
}

/** The client's settings, or the problems to show beside each field. */
function clientSettingsFrom(form: ClientForm): { settings: HybridClientSettings } | { errors: FieldErrors } {
  const lifetime = Number(form.tokenLifetime);
  try {
    return {
      settings: validSettings({
        name: form.name,
        allowOfflineAccess: form.allowRefreshToken,
        redirectUris: form.redirectUris,
        postLogoutRedirectUris: form.logoutUris,
        accessTokenLifetime: Number.isNaN(lifetime) ? form.tokenLifetime : lifetime,
      }),
    };
  } catch (error) {
    if (!(error instanceof ClientRuleError)) throw error;
    const errors: FieldErrors = {};
    for (const { field, message } of error.problems) {
      const key = field ? (formField[field] ?? field) : 'form';
      errors[key] ??= sentence(field ? (labels[field] ?? field) : 'The client', message);
    }
    return { errors };
  }
}

/**
 * A rule's message as a sentence beside its field: "Token Lifetime must be at least 60 seconds."; a message that
 * names its own subject stands alone ("A name is required.", "https://a#b must not contain a fragment."); zod's
 * own wording becomes "Name is not valid.".
 */
function sentence(label: string, message: string): string {
  if (message.startsWith('Invalid input') || message.startsWith('expected')) return `${label} is not valid.`;
  if (/^(must|is|has|may|cannot) /.test(message)) return `${label} ${message}.`;
  if (/^[a-z]+ /.test(message)) return `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
  return `${message}.`;
}

/** The date one year from now, as the Add Secret window proposes it. */
export function defaultExpirationDate(now: number): string {
  const date = new Date(now);
  date.setUTCFullYear(date.getUTCFullYear() + 1);
  return date.toISOString().slice(0, 10);
}

export function secretFormFrom(body: Record<string, unknown>, now: number): SecretForm {
  return {
    description: text(body.secretDescription),
    expiration: text(body.secretExpiration) || defaultExpirationDate(now),
    neverExpires: body.neverExpires === 'on',
  };
}

/** The secret to create: it expires at the end of the chosen day (UTC), or never. */
export function secretRequestFrom(
  form: SecretForm,
  now: number,
): { request: SecretRequest } | { errors: FieldErrors } {
  if (!form.description) return { errors: { secretDescription: 'Enter a description for the secret.' } };
  if (form.description.length > 200) return { errors: { secretDescription: 'Use at most 200 characters.' } };
  if (form.neverExpires) return { request: { description: form.description, expiresAt: null } };
  const endOfDay = Date.parse(`${form.expiration}T23:59:59.999Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.expiration) || Number.isNaN(endOfDay)) {
    return { errors: { secretExpiration: 'Enter the expiration date as a date, or select Never Expires.' } };
  }
  if (endOfDay <= now)
    return { errors: { secretExpiration: 'Choose a date in the future, or select Never Expires.' } };
  return { request: { description: form.description, expiresAt: endOfDay } };
}
