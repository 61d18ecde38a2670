/**
 * "How this sign-in worked" below the browser: what the page is built from never shows a whole credential (the
 * PKCE verifier included, which no browser test can see), every check it shows can fail (each compares what went
 * out with what came back, never a value with itself) and says who enforces it, its rules are the catalogue's
 * words, and it is on against a local identity server and off when switched off. It is the kit's, added through the
 * sample app's extension hooks (walkthrough/).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import session from 'express-session';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { halfHashOf } from '../../harness/hybrid-flow.ts';
import { signInThroughApp, startKit } from '../../harness/kit.ts';
import { alice } from '../../harness/test-seed.ts';
import { loadConfig } from '../../sample-app/src/config.ts';
import type { RecordedExchange } from '../../walkthrough/exchange-recorder.ts';
import { walkthroughHelpers, walkthroughWanted } from '../../walkthrough/extension.ts';
import { fingerprint, keyFingerprints } from '../../walkthrough/redaction.ts';
import { refreshStep, signInSteps, stepTexts } from '../../walkthrough/steps.ts';
import { rules as catalogue } from '../conformance/rules.ts';

const views = [
  fileURLToPath(new URL('../../walkthrough/views', import.meta.url)),
  fileURLToPath(new URL('../../sample-app/views', import.meta.url)),
];
const tokenEndpoint = 'https://id.example/identity/connect/token';
const key = new TextEncoder().encode('a-key-for-unsigned-looking-test-tokens-only');
const jwt = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).sign(key);
const challengeOf = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/** What can differ between what went out and what came back, one at a time. */
interface Tampering {
  cHash?: string;
  nonce?: string;
  /** The state the form_post brought back. */
  state?: string;
  /** The code_challenge in the URL the browser was sent to. */
  challenge?: string;
  aud?: string;
  /** The sub of the id_token from the token endpoint. */
  backChannelSub?: string;
  /** The code the app sent to the token endpoint. */
  codeSent?: string;
}

async function aSignIn(overrides: Tampering = {}) {
  const credentials = {
    code: 'the-authorization-code-0123456789abcdef',
    verifier: 'the-pkce-verifier-0123456789abcdefghijklmnopq',
    secret: 'the-client-secret-0123456789',
    refreshToken: 'the-refresh-token-0123456789abcdef',
  };
  const nonce = 'n-0S6_WzA2Mj';
  const frontChannel = await jwt({
    sub: 'u1',
    aud: overrides.aud ?? 'client-1',
    nonce: overrides.nonce ?? nonce,
    c_hash: overrides.cHash ?? halfHashOf(credentials.code),
  });
  const accessToken = await jwt({ sub: 'u1', scope: 'openid', exp: 2_000_000_000 });
  const idToken = await jwt({ sub: overrides.backChannelSub ?? 'u1', aud: 'client-1', nonce });
  const authorizationUrl = new URL('https://id.example/identity/connect/authorize');
  authorizationUrl.search = new URLSearchParams({
    client_id: 'client-1',
    response_type: 'code id_token',
    state: 'state-1',
    nonce,
    code_challenge: overrides.challenge ?? challengeOf(credentials.verifier),
    code_challenge_method: 'S256',
    redirect_uri: 'https://app.example/callback',
  }).toString();
  const tokenExchange: RecordedExchange = {
    method: 'POST',
    url: tokenEndpoint,
    requestHeaders: {
      authorization: `Basic ${Buffer.from(`client-1:${credentials.secret}`).toString('base64')}`,
    },
    requestBody: new URLSearchParams({
      grant_type: 'authorization_code',
      code: overrides.codeSent ?? credentials.code,
      redirect_uri: 'https://app.example/callback',
      code_verifier: credentials.verifier,
    }),
    status: 200,
    responseBody: JSON.stringify({
      access_token: accessToken,
      id_token: idToken,
      refresh_token: credentials.refreshToken,
      token_type: 'Bearer',
      expires_in: 3600,
    }),
  };
  const steps = await signInSteps({
    authorizationUrl,
    codeVerifier: credentials.verifier,
    callback: new URLSearchParams({
      code: credentials.code,
      id_token: frontChannel,
      state: overrides.state ?? 'state-1',
    }),
    exchanges: [tokenExchange],
    clientId: 'client-1',
    at: Date.parse('2026-11-29T05:00:00Z'),
  });
  return {
    steps,
    wholeValues: [...Object.values(credentials), frontChannel, accessToken, idToken],
    tokenExchange,
  };
}

