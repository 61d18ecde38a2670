/**
 * What can be added to the app without changing its routes: the kit adds its "How this sign-in worked" pages this
 * way, and an app copied from this one may add logging or auditing. Each hook is told what its route already holds.
 * A hook that fails is logged and the step goes on as if the hook were not there: an extension can never turn a
 * sign-in or a half-done sign-out into an error page.
 */
import type { Request, Response, Router } from 'express';
import type * as client from 'openid-client';
import type { UserSession } from './auth/session-data.ts';

export interface SignInStarted {
  req: Request;
  res: Response;
  /** The authorization URL the browser is sent to. */
  authorizationUrl: URL;
}

export interface SignedIn {
  req: Request;
  res: Response;
  /** The new session, holding the user and tokens. */
  session: UserSession;
  /** The state of the sign-in, which the callback was matched to. */
  state: string;
  /** The form_post the browser delivered. */
  callback: URLSearchParams;
  /** The PKCE verifier the app sent with the code. */
  codeVerifier: string;
}

export interface SigningOut {
  req: Request;
  res: Response;
  /** Where the browser is sent to end the identity server's session. */
  endSessionUrl: URL;
}

export interface SignedOutReturn {
  req: Request;
  res: Response;
  /** Whether the state came back as sent: the app's own check, made before this hook runs. */
  stateMatched: boolean;
}

export interface AppExtension {
  /** The fetch openid-client uses for every request to the identity server. */
  fetch?: NonNullable<client.Configuration[typeof client.customFetch]>;
  /** A folder of more views; they may include the app's own (layout-top, layout-bottom). */
  views?: string;
  /** Runs before the app's routes, after the session is loaded. */
  beforeRoutes?: Router;
  /** Routes mounted after the app's own, before the "not found" page. */
  routes?: Router;
  signInStarted?(event: SignInStarted): Promise<void>;
  signedIn?(event: SignedIn): Promise<void>;
  /** After a refresh stored its tokens in the session (on the instance that made it). */
  refreshed?(session: UserSession): Promise<void>;
  signingOut?(event: SigningOut): Promise<void>;
  signedOutReturn?(event: SignedOutReturn): Promise<void>;
}

/** Hooks of what the app was given, each failure logged and swallowed (see the module comment). */
export type ExtensionHooks = Required<
  Pick<AppExtension, 'signInStarted' | 'signedIn' | 'refreshed' | 'signingOut' | 'signedOutReturn'>
>;

export function extensionHooks(extension: AppExtension): ExtensionHooks {
  const safely =
    <T>(name: string, hook: ((event: T) => Promise<void>) | undefined) =>
    async (event: T) => {
      try {
        await hook?.(event);
      } catch (error) {
        console.error(`sample-app: the ${name} extension hook failed, and was passed over:`, error);
      }
    };
  return {
    signInStarted: safely('signInStarted', extension.signInStarted?.bind(extension)),
    signedIn: safely('signedIn', extension.signedIn?.bind(extension)),
    refreshed: safely('refreshed', extension.refreshed?.bind(extension)),
    signingOut: safely('signingOut', extension.signingOut?.bind(extension)),
    signedOutReturn: safely('signedOutReturn', extension.signedOutReturn?.bind(extension)),
  };
}
