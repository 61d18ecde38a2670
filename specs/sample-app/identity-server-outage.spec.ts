/** The sample app when the identity server cannot be reached at its first use: a clear page, then recovery. */
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { UserAgent } from '../../harness/user-agent.ts';
import { fakeIssuer } from '../support/fake-identity-server.ts';
import { useAppUnderTest } from './app-under-test.ts';

const app = useAppUnderTest();

describe('identity server outage before discovery', () => {
  it('answers 503 with a page that says so, and signs in once the identity server is back', async () => {
    app.msw.use(http.get(`${fakeIssuer}/.well-known/openid-configuration`, () => HttpResponse.error()));
    const failed = await new UserAgent().request(`${app.url}/login`);
    expect(failed.response.status).toBe(503);
    expect(failed.body).toContain('The identity server cannot be reached');
    expect(failed.body).toContain(fakeIssuer);

    app.msw.resetHandlers();
    const retried = await new UserAgent().request(`${app.url}/login`);
    expect(retried.response.status).toBe(303);
    expect(retried.response.headers.get('location')).toContain(`${fakeIssuer}/connect/authorize`);
  });
});
