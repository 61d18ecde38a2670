/**
 * What the app and the identity server said to each other during one protocol step (a code redemption, a refresh,
 * a revocation), for the "How this sign-in worked" page. openid-client makes its requests through the fetch
 * installed here; a step run inside `recordExchanges` gets the requests and responses it caused, and nothing is
 * kept outside that step. The values are whole here: the page's builder redacts them before anything is stored.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
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

const currentStep = new AsyncLocalStorage<RecordedExchange[]>();

/** A fetch for openid-client (`configuration[client.customFetch]`) that records inside `recordExchanges`. */
export const recordingFetch: CustomFetch = async (url, options) => {
  const response = await fetch(url, options as RequestInit);
  const log = currentStep.getStore();
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

/** Runs a step and returns what it returned, with the exchanges it caused. */
export async function recordExchanges<T>(
  step: () => Promise<T>,
): Promise<{ result: T; exchanges: RecordedExchange[] }> {
  const exchanges: RecordedExchange[] = [];
  const result = await currentStep.run(exchanges, step);
  return { result, exchanges };
}
