/**
 * The login page and the single-sign-on session: seeded users sign in with email and password; the form only
 * completes in the browser that started the sign-in; cookies are HttpOnly and SameSite.
 */
// vitest: long-running

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationUrl, signInForTokens } from '../../harness/hybrid-flow.ts';
import { startTestIdp, type TestIdp } from '../../harness/mock-idp.ts';
import { alice, bob, dave, offlineClient } from '../../harness/test-seed.ts';
import { UserAgent } from '../../harness/user-agent.ts';
import { AdjustableClock } from '../../mock-idp/src/clock.ts';
import {
  lockoutMs,
  maxFailedAttempts,
  maxTrackedAccounts,
  PasswordGuessing,
} from '../../mock-idp/src/domain/password-guessing.ts';
import {
  maxWaitingChecks,
  PasswordChecksBusy,
  passwordChecksAtOnce,
  unknownUserHash,
  verifyPassword,
} from '../../mock-idp/src/plumbing/passwords.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(() => idp.dispose());

async function openLoginPage(agent = new UserAgent(), params: Record<string, string> = {}) {
  const page = await agent.navigate(authorizationUrl(idp, offlineClient, { state: 'st', ...params }));
  const form = UserAgent.form(page.body);
  if (!form) throw new Error('no login form');
  return {
    agent,
    page,
    form,
    submit: (fields: Record<string, string>) =>
      agent.navigate(form.action, { form: { ...form.fields, ...fields } }),
  };
}

describe('login page', () => {
  it('says which application asks, for which tenant, and where the answer goes; an email and a password field, and no caching', async () => {
    const { page } = await openLoginPage();
    expect(page.response.status).toBe(200);
    expect(page.body).toContain(
      '<strong>Offline spec client</strong> asks you to sign in to the tenant <strong>Spec Tenant</strong>.',
    );
    expect(page.body).toContain(`you return to <strong>${new URL(offlineClient.redirectUri).host}</strong>`);
    expect(page.body).toMatch(/type="email"/);
    expect(page.body).toMatch(/type="password"/);
    expect(page.response.headers.get('cache-control')).toBe('no-store');
    expect(page.response.headers.get('x-frame-options')).toBe('DENY');
    expect(page.response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('[#login-page-ids] names its fields and button as the Data Hub sign-in page does: #email, #password, #submit', async () => {
    const { page } = await openLoginPage();
    expect(page.body).toMatch(/<input id="email" name="email" type="email"/);
    expect(page.body).toMatch(/<input id="password" name="password" type="password"/);
    expect(page.body).toMatch(/<button id="submit"[^>]*type="submit"[^>]*>Sign in</);
  });

  it('[#external-sign-in] signs in local accounts only, with a password: the tokens say idp local and amr pwd', async () => {
    const { tokens } = await signInForTokens(idp);
    expect(decodeJwt(tokens.id_token)).toMatchObject({ idp: 'local', amr: ['pwd'] });
    const { page } = await openLoginPage();
    expect(UserAgent.form(page.body)?.action).toBe(`${idp.authority}/account/login`);
  });

  it('prefills the email from login_hint, escaped', async () => {
    const { page } = await openLoginPage(undefined, { login_hint: '"><script>x</script>' });
    expect(page.body).not.toContain('<script>x</script>');
    expect(page.body).toContain('&#34;&gt;&lt;script&gt;');
  });

  it('refuses a wrong password with a message, and stays on the login page', async () => {
    const { submit } = await openLoginPage();
    const hop = await submit({ email: alice.email, password: 'wrong', action: 'login' });
    expect(hop.body).toContain('The email or password is not correct.');
    expect(UserAgent.form(hop.body)?.action).toContain('/account/login');
  });

  it('gives an unknown email the same message as a wrong password', async () => {
    const { submit } = await openLoginPage();
    const hop = await submit({ email: 'nobody@example.com', password: 'whatever-1', action: 'login' });
    expect(hop.body).toContain('The email or password is not correct.');
  });

  it("[#tenant] refuses a user of another tenant for this tenant's client", async () => {
    const { submit } = await openLoginPage();
    const hop = await submit({ email: bob.email, password: bob.password, action: 'login' });
    expect(hop.body).toContain('does not belong to the tenant');
    expect(hop.body).not.toContain('name="code"');
  });

  it('Cancel sends access_denied to the client, with state', async () => {
    const { submit } = await openLoginPage();
    const response = UserAgent.authorizationResponse(await submit({ action: 'cancel' }));
    expect(response.action).toBe(offlineClient.redirectUri);
    expect(response.fields).toMatchObject({ error: 'access_denied', state: 'st' });
  });

  it('completes only in the browser that started the sign-in (no login CSRF)', async () => {
    const { form } = await openLoginPage();
    const otherBrowser = new UserAgent();
    const hop = await otherBrowser.navigate(form.action, {
      form: { ...form.fields, email: alice.email, password: alice.password, action: 'login' },
    });
    expect(hop.response.status).toBe(400);
    expect(hop.body).toContain('another browser');
    expect(hop.body).not.toContain('name="code"');
  });

  it('cannot be completed twice', async () => {
    const { submit } = await openLoginPage();
    await submit({ email: alice.email, password: alice.password, action: 'login' });
    const replay = await submit({ email: alice.email, password: alice.password, action: 'login' });
    expect(replay.response.status).toBe(400);
  });

  it('expires after ten minutes', async () => {
    const { submit } = await openLoginPage();
    idp.clock.advance(601);
    const hop = await submit({ email: alice.email, password: alice.password, action: 'login' });
    expect(hop.response.status).toBe(400);
    expect(hop.body).toContain('expired');
  });

  it('a forged or altered ticket gets a readable page', async () => {
    const { form } = await openLoginPage();
    const altered = `${form.fields.ticket?.slice(0, -4)}AAAA`;
    for (const ticket of ['nope', altered]) {
      const hop = await new UserAgent().request(
        `${idp.issuer}/account/login?${new URLSearchParams({ ticket })}`,
      );
      expect(hop.response.status).toBe(400);
    }
    const hop = await new UserAgent().request(`${idp.issuer}/account/login?ticket=nope`);
    expect(hop.response.status).toBe(400);
    expect(hop.response.headers.get('content-type')).toMatch(/text\/html/);
  });
});

describe('single-sign-on session cookie', () => {
  it('is replaced by a new session at every sign-in (no session fixation)', async () => {
    const { agent, submit } = await openLoginPage();
    const hop = await submit({ email: alice.email, password: alice.password, action: 'login' });
    expect(hop.response.status).toBe(200);
    const first = agent.cookie(idp.issuer, 'mockidp_session');
    expect(first).toBeTruthy();

    const again = await agent.signIn(authorizationUrl(idp, offlineClient, { prompt: 'login' }), alice);
    expect(again.loginShown).toBe(true);
    const second = agent.cookie(idp.issuer, 'mockidp_session');
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    expect(idp.context.store.sessions.get(first as string)).toBeUndefined();
  });

  it('[#authorization-response-framing] sets the interaction cookie SameSite=Lax and the session cookie SameSite=None; Secure (IdentityServer4), both HttpOnly on the identity path', async () => {
    const agent = new UserAgent();
    const start = await agent.request(authorizationUrl(idp, offlineClient));
    const interactionCookie = start.response.headers.getSetCookie()[0] as string;
    expect(interactionCookie).toMatch(/HttpOnly/);
    expect(interactionCookie).toMatch(/SameSite=Lax/);
    expect(interactionCookie).toMatch(/Path=\/identity/);
    const login = UserAgent.form(
      (await agent.navigate(start.response.headers.get('location') as string)).body,
    );
    if (!login) throw new Error('no login form');
    const response = await fetch(login.action, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...(agent.cookies.get(new URL(idp.issuer).host) ?? [])]
          .map(([k, v]) => `${k}=${v}`)
          .join('; '),
      },
      body: new URLSearchParams({
        ...login.fields,
        email: alice.email,
        password: alice.password,
        action: 'login',
      }),
    });
    const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith('mockidp_session='));
    expect(session).toMatch(/HttpOnly/);
    // On a loopback address browsers take Secure over http; silent renew needs the session in a third-party frame.
    expect(session).toMatch(/SameSite=None/);
    expect(session).toMatch(/Secure/);
    expect(session).toMatch(/Path=\/identity/);
  });
});

