/**
 * Authenticates a client at the token and revocation endpoints with its secret, sent either in the
 * Authorization header (client_secret_basic) or in the form body (client_secret_post), never both. A failure is
 * IdentityServer's answer: HTTP 400 `{"error":"invalid_client"}`, without a WWW-Authenticate challenge (RFC 6749
 * 5.2 would allow 401 with a challenge; applications must handle both).
 */
import type { IdpContext } from '../context.ts';
import { clientSecretMatches } from '../domain/client-secrets.ts';
import type { Client } from '../domain/model.ts';
import { clientFor } from './clients.ts';
import { OAuthError } from './errors.ts';
import { singleParameter } from './parameters.ts';

interface Credentials {
  clientId: string;
  secret: string;
}

export function authenticateClient(
  ctx: Pick<IdpContext, 'clock' | 'store'>,
  authorization: string | undefined,
  body: Record<string, unknown>,
): Client {
  const credentials = credentialsFrom(authorization, body);
  const client = clientFor(ctx, credentials.clientId);
  // One message for every failure, so a caller cannot tell an unknown client from a wrong secret.
  if (!client?.enabled || !clientSecretMatches(client, credentials.secret, ctx.clock.now())) {
    throw new OAuthError('invalid_client', 'client authentication failed');
  }
  return client;
}

function credentialsFrom(authorization: string | undefined, body: Record<string, unknown>): Credentials {
  const bodyId = singleParameter(body, 'client_id');
  const bodySecret = singleParameter(body, 'client_secret');
  if (authorization !== undefined) {
    if (bodySecret !== undefined) {
      throw new OAuthError(
        'invalid_request',
        'use one client authentication method, not both Basic and client_secret',
      );
    }
    const basic = basicCredentials(authorization);
    if (bodyId !== undefined && bodyId !== basic.clientId) {
      throw new OAuthError('invalid_request', 'client_id does not match the Authorization header');
    }
    return basic;
  }
  if (!bodyId || bodySecret === undefined) {
    throw new OAuthError(
      'invalid_client',
      'client authentication is required (client_secret_basic or client_secret_post)',
    );
  }
  return { clientId: bodyId, secret: bodySecret };
}

/** RFC 6749 2.3.1: the id and secret are form-urlencoded before they are joined and base64 encoded. */
export function basicCredentials(header: string): Credentials {
  const match = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header.trim());
  const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon < 1) throw new OAuthError('invalid_client', 'malformed Basic Authorization header');
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' ')),
    };
  } catch {
    throw new OAuthError('invalid_client', 'malformed Basic Authorization header');
  }
}
