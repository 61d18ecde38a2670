/**
 * Signs a user in to any hybrid-client web app through the mock's real login page, without a browser: the app's
 * sign-in URL, its redirect to the mock, the login form, the form_post back to the app, and the app's redirects
 * after it. What the app answered at each end is returned, for the test to judge.
 */
import { type Hop, UserAgent } from './user-agent.ts';

export interface HttpSignIn {
  /** The browser, holding the app's session cookie when the sign-in worked. */
  agent: UserAgent;
  /** The authorization response the mock sent (code, id_token, state, iss, or an error). */
  response: Record<string, string>;
  /** The app's answer to the form_post. */
  callback: Hop;
  /** Where the app's redirects after the callback ended (its own origin only). */
  landed: Hop;
}

export async function signInOverHttp(
  signInUrl: string,
  user: { email: string; password: string },
  agent = new UserAgent(),
): Promise<HttpSignIn> {
  const app = new URL(signInUrl).origin;
  const started = await agent.navigate(signInUrl);
  const authorization = started.response.headers.get('location');
  if (!authorization || started.response.status < 300 || started.response.status >= 400) {
    throw new Error(`${signInUrl} did not send the browser to sign in: HTTP ${started.response.status}`);
  }
  const { response } = await agent.signIn(new URL(authorization, started.url).href, user);
  const callback = await agent.request(new URL(response.action, app).href, { form: response.fields });
  const location = callback.response.headers.get('location');
  const landed =
    location &&
    callback.response.status >= 300 &&
    callback.response.status < 400 &&
    new URL(location, app).origin === app
      ? await agent.navigate(new URL(location, app).href)
      : callback;
  return { agent, response: response.fields, callback, landed };
}