describe('password guessing is slowed (ASP.NET Core Identity: 5 failures, 5 minutes)', () => {
  let own: TestIdp;
  beforeAll(async () => {
    own = await startTestIdp();
  });
  afterAll(() => own.dispose());

  /** Opens a login form; the returned function submits it. */
  async function loginForm() {
    const agent = new UserAgent();
    const page = await agent.navigate(authorizationUrl(own, offlineClient));
    const form = UserAgent.form(page.body);
    if (!form) throw new Error('no login form');
    return (email: string, password: string) =>
      agent.navigate(form.action, { form: { ...form.fields, email, password, action: 'login' } });
  }
  const attempt = async (email: string, password: string) => (await loginForm())(email, password);

  it('[#password-guessing] locks an account for five minutes after five wrong passwords, the right one included, then lets it in', async () => {
    for (let failure = 0; failure < 5; failure += 1) {
      expect((await attempt(dave.email, 'wrong-password')).body).toContain(
        'The email or password is not correct.',
      );
    }
    const locked = await attempt(dave.email, dave.password);
    expect(locked.response.status).toBe(429);
    expect(locked.response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(locked.body).toContain('Too many failed sign-ins');
    expect(UserAgent.form(locked.body)?.fields.code).toBeUndefined();
    own.clock.advance(5 * 60);
    const after = await attempt(dave.email, dave.password);
    expect(UserAgent.authorizationResponse(after).fields.code).toEqual(expect.any(String));
  });

  it('[#password-guessing] answers an unknown email exactly as a known one, locked included (no user enumeration)', async () => {
    const answers = async (email: string) => {
      const seen: string[] = [];
      for (let failure = 0; failure < 6; failure += 1) {
        const hop = await attempt(email, 'wrong-password');
        seen.push(`${hop.response.status} ${/role="alert">([^<]*)</.exec(hop.body)?.[1]}`);
      }
      return seen;
    };
    expect(await answers('nobody-at-all@example.com')).toEqual(await answers(bob.email));
  });

  /** Password checks started by the spec itself, all at once; each settles as "checked" or "busy". */
  const checksAtOnce = (count: number) =>
    Array.from({ length: count }, () =>
      verifyPassword('wrong-password', unknownUserHash).then(
        () => 'checked',
        (error: unknown) => (error instanceof PasswordChecksBusy ? 'busy' : `failed: ${error}`),
      ),
    );

  it(`[#password-guessing] lets ${maxWaitingChecks} password checks wait and refuses the ones beyond at once`, async () => {
    // One runs and maxWaitingChecks wait; the twenty made in the same moment after them are refused, not queued.
    const outcomes = await Promise.all(checksAtOnce(passwordChecksAtOnce + maxWaitingChecks + 20));
    expect(outcomes.filter((outcome) => outcome === 'busy')).toHaveLength(20);
    expect(outcomes.filter((outcome) => outcome === 'checked')).toHaveLength(
      passwordChecksAtOnce + maxWaitingChecks,
    );
  });

  it('[#password-guessing] answers 429 with a "busy" page to sign-ins that arrive while the checks are full, instead of queueing', async () => {
    const forms = [];
    for (let index = 0; index < 40; index += 1) forms.push(await loginForm());
    // The spec keeps the waiting line full (it refills it on every turn of the event loop) while the forms are
    // posted, so a sign-in can only join it in the moment after a check has finished; most are refused at once.
    const held: Promise<string>[] = [];
    let holding = true;
    const refill = () => {
      if (!holding) return;
      held.push(...checksAtOnce(maxWaitingChecks + 1));
      setImmediate(refill);
    };
    refill();
    const answers = await Promise.all(
      forms.map((submit, index) => submit(`flood-${index}@example.com`, 'wrong-password')),
    ).finally(() => {
      holding = false;
    });
    await Promise.all(held);
    const busy = answers.filter((hop) => hop.response.status === 429);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]?.body).toContain('busy');
    expect(busy[0]?.response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(answers.every((hop) => hop.response.status === 200 || hop.response.status === 429)).toBe(true);
  });
});

