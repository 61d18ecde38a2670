/** What every part of the identity server shares: one instance per running server, built by server.ts. */
import type { Clock } from './clock.ts';
import type { ClientAdministration } from './domain/client-administration.ts';
import type { PasswordGuessing } from './domain/password-guessing.ts';
import type { SigningKeys } from './keys/signing-keys.ts';
import type { RequestLog } from './observation/request-log.ts';
import type { SignInTickets } from './protocol/sign-in-tickets.ts';
import type { TokenMinter } from './protocol/token-minting.ts';
import type { ScenarioBook } from './scenarios/scenario-book.ts';
import type { IdpStore } from './store/idp-store.ts';

export interface IdpContext {
  /** The name the server announces in discovery and signs into tokens (`iss`): the authority, unless set apart. */
  issuer: string;
  /** Where the endpoints are, e.g. http://127.0.0.1:4000/identity (Data Hub: `{resource}/identity`). */
  authority: string;
  /** The absolute lifetime of a refresh-token family. */
  refreshTokenLifetimeSeconds: number;
  /** Whether authorization responses carry `iss` (RFC 9207): IdentityServer4 4.x's do not. */
  authorizationResponseIss: boolean;
  /** Whether hybrid clients get refresh tokens at all (the sources disagree: refresh-only-when-allowed). */
  hybridRefreshTokens: boolean;
  /** Whether every client asks the user's consent (IdentityServer's Client.RequireConsent; off by default). */
  requireConsent: boolean;
  clock: Clock;
  store: IdpStore;
  keys: SigningKeys;
  minter: TokenMinter;
  /** Sign-ins in progress, carried by the browser: nothing is stored for them. */
  signInTickets: SignInTickets;
  /** Wrong passwords per account: five lock it for five minutes. */
  passwordGuessing: PasswordGuessing;
  /** Creates and changes hybrid clients: the administration API and the portal both use it. */
  administration: ClientAdministration;
  /** What tests set to make the next responses misbehave (scenarios/): in memory only. */
  scenarios: ScenarioBook;
  /** What was received and answered, for tests to read: in memory only, bounded. */
  requestLog: RequestLog;
}