const render = (steps: Awaited<ReturnType<typeof aSignIn>>['steps']) =>
  ejs.renderFile(
    join(views[0] as string, 'how-it-worked.ejs'),
    {
      walkthrough: { signIn: steps, refreshes: [] },
      ...walkthroughHelpers(Date.now()),
      user: null,
      csrfToken: '',
    },
    { views },
  );

describe('the walkthrough page', () => {
  it('[#sample-sign-in-flow] shows fingerprints and decoded claims, never a whole code, verifier, secret or token', async () => {
    const { steps, wholeValues } = await aSignIn();
    const html = await render(steps);
    for (const value of wholeValues) expect(html).not.toContain(value);
    expect(html).toContain('‹fingerprint ');
    expect(html).toContain('client_secret_basic: client_id client-1, secret not shown');
    expect(html).toContain('access_token, decoded');
    expect(steps.flatMap((step) => step.checks).every((check) => check.ok)).toBe(true);
  });

  it('[#sample-sign-in-flow] keys the fingerprints with the session secret, and shows no length: a guessed secret cannot be confirmed offline', () => {
    const secret = 'a-client-secret-someone-might-guess';
    const plainHash = createHash('sha256').update(secret).digest('hex').slice(0, 8);
    keyFingerprints('the-session-secret-of-one-app');
    const one = fingerprint(secret);
    keyFingerprints('the-session-secret-of-another-app');
    expect(fingerprint(secret)).not.toBe(one);
    keyFingerprints('the-session-secret-of-one-app');
    expect(fingerprint(secret)).toBe(one);
    expect(one).not.toContain(plainHash);
    expect(one).not.toMatch(/\d+ characters/);
    expect(one).toMatch(/^‹fingerprint [0-9a-f]{8}›$/);
  });

  it('[#sample-sign-in-flow] fails the checks when the id_token does not belong to the code or the nonce', async () => {
    const { steps } = await aSignIn({ cHash: 'bm90LXRoZS1yaWdodC1oYXNo', nonce: 'another-nonce' });
    const failed = steps
      .flatMap((step) => step.checks)
      .filter((check) => !check.ok)
      .map((check) => check.what);
    expect(failed).toEqual([
      'nonce in the id_token is the one sent',
      'c_hash in the id_token is computed from the code',
    ]);
    expect(await render(steps)).toContain('class="failed"');
  });

  it.each([
    [{ challenge: challengeOf('another-verifier-0123456789abcdefghijklmnopq') }, 'code_challenge sent is'],
    [{ state: 'state-2' }, 'state came back as sent'],
    [{ nonce: 'another-nonce' }, 'nonce in the id_token is the one sent'],
    [{ cHash: 'bm90LXRoZS1yaWdodC1oYXNo' }, 'c_hash in the id_token is computed from the code'],
    [{ aud: 'client-2' }, 'the id_token is for this client (aud)'],
    [{ codeSent: 'another-code' }, 'the code sent is the code received (fingerprint)'],
    [{ backChannelSub: 'u2' }, 'both id_tokens name the same user (sub)'],
  ] satisfies [Tampering, string][])(
    '[#sample-sign-in-flow] every check can fail, and names who enforces it: %j fails only "%s"',
    async (tampering, what) => {
      const { steps } = await aSignIn(tampering);
      const checks = steps.flatMap((step) => step.checks);
      expect(checks.filter((check) => !check.ok).map((check) => check.what)).toEqual([
        expect.stringContaining(what),
      ]);
      expect(checks).toHaveLength(7);
      const html = await render(steps);
      expect(html).toContain(
        'enforced by openid-client, before the code was spent; recomputed here for you to see',
      );
      expect(html).toContain('enforced by the identity server; recomputed here for you to see');
    },
  );

  it('[#sample-sign-in-flow] shows the request as not kept, and checks nothing of it, when the sign-in began without it', async () => {
    const { steps } = await aSignIn();
    const withoutRequest = await signInSteps({
      authorizationUrl: null,
      codeVerifier: 'the-pkce-verifier-0123456789abcdefghijklmnopq',
      callback: new URLSearchParams({ code: 'c', state: 'state-1' }),
      exchanges: [],
      clientId: 'client-1',
      at: 0,
    });
    expect(withoutRequest[0]?.sent?.line).toMatch(/^not kept/);
    expect(withoutRequest.flatMap((step) => step.checks).map((check) => check.what)).not.toContain(
      steps[0]?.checks[0]?.what,
    );
  });

  it('[#sample-sign-in-flow] says whether a refresh rotated the refresh token', async () => {
    const { tokenExchange } = await aSignIn();
    const refresh = (next: string | undefined): RecordedExchange => ({
      ...tokenExchange,
      requestBody: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'spent-refresh-token' }),
      responseBody: JSON.stringify({ access_token: 'a', ...(next && { refresh_token: next }) }),
    });
    expect(refreshStep([refresh('the-next-refresh-token')], 0)?.checks[0]?.ok).toBe(true);
    expect(refreshStep([refresh('spent-refresh-token')], 0)?.checks[0]?.ok).toBe(false);
    expect(refreshStep([refresh(undefined)], 0)?.checks[0]?.ok).toBe(false);
  });

  it("[#sample-sign-in-flow] cites rules of the kit catalogue, in the catalogue's words", () => {
    const cited = Object.values(stepTexts).flatMap((texts) => texts.rules);
    expect(cited.length).toBeGreaterThan(15);
    for (const { id, says } of cited) expect(catalogue.find((rule) => rule.id === id)?.rule).toBe(says);
  });
});