describe('nothing is kept for a caller who has not signed in', () => {
  it('[#sign-in-stateless] stores and writes nothing for 200 sign-ins started and left unfinished, from 200 browsers', async () => {
    await idp.flush();
    const { store } = idp.context;
    const tables = () => ({
      sessions: store.sessions.size,
      codes: store.codes.size,
      grants: store.grants.size,
    });
    const before = tables();
    const journal = join(idp.dataDir, 'state.journal');
    const journalBefore = (await stat(journal)).size;
    for (let caller = 0; caller < 200; caller += 1) {
      const hop = await new UserAgent().request(authorizationUrl(idp, offlineClient));
      expect(hop.response.headers.get('location')).toContain('/account/login?ticket=');
    }
    await idp.flush();
    expect(tables()).toEqual(before);
    expect((await stat(journal)).size).toBe(journalBefore);
  });

  it('[#sign-in-stateless] sets one browser cookie however many sign-ins a page starts, and every tab can still complete', async () => {
    const agent = new UserAgent();
    const pages = [];
    for (let tab = 0; tab < 5; tab += 1)
      pages.push(await agent.navigate(authorizationUrl(idp, offlineClient)));
    expect([...(agent.cookies.get(new URL(idp.origin).host)?.keys() ?? [])]).toEqual(['mockidp_browser']);
    for (const page of pages) {
      const form = UserAgent.form(page.body);
      if (!form) throw new Error('no login form');
      const hop = await agent.navigate(form.action, {
        form: { ...form.fields, email: alice.email, password: alice.password, action: 'login' },
      });
      expect(UserAgent.authorizationResponse(hop).fields.code).toEqual(expect.any(String));
    }
  });
});

describe('the lockout cannot be pushed out of memory', () => {
  it('[#password-guessing] keeps a locked account locked through failures on 100,000 other emails', () => {
    // A clock that stands still: the lock's length is then exact.
    const guessing = new PasswordGuessing(new AdjustableClock({ now: () => 1_000_000 }));
    for (let attempt = 0; attempt < maxFailedAttempts; attempt += 1) guessing.failed(alice.email);
    expect(guessing.lockedFor(alice.email)).toBe(lockoutMs);
    for (let other = 0; other <= maxTrackedAccounts; other += 1)
      guessing.failed(`someone-${other}@example.com`);
    expect(guessing.lockedFor(alice.email)).toBe(lockoutMs);
  });
});
