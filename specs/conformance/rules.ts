/**
 * Every documented rule the kit proves: from the two editions of "Get started with hybrid clients" (seed),
 * the Data Hub identity server and API facts (design.md section 2), and the protocol rules they rest on.
 * A spec proves a rule by naming it as [#id] in its title, or in the title of a describe around it.
 */
export interface Rule {
  id: string;
  rule: string;
  source: string;
}

export const rules: Rule[] = [
  {
    id: 'redirect-uri-exact',
    rule: 'A redirect URL must match an Allowed Redirect URL exactly: no query added, same case, no trailing slash, same port and scheme, no wildcard.',
    source: 'seed: Allowed Redirect URL(s); design 2',
  },
  {
    id: 'redirect-uri-unregistered',
    rule: 'An unregistered redirect URL gets an error page at the identity server and is never redirected to.',
    source: 'design 2',
  },
  {
    id: 'redirect-uri-required',
    rule: 'A sign-in request without a redirect URL is refused.',
    source: 'OIDC Core 3.1.2.1',
  },
  {
    id: 'redirect-uri-limits',
    rule: 'A hybrid client has 1 to 10 redirect URLs and 0 to 10 logout redirect URLs, absolute http(s), without fragment or wildcard.',
    source: 'design 2',
  },
  {
    id: 'logout-redirect-registered',
    rule: 'After sign-out, the user is sent only to an exactly registered Allowed Logout Redirect URL; otherwise a signed-out page.',
    source: 'seed: Allowed Logout Redirect URL(s); design 2',
  },
  {
    id: 'logout-id-token-hint',
    rule: 'The logout redirect needs a valid id_token_hint of that client: none, a bad or a tampered one gets the signed-out page.',
    source: 'design 2',
  },
  {
    id: 'logout-state',
    rule: 'The state of a sign-out request is echoed to the logout redirect URL.',
    source: 'design 2',
  },
  {
    id: 'token-lifetime-default',
    rule: 'The token lifetime defaults to 3600 seconds, the maximum.',
    source: 'seed: Token Lifetime',
  },
  {
    id: 'token-lifetime-range',
    rule: 'The token lifetime is at least 60 and at most 3600 seconds.',
    source: 'seed: Token Lifetime',
  },
  {
    id: 'token-lifetime-issued',
    rule: 'Issued access tokens live exactly the client token lifetime (exp - iat), and the API refuses them after it.',
    source: 'seed: Token Lifetime',
  },
  {
    id: 'refresh-only-when-allowed',
    rule: 'Refresh tokens are issued only to a client with Allow Refresh Token that asked for offline_access.',
    source: 'seed: Allow Refresh Token; design 2',
  },
  {
    id: 'refresh-rotation',
    rule: 'A refresh token is used once: each refresh returns a new one.',
    source: 'design 2',
  },
  {
    id: 'refresh-reuse',
    rule: "A reused refresh token fails, and another client's refresh token fails.",
    source: 'design 2; RFC 9700 4.14',
  },
  {
    id: 'secret-default-expiry',
    rule: 'A secret expires one year after creation by default.',
    source: 'seed: Add Secret',
  },
  {
    id: 'secret-never-expires',
    rule: 'A secret can be set to never expire, and can still be deleted.',
    source: 'seed: Never Expires',
  },
  {
    id: 'secret-expired',
    rule: 'An expired secret no longer authenticates; tokens issued before stay valid until their own expiry.',
    source: 'design 2',
  },
  {
    id: 'secret-deleted',
    rule: 'A deleted secret no longer authenticates.',
    source: 'seed: Details pane; design 2',
  },
  {
    id: 'secret-rotation',
    rule: 'Several valid secrets of one client all authenticate (rotation); at most 10.',
    source: 'seed: unique description for multiple secrets; design 2',
  },
  {
    id: 'secret-shown-once',
    rule: 'A secret value is shown once, at creation, and only its hash is kept.',
    source: 'seed: Client Successfully Created',
  },
  {
    id: 'client-auth',
    rule: 'Clients authenticate at the token endpoint with client_secret_basic or client_secret_post.',
    source: 'design 2',
  },
  {
    id: 'code-single-use',
    rule: 'An authorization code is used once; a replay fails and revokes what the first use issued.',
    source: 'design 2; RFC 6749 4.1.2',
  },
  { id: 'code-lifetime', rule: 'An authorization code lives 300 seconds.', source: 'design 2' },
  {
    id: 'code-redirect-match',
    rule: 'The code is redeemed with the redirect URL it was issued for.',
    source: 'RFC 6749 4.1.3',
  },
  {
    id: 'hybrid-response',
    rule: 'Hybrid clients use response_type=code id_token, by form_post (default) or fragment; query is refused.',
    source: 'design 2',
  },
  {
    id: 'nonce-required',
    rule: 'The nonce is required, and returned in the id_token.',
    source: 'design 2; OIDC Core 3.3.2.11',
  },
  {
    id: 'state-echoed',
    rule: 'The state of a sign-in request is echoed to the redirect URL.',
    source: 'design 2',
  },
  {
    id: 'pkce',
    rule: 'PKCE S256 is honoured and checked at the token endpoint.',
    source: 'design 2; RFC 7636',
  },
  {
    id: 'c-hash',
    rule: 'The front-channel id_token carries c_hash, binding it to the code.',
    source: 'OIDC Core 3.3.2.11',
  },
  {
    id: 'tenant',
    rule: 'acr_values=tenant:{id} must name the client tenant; tokens carry tid, and other tenants are refused.',
    source: 'design 2',
  },
  { id: 'id-token-signature', rule: 'Tokens are signed RS256 with a published kid.', source: 'design 2' },
  {
    id: 'admin-api',
    rule: 'The HybridClients API creates, lists, changes and deletes clients and secrets in Data Hub shapes, for a Tenant Administrator only.',
    source: 'design 2',
  },
  { id: 'client-put', rule: 'PUT leaves absent or null properties unchanged.', source: 'design 2' },
  {
    id: 'client-deletion',
    rule: 'Deleting a client: its access tokens live until they expire; its refresh tokens stop working after one hour.',
    source: 'design 2',
  },
  {
    id: 'client-change-delay',
    rule: 'Client modifications may take up to an hour before being visibly updated.',
    source: 'seed: step 13 note',
  },
  {
    id: 'portal-procedure',
    rule: 'The portal follows the documented steps: Security > Clients, Hybrid, Add Client, the form, Add Secret, Client Successfully Created with Copy buttons.',
    source: 'seed: Create a hybrid client',
  },
  {
    id: 'form-post-cross-site',
    rule: 'The form_post callback works when the identity server and the application are different sites.',
    source: 'design 3',
  },
];
