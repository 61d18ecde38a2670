/**
 * node-oidc-provider, the standards identity server the kit measures against (the benchmark's peer) and proves the
 * sample app against (specs/support/standards-provider.ts): the metadata of a hybrid client there, and a browser
 * following its development sign-in pages (login, then consent) until the form_post to the client.
 */
import type { ClientMetadata } from 'oidc-provider';
import { UserAgent } from './user-agent.ts';

export interface OidcProviderClient {
  id: string;
  secret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
}

/** A hybrid `code id_token` client authenticating with client_secret_basic. */
export const hybridClientMetadata = (client: OidcProviderClient): ClientMetadata => ({
  client_id: client.id,
  client_secret: client.secret,
  redirect_uris: [client.redirectUri],
  post_logout_redirect_uris: [client.postLogoutRedirectUri],
  response_types: ['code id_token'],
  grant_types: ['authorization_code', 'implicit', 'refresh_token'],
  token_endpoint_auth_method: 'client_secret_basic',
});

/**
 * Follows the development pages from an authorization URL, signing in as `login` (any password is taken), and
 * returns the fields of the form_post to `redirectUri`; the agent keeps the sign-on session.
 */
export async function signInAtOidcProvider(
  agent: UserAgent,
  authorizationUrl: string,
  redirectUri: string,
  login: string,
): Promise<Record<string, string>> {
  let hop = await agent.navigate(authorizationUrl);
  for (let page = 0; page < 5; page += 1) {
    const form = UserAgent.form(hop.body);
    if (!form) {
      const error = hop.body
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .match(/error.{0,300}/)?.[0];
      throw new Error(
        `no form at the provider: HTTP ${hop.response.status} ${error ?? hop.body.slice(0, 300)}`,
      );
    }
    const action = new URL(form.action, hop.url).href;
    if (action === redirectUri) return form.fields;
    const credentials: Record<string, string> = hop.body.includes('name="login"')
      ? { login, password: 'any' }
      : {};
    hop = await agent.navigate(action, { form: { ...form.fields, ...credentials } });
  }
  throw new Error('the provider did not send the browser back to the client');
}