describe('SHOW_SIGN_IN_FLOW', () => {
  const settings = { SESSION_SECRET: 'x'.repeat(32) };
  const wanted = (env: Record<string, string>) => walkthroughWanted(env, loadConfig(env).config);
  it('[#sample-sign-in-flow] is on against a local identity server outside production and off otherwise, unless set', () => {
    expect(wanted(settings)).toBe(true);
    expect(wanted({ ...settings, NODE_ENV: 'production' })).toBe(false);
    const tenant = {
      ...settings,
      CLIENT_ID: 'c0ffee00-0000-4000-8000-000000000001',
      CLIENT_SECRET: 'a-secret-from-the-portal',
      TENANT_ID: 'c0ffee00-0000-4000-8000-000000000002',
      ISSUER_URL: 'https://uswe.datahub.connect.aveva.com/identity',
      API_BASE_URL: 'https://uswe.datahub.connect.aveva.com',
      REDIRECT_URI: 'https://app.example/callback',
      POST_LOGOUT_REDIRECT_URI: 'https://app.example/signed-out',
    };
    expect(wanted(tenant)).toBe(false);
    expect(wanted({ ...tenant, SHOW_SIGN_IN_FLOW: 'true' })).toBe(true);
    expect(wanted({ ...settings, SHOW_SIGN_IN_FLOW: 'false' })).toBe(false);
    expect(() => wanted({ ...settings, SHOW_SIGN_IN_FLOW: 'yes' })).toThrow(
      'SHOW_SIGN_IN_FLOW: must be true or false',
    );
  });

  it('[#sample-sign-in-flow] switched off: no page, no link, nothing recorded in the session', async () => {
    const sessionStore = new session.MemoryStore();
    const kit = await startKit({ env: { SHOW_SIGN_IN_FLOW: 'false' }, sessionStore });
    try {
      const agent = await signInThroughApp(kit.appUrl, alice);
      const profile = await agent.request(`${kit.appUrl}/profile`);
      expect(profile.response.status).toBe(200);
      expect(profile.body).not.toContain('how-it-worked');
      expect((await agent.request(`${kit.appUrl}/how-it-worked`)).response.status).toBe(404);
      const stored = await new Promise((resolve) =>
        sessionStore.all((_error, all) => resolve(Object.values(all ?? {}))),
      );
      expect(stored).toEqual([expect.objectContaining({ user: expect.anything() })]);
      expect(stored).toEqual([expect.not.objectContaining({ walkthrough: expect.anything() })]);
    } finally {
      await kit.close();
    }
  });

  it("[#sample-sign-in-flow] on: the page shows this session's sign-in, and asks a visitor without one to sign in", async () => {
    const kit = await startKit();
    try {
      const visitor = await fetch(`${kit.appUrl}/how-it-worked`);
      expect(visitor.status).toBe(200);
      expect(await visitor.text()).toContain('Sign in first');
      const agent = await signInThroughApp(kit.appUrl, alice);
      const page = await agent.request(`${kit.appUrl}/how-it-worked`);
      expect(page.body).toContain('The code exchange (back channel)');
      expect(page.body).not.toContain('class="failed"');
    } finally {
      await kit.close();
    }
  });
});
