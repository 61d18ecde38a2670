/** The things the identity server knows about. Times are epoch milliseconds; null expiry means never. */
import type { TenantRoleName } from './roles.ts';

export interface Tenant {
  id: string;
  name: string;
}

export interface User {
  /** The `sub` claim: a GUID, stable across sign-ins. */
  id: string;
  tenantId: string;
  email: string;
  name: string;
  givenName: string;
  familyName: string;
  /** scrypt hash of the password, see plumbing/passwords.ts. */
  passwordHash: string;
  /** Tenant roles by name; tokens carry their ids (roles.ts). */
  roles: TenantRoleName[];
  /** More claims for id_tokens and UserInfo, given when a test created the user (user-administration.ts). */
  claims?: Record<string, unknown>;
}

export interface ClientSecret {
  /** Data Hub numbers a client's secrets 1, 2, 3... */
  id: number;
  description: string;
  /** null: the secret never expires. */
  expiresAt: number | null;
  /** SHA-256 of the value; the value itself is shown once, at creation, and never stored. */
  hash: string;
  createdAt: number;
}

interface ClientBase {
  id: string;
  tenantId: string;
  name: string;
  enabled: boolean;
  accessTokenLifetime: number;
  secrets: ClientSecret[];
  createdAt: number;
  /**
   * "Client modifications may take up to an hour before being visibly updated": when this version takes effect
   * at the identity server, and the version in effect until then. Absent: in effect since creation.
   */
  effectiveFrom?: number;
  previous?: Client | null;
  /** Set on a deleted client, which is kept until its deletion is in effect (after the change delay). */
  deletedAt?: number | null;
}

/** A Data Hub hybrid client: browser sign-in, server-side code exchange, optional refresh tokens. */
export interface HybridClient extends ClientBase {
  kind: 'hybrid';
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  clientUri: string | null;
  logoUri: string | null;
  allowOfflineAccess: boolean;
  allowAccessTokensViaBrowser: boolean;
  tags: string[];
}

/** A client-credentials client: a service acting for itself, with tenant roles (e.g. Tenant Administrator). */
export interface ClientCredentialsClient extends ClientBase {
  kind: 'client-credentials';
  roles: TenantRoleName[];
}

export type Client = HybridClient | ClientCredentialsClient;
