/**
 * A headless browser for tests, with nothing but fetch: keeps cookies per host, follows redirects by hand (so every
 * hop can be inspected), fills in the mock's login form and reads the form_post page.
 */
import { setTimeout } from 'node:timers/promises';

export interface Hop {
  url: string;
  response: Response;
  body: string;
}

export interface FormPost {
  action: string;
  fields: Record<string, string>;
}

const entities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&#34;': '"',
  '&#39;': "'",
  '&quot;': '"',
};
const decodeHtml = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|#34|#39);/g, (entity) => entities[entity] ?? entity);

export class UserAgent {
  readonly cookies = new Map<string, Map<string, string>>();

  cookie(url: string, name: string): string | undefined {
    return this.cookies.get(new URL(url).host)?.get(name);
  }

  /** The Cookie header this browser sends to the host of `url` ('' when it has none). */
  cookieHeader(url: string): string {
    const jar = this.cookies.get(new URL(url).host) ?? new Map<string, string>();
    return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** One request, no redirect following; cookies sent and stored. */
  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Hop> {
    const host = new URL(url).host;
    const jar = this.cookies.get(host) ?? new Map<string, string>();
    this.cookies.set(host, jar);
    const headers: Record<string, string> = { accept: 'text/html' };
    const cookie = this.cookieHeader(url);
    if (cookie) headers.cookie = cookie;
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body: init.form ? new URLSearchParams(init.form) : null,
      redirect: 'manual',
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const [name = '', value = ''] = pair.trim().split(/=(.*)/s);
      const expired = attributes.some((attribute) =>
        /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(attribute),
      );
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return { url, response, body: await response.text() };
  }

  /** Follows redirects within the identity server and stops at the first page or at a foreign redirect. */
  async navigate(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Hop> {
    let hop = await this.request(url, init);
    const origin = new URL(url).origin;
    for (let hops = 0; hops < 10; hops += 1) {
      const location = hop.response.headers.get('location');
      if (!location || hop.response.status < 300 || hop.response.status >= 400) return hop;
      const next = new URL(location, hop.url);
      if (next.origin !== origin) return hop;
      hop = await this.request(next.href);
    }
    throw new Error('too many redirects');
  }

  /** The authorization response: from a form_post page, or from a fragment redirect. */
  static authorizationResponse(hop: Hop): FormPost {
    const location = hop.response.headers.get('location');
    if (location?.includes('#')) {
      const url = new URL(location);
      return {
        action: url.href.split('#')[0] as string,
        fields: Object.fromEntries(new URLSearchParams(url.hash.slice(1))),
      };
    }
    const form = UserAgent.form(hop.body);
    if (!form)
      throw new Error(`no authorization response in: HTTP ${hop.response.status} ${hop.body.slice(0, 400)}`);
    return form;
  }

  /** The anti-forgery token of a page's forms (the `_csrf` hidden field), if it has one. */
  static csrfToken(html: string): string | undefined {
    return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  }

  static form(html: string): FormPost | null {
    const action = /<form[^>]*action=(["'])(.*?)\1/.exec(html)?.[2];
    if (action === undefined) return null;
    const fields: Record<string, string> = {};
    // Any server's form_post page: attributes in any order, either quote.
    for (const [input] of html.matchAll(/<input\b[^>]*\btype=["']hidden["'][^>]*>/g)) {
      const name = /\bname=(["'])(.*?)\1/.exec(input)?.[2];
      const value = /\bvalue=(["'])(.*?)\1/.exec(input)?.[2] ?? '';
      if (name !== undefined) fields[decodeHtml(name)] = decodeHtml(value);
    }
    return { action: decodeHtml(action), fields };
  }

  /** Goes to the authorization URL and signs in on the login page when it is shown. */
  async signIn(
    authorizationUrl: string,
    credentials: { email: string; password: string } | null,
  ): Promise<{ response: FormPost; loginShown: boolean; last: Hop }> {
    let hop = await this.navigate(authorizationUrl);
    const loginShown = hop.body.includes('name="password"');
    // Like a patient user: when the identity server is too busy to check a password (429), try again when told.
    for (let attempt = 0; loginShown && (attempt === 0 || hop.response.status === 429); attempt += 1) {
      if (!credentials) throw new Error('the login page was shown, but no credentials were given');
      if (attempt > 60) throw new Error('the login page stayed busy');
      if (attempt > 0) await setTimeout(Number(hop.response.headers.get('retry-after') ?? 1) * 1000);
      const login = UserAgent.form(hop.body);
      if (!login) throw new Error('the login page has no form');
      hop = await this.navigate(new URL(login.action, hop.url).href, {
        form: { ...login.fields, email: credentials.email, password: credentials.password, action: 'login' },
      });
    }
    return { response: UserAgent.authorizationResponse(hop), loginShown, last: hop };
  }
}
