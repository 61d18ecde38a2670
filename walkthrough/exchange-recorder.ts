/**
 * What the app and the identity server said to each other while one request of the app was served (a code
 * redemption, a refresh, a revocation), for the "How this sign-in worked" page. openid-client makes its requests
 * through the fetch given here; each request of the app gets its own list (`recordEachRequest`), and nothing is kept
 * beyond that request. The values are whole here: the steps redact them before anything is stored.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';
import type * as client from 'openid-client';

type CustomFetch = NonNullable<client.Configuration[typeof client.customFetch]>;

export interface RecordedExchange {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  /** The form the app sent (token and revocation requests), or null. */
  requestBody: URLSearchParams | null;
  status: number;
  /** The response body as text (JSON from the identity server). */
  responseBody: string;
}

const currentRequest = new AsyncLocalStorage<RecordedExchange[]>();

/** A fetch for openid-client that records what it sends and receives for the request being served. */
export const recordingFetch: CustomFetch = async (url, options) => {
  const response = await fetch(url, options as RequestInit);
  const log = currentRequest.getStore();
  if (log) {
    log.push({
      method: options.method,
      url,
      requestHeaders: { ...options.headers },
      requestBody: options.body instanceof URLSearchParams ? new URLSearchParams(options.body) : null,
      status: response.status,
      responseBody: await response.clone().text(),
    });
  }
  return response;
};

/** Serves each request with a list of its own for the exchanges it causes. */
export const recordEachRequest: RequestHandler = (_req, _res, next) => currentRequest.run([], next);

/** The exchanges the request being served has caused so far. */
export const exchangesOfThisRequest = (): RecordedExchange[] => currentRequest.getStore() ?? [];
