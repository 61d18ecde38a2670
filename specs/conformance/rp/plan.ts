/**
 * Runs the relying-party plan against a hybrid-client web app, with nothing added to the app: for each module, the
 * mock's scenarios are set for the app's client, a fresh Chromium context signs in through the app's sign-in URL
 * and the mock's login page, and the module is judged on the evidence: whether the signed-in URL answers 2xx, what
 * the mock's request log says the app did, and what the app's page showed.
 */
import { randomBytes } from 'node:crypto';
import type { LaunchOptions, Page, Request, Response } from '@playwright/test';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../../../harness/chromium.ts';
import type { LoggedRequest, MockIdpControls } from '../../../mock-idp/src/index.ts';
import { mockIdpControls } from '../../../mock-idp/src/index.ts';
import { checkClientCredentials, checkDiscovery, PreflightFailed } from '../preflight.ts';
import { type AppUnderTest, nativeApp, stackTracePattern, webApp } from './app-under-test.ts';
import { BrowserSeat } from './browser-seat.ts';
import { type Evidence, moduleSources, type RpModule, rpModules } from './modules.ts';

export interface RpSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  signInUrl: string;
  /** A web app: a URL that answers 2xx to a signed-in browser only. */
  signedInUrl?: string | undefined;
  /**
   * A native app instead: the command that signs in once through the browser at signInUrl (its loopback listener)
   * and exits 0 when it holds the sign-in; run once per sign-in.
   */
  appCommand?: string | undefined;
  user: string;
  password: string;
  refreshUrl?: string | undefined;
  signOutUrl?: string | undefined;
  /** Only the modules whose names match (a glob: * for any characters). */
  modules?: string | undefined;
  /** How long the app may take to answer a sign-in, in seconds. */
  timeLimitSeconds: number;
  /** How many modules run side by side, each signed in as its own user. */
  workers: number;
}

export type Outcome = 'pass' | 'fail' | 'advisory' | 'not-run';

export interface ModuleResult {
  module: RpModule;
  outcome: Outcome;
  /** Why it failed, is advisory, or was not run. */
  reason: string | null;
  evidence: Evidence | null;
  references: { title: string; url: string }[];
  why: string;
  ms: number;
}

const globToRegExp = (glob: string) =>
  new RegExp(
    `^(?:${glob
      .split(',')
      .map((one) =>
        one
          .trim()
          .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
          .replaceAll('*', '.*'),
      )
      .join('|')})$`,
  );

/** Who a worker signs in as: the user of the settings, or one the run made for a second worker. */
interface PlanUser {
  id: string;
  email: string;
  password: string;
}

/** A worker runs one module at a time, in its own browser, signed in as its own user. */
interface Worker {
  user: PlanUser;
  seat: BrowserSeat;
}

/**
 * The kit's Chromium, keeping the app and the identity server (two sites) in the renderer processes it has: with
 * site isolation, each redirect of a sign-in between them swapped processes. Measured on the whole plan against the
 * sample app here, two workers: 67 s and 136 s of machine CPU without these flags, 30 s and 61 s with them.
 */
function planBrowserOptions(): LaunchOptions {
  const options = chromiumLaunchOptions();
  return {
    ...options,
    args: [
      ...(options.args ?? []),
      '--disable-site-isolation-trials',
      '--disable-features=IsolateOrigins,site-per-process',
      '--renderer-process-limit=2',
    ],
  };
}

/**
 * Runs the plan: the pre-checks, then the modules that must run alone, one after another, then the others side by
 * side, `workers` at a time, each worker signed in as its own user with its scenarios set for that user only (the
 * first worker as the settings' user; the others as users the run creates like it, and deletes at the end). Results
 * come back in the plan's order. Aborting closes the browser: the run ends at once, and still clears its scenarios
 * and deletes its users.
 */
export async function runRpPlan(
  settings: RpSettings,
  onResult: (result: ModuleResult) => void = () => {},
  signal?: AbortSignal,
): Promise<ModuleResult[]> {
  const controls = mockIdpControls(new URL(settings.issuer).origin);
  const browser = await chromium.launch(planBrowserOptions());
  const abort = () => void browser.close();
  signal?.addEventListener('abort', abort, { once: true });
  const madeUsers: string[] = [];
  try {
    const origins = [
      settings.issuer,
      settings.signInUrl,
      settings.signedInUrl,
      settings.refreshUrl,
      settings.signOutUrl,
    ]
      .filter((url): url is string => url !== undefined)
      .map((url) => new URL(url).origin);
    const seat = () => BrowserSeat.open(browser, origins);
    const app = appUnderTest(settings);
    const run = new PlanRun(settings, controls, app);
    const first = { user: await run.preChecks(await seat()), seat: await seat() };
    const wanted = settings.modules ? globToRegExp(settings.modules) : null;
    const chosen = rpModules.filter((module) => !wanted || wanted.test(module.name));
    const results = new Map<RpModule, ModuleResult>();
    const record = (result: ModuleResult) => {
      results.set(result.module, result);
      if (!signal?.aborted) onResult(result);
    };
    for (const module of chosen.filter((module) => module.alone)) record(await run.module(module, first));
    // The longest first (a recover module signs in twice, a refresh module signs in and then refreshes): none is
    // left to run alone at the end while the other workers wait.
    const length = (module: RpModule) =>
      module.verdict === 'recover' ? 2 : module.flow === 'refresh' ? 1 : 0;
    const queue = chosen.filter((module) => !module.alone).sort((a, b) => length(b) - length(a));
    const workers = [first];
    // A native app listens on the one loopback address its client registers: one sign-in at a time.
    const workerCount = app.kind === 'native app' ? 1 : settings.workers;
    for (let more = 1; more < Math.min(workerCount, queue.length); more += 1) {
      const user = await userLike(controls, first.user);
      madeUsers.push(user.id);
      workers.push({ user, seat: await seat() });
    }
    await Promise.all(
      workers.map(async (worker) => {
        for (let module = queue.shift(); module; module = queue.shift())
          record(await run.module(module, worker));
      }),
    );
    signal?.throwIfAborted();
    return chosen.map((module) => results.get(module) as ModuleResult);
  } finally {
    signal?.removeEventListener('abort', abort);
    await controls.scenarios.clearAll(settings.clientId).catch(() => {});
    for (const id of madeUsers) await controls.users.delete(id).catch(() => {});
    await browser.close();
  }
}

/** A user of the same tenant, roles and claims as `user`, for a second worker. */
async function userLike(controls: MockIdpControls, user: PlanUser): Promise<PlanUser> {
  const model = await controls.users.get(user.id);
  const password = randomBytes(18).toString('base64url');
  const email = `rp-plan-${randomBytes(6).toString('hex')}@${user.email.split('@')[1]}`;
  const made = await controls.users.create({
    email,
    password,
    name: model.name,
    givenName: model.givenName,
    familyName: model.familyName,
    tenantId: model.tenantId,
    roles: model.roles,
    ...(model.claims && { claims: model.claims as Record<string, never> }),
  });
  return { id: made.id, email, password };
}

function appUnderTest(settings: RpSettings): AppUnderTest {
  if (settings.appCommand)
    return nativeApp(settings.appCommand, settings.signInUrl, settings.timeLimitSeconds);
  if (settings.signedInUrl) return webApp(settings.signInUrl, settings.signedInUrl);
  throw new PreflightFailed('give --signed-in-url (a web app) or --app-command (a native app)');
}

class PlanRun {
  /** The issuer given, without a trailing slash. */
  readonly #issuer: string;
  readonly #authorizationEndpoint: string;

  constructor(
    private readonly settings: RpSettings,
    private readonly controls: MockIdpControls,
    private readonly app: AppUnderTest,
  ) {
    this.#issuer = settings.issuer.replace(/\/$/, '');
    this.#authorizationEndpoint = `${this.#issuer}/connect/authorize`;
  }

  /**
   * Before any module: the identity server's discovery names the issuer given (preflight.ts, as in the OP mode),
   * the test controls answer and know the user, the app is there and sends its client here, the client's secret
   * is the one given (a module signs with it), nobody is signed in to begin with, and a plain sign-in works (else
   * no refusal would mean anything).
   */
  async preChecks(seat: BrowserSeat): Promise<PlanUser> {
    const { settings } = this;
    await checkDiscovery(this.#issuer);
    await this.controls.scenarios.list(settings.clientId).catch((error: Error) => {
      throw new PreflightFailed(
        `the mock at ${settings.issuer} does not answer its test controls (${error.message}): start it with --test-controls, or use --start-mock`,
      );
    });
    const start = await this.app.beginSignIn().catch((error: Error) => {
      throw new PreflightFailed(error.message);
    });
    const started = await fetch(start, { redirect: 'manual' })
      .catch((error: Error) => {
        const where = start === settings.signInUrl ? `--sign-in-url ${start}` : start;
        throw new PreflightFailed(`the app does not answer at ${where} (${error.message})`);
      })
      .finally(() => this.app.endSignIn());
    const location = started.headers.get('location');
    const target = location ? new URL(location, start) : null;
    if (!target || `${target.origin}${target.pathname}` !== this.#authorizationEndpoint) {
      throw new PreflightFailed(
        `${start === settings.signInUrl ? '--sign-in-url ' : ''}${start} answered ${started.status}${location ? ` to ${location}` : ''}, not a redirect to ${this.#authorizationEndpoint}: check the app's issuer setting`,
      );
    }
    if (target.searchParams.get('client_id')?.toLowerCase() !== settings.clientId.toLowerCase()) {
      throw new PreflightFailed(
        `the app signs in with client ${target.searchParams.get('client_id')}, not --client-id ${settings.clientId}`,
      );
    }
    await checkClientCredentials(
      this.#issuer,
      {
        id: settings.clientId,
        secret: settings.clientSecret,
        redirectUri: target.searchParams.get('redirect_uri') ?? '',
      },
      null,
    );
    try {
      // A web app's signed-in URL must not answer a browser that never signed in (a native app runs only per sign-in).
      if (this.app.kind === 'web app' && (await this.app.outcome(seat)).signedIn) {
        throw new PreflightFailed(
          `--signed-in-url ${settings.signedInUrl} answers 2xx to a browser that never signed in: give a URL that needs a session`,
        );
      }
      const found = await this.controls.users.findByEmail(settings.user).catch(() => null);
      if (!found) {
        throw new PreflightFailed(
          `the mock has no user ${settings.user}: give --user and --password of a user there`,
        );
      }
      const user = { id: found.id, email: settings.user, password: settings.password };
      const signIn = await this.#signInAndJudge(seat, user);
      if (!signIn.signedIn) {
        throw new PreflightFailed(
          `a plain sign-in as ${user.email} failed: ${this.app.notSignedIn} (the browser ended at ${signIn.landed?.url}${signIn.answeredInMs === null ? ', with no answer in time' : ''}): check --user, --password and the app's settings`,
        );
      }
      return user;
    } finally {
      await seat.close();
    }
  }

  async module(module: RpModule, { user, seat }: Worker): Promise<ModuleResult> {
    const started = performance.now();
    const sources = moduleSources(module);
    const result = (outcome: Outcome, reason: string | null, evidence: Evidence | null): ModuleResult => ({
      module,
      outcome,
      reason,
      evidence,
      ...sources,
      ms: Math.round(performance.now() - started),
    });
    if (module.flow !== 'sign-in' && this.app.kind === 'native app')
      return result(
        'not-run',
        `a native app is judged on its sign-in's exit code: no ${module.flow} to drive`,
        null,
      );
    if (module.flow === 'refresh' && !this.settings.refreshUrl)
      return result('not-run', 'give --refresh-url to run the refresh modules', null);
    if (module.flow === 'sign-out' && !this.settings.signOutUrl)
      return result('not-run', 'give --sign-out-url to run the sign-out module', null);
    const set: string[] = [];
    try {
      await seat.reset();
      const evidence = await this.#drive(module, seat, user, set);
      const failure = judge(module, evidence);
      if (failure === null) return result('pass', null, evidence);
      return result(module.advisory ? 'advisory' : 'fail', failure, evidence);
    } catch (error) {
      const message = (error as Error).message.split('\n')[0] ?? String(error);
      if (error instanceof NotApplicable) return result('not-run', message, null);
      return result(module.advisory ? 'advisory' : 'fail', message, null);
    } finally {
      await this.#clear(set);
    }
  }

  async #clear(scenarioIds: string[]): Promise<void> {
    for (const id of scenarioIds.splice(0)) await this.controls.scenarios.clear(id);
  }

  /** Sets the module's scenarios for this user's sign-ins; their ids go into `set`. */
  async #setScenarios(module: RpModule, user: PlanUser, set: string[]): Promise<void> {
    for (const { name, options } of module.scenarios) {
      const scenario = await this.controls.scenarios
        .set({
          clientId: this.settings.clientId,
          userId: user.id,
          name,
          ...(options?.seconds !== undefined && { seconds: options.seconds }),
          ...(options?.clientSecret && { clientSecret: this.settings.clientSecret }),
        })
        .catch((error: Error & { status?: number }) => {
          if (error.status === 409)
            throw new NotApplicable(`the mock cannot set ${name} now: ${error.message}`);
          throw error;
        });
      set.push(scenario.id);
    }
  }

  async #drive(module: RpModule, seat: BrowserSeat, user: PlanUser, set: string[]): Promise<Evidence> {
    const since = await this.#lastSeq(user);
    if (module.flow === 'sign-in') {
      await this.#setScenarios(module, user, set);
      const signIn = await this.#signInAndJudge(seat, user);
      const evidence = { ...signIn, ...fromLog(await this.#log(user, since)) };
      if (module.verdict === 'recover') {
        await this.#clear(set);
        await seat.reset();
        return { ...evidence, recovered: (await this.#signInAndJudge(seat, user)).signedIn };
      }
      return evidence;
    }
    // Refresh and sign-out (web apps) start signed in.
    const signIn = await this.#signInAndJudge(seat, user);
    if (!signIn.signedIn) {
      throw new Error(`the app did not sign in before the ${module.flow} (landed on ${signIn.landed?.url})`);
    }
    await this.#setScenarios(module, user, set);
    const before = await this.#lastSeq(user);
    const { page } = seat;
    const action = (
      module.flow === 'refresh' ? this.settings.refreshUrl : this.settings.signOutUrl
    ) as string;
    const answer = await this.#submitForm(page, action);
    const log = await this.#log(user, before, module.flow === 'sign-out');
    const evidence: Evidence = {
      ...signIn,
      ...fromLog(await this.#log(user, since)),
      signedIn: (await this.app.outcome(seat)).signedIn,
      stackTrace: signIn.stackTrace || stackTracePattern.test(await page.content()),
    };
    if (module.flow === 'refresh') {
      return {
        ...evidence,
        refresh: {
          attempted: log.some((entry) => entry.endpoint === 'token' && entry.grantType === 'refresh_token'),
          status: answer,
        },
      };
    }
    return {
      ...evidence,
      signOut: {
        revoked: log.some((entry) => entry.endpoint === 'revocation' && entry.status === 200),
        endSession: log.some((entry) => entry.endpoint === 'end_session'),
      },
    };
  }

  /** A sign-in, and whether the app holds it: what the browser saw, and what the app did. */
  async #signInAndJudge(seat: BrowserSeat, user: PlanUser) {
    const start = await this.app.beginSignIn();
    try {
      const signIn = await this.#signIn(seat, user, start);
      const { signedIn, stackTrace } = await this.app.outcome(seat);
      return { ...signIn, signedIn, stackTrace: signIn.stackTrace || stackTrace };
    } finally {
      await this.app.endSignIn();
    }
  }

  /** Signs in through the app and the mock's login page, as a person would; what the browser saw. */
  async #signIn({ page }: BrowserSeat, user: PlanUser, start: string) {
    let authorizationRequest: URLSearchParams | null = null;
    let last: Response | null = null;
    const onRequest = (request: Request) => {
      if (request.url().startsWith(this.#authorizationEndpoint) && !authorizationRequest)
        authorizationRequest = new URL(request.url()).searchParams;
    };
    const onResponse = (response: Response) => {
      if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) last = response;
    };
    // The page outlives the sign-in (browser-seat.ts): its listeners must not.
    page.on('request', onRequest);
    page.on('response', onResponse);
    try {
      return await this.#signInOn(page, user, start, () => ({ authorizationRequest, last }));
    } finally {
      page.off('request', onRequest);
      page.off('response', onResponse);
    }
  }

  async #signInOn(
    page: Page,
    user: PlanUser,
    start: string,
    seen: () => { authorizationRequest: URLSearchParams | null; last: Response | null },
  ) {
    const mock = new URL(this.settings.issuer).origin;
    await page.goto(start, { waitUntil: 'domcontentloaded' });
    let startedAt = performance.now();
    if (new URL(page.url()).origin === mock) {
      startedAt = performance.now();
      // The login page's own form, filled and sent as a person would (its #email, #password and #submit are the
      // Data Hub sign-in page's ids), in one step.
      await page.evaluate(
        ({ user, password }) => {
          // No helper functions in here: this runs in the page, where the bundler's helpers do not exist.
          const email = document.getElementById('email') as HTMLInputElement | null;
          const secret = document.getElementById('password') as HTMLInputElement | null;
          const submit = document.getElementById('submit') as HTMLButtonElement | null;
          if (!email || !secret || !submit) return;
          email.value = user;
          secret.value = password;
          submit.form?.requestSubmit(submit);
        },
        { user: user.email, password: user.password },
      );
    }
    const limit = this.settings.timeLimitSeconds * 1000;
    const answered = await page
      .waitForURL((url) => url.origin !== mock, { timeout: limit, waitUntil: 'domcontentloaded' })
      .then(() => true)
      .catch(() => false);
    const { authorizationRequest, last: landed } = seen();
    return {
      authorizationRequest,
      landed: { url: page.url(), status: answered ? (landed?.status() ?? null) : null },
      answeredInMs: answered ? Math.round(performance.now() - startedAt) : null,
      stackTrace: stackTracePattern.test(await page.content().catch(() => '')),
    };
  }

  /** Submits the signed-in page's form that posts to `action` (so it carries the app's own CSRF token). */
  async #submitForm(page: Page, action: string): Promise<number | null> {
    await page.goto(this.settings.signedInUrl as string, { waitUntil: 'domcontentloaded' });
    const path = new URL(action).pathname;
    const form = page.locator(`form[action="${path}"], form[action="${action}"]`).first();
    if ((await form.count()) === 0)
      throw new Error(`no form on ${this.settings.signedInUrl} posts to ${action}`);
    const navigation = page
      .waitForNavigation({ timeout: this.settings.timeLimitSeconds * 1000 })
      .catch(() => null);
    await form.evaluate((element) => (element as HTMLFormElement).requestSubmit());
    const response = await navigation;
    return response?.status() ?? null;
  }

  /** The last request of this user's sign-ins: what comes after it is this module's (a user is one worker's). */
  async #lastSeq(user: PlanUser): Promise<number> {
    return (await this.#log(user, 0)).at(-1)?.seq ?? 0;
  }

  /**
   * What the app sent the mock for this user's sign-ins after `after`; `anyUser` for the sign-out module (which runs
   * alone): revocation and end-session requests do not say whose sign-in they end.
   */
  #log(user: PlanUser, after: number, anyUser = false): Promise<LoggedRequest[]> {
    return this.controls.requests.list({
      clientId: this.settings.clientId,
      ...(!anyUser && { userId: user.id }),
      after,
    });
  }
}

class NotApplicable extends Error {}

function fromLog(log: LoggedRequest[]) {
  const tokenRequest = log.find(
    (entry) => entry.endpoint === 'token' && entry.grantType === 'authorization_code',
  );
  return {
    codeRedeemed: tokenRequest !== undefined,
    userinfoCalled: log.some((entry) => entry.endpoint === 'userinfo'),
    tokenAuthentication: tokenRequest?.clientAuthentication ?? null,
  };
}

/** Why the module fails on this evidence, or null when it passes. */
export function judge(module: RpModule, evidence: Evidence): string | null {
  if (evidence.stackTrace) return 'the app showed a stack trace';
  const answered = evidence.answeredInMs !== null;
  const verdict = ((): string | null => {
    switch (module.verdict) {
      case 'accept':
        if (module.flow === 'refresh') {
          if (!evidence.refresh?.attempted) return 'the app did not refresh';
          return evidence.signedIn ? null : 'the app was not signed in after the refresh';
        }
        return evidence.signedIn ? null : `the app did not accept the sign-in (${describeLanding(evidence)})`;
      case 'refuse-before-redeem':
        if (evidence.signedIn) return 'the app accepted it: it signed in';
        return evidence.codeRedeemed ? 'the app refused it, but only after it redeemed the code' : null;
      case 'refuse':
        if (module.flow === 'refresh') {
          if (!evidence.refresh?.attempted) return 'the app did not refresh';
          const status = evidence.refresh.status;
          const refusedAnswer = status !== null && status >= 400;
          return refusedAnswer || !evidence.signedIn
            ? null
            : `the app answered the refresh with ${status} and stayed signed in on the refreshed tokens`;
        }
        return evidence.signedIn ? 'the app accepted it: it signed in' : null;
      case 'recover':
        if (!answered) return 'the app did not answer within the time limit';
        return evidence.recovered ? null : 'the next normal sign-in did not work';
      case 'either':
        return answered ? null : 'the app did not answer within the time limit';
    }
  })();
  return verdict ?? module.requires?.(evidence) ?? null;
}

function describeLanding(evidence: Evidence): string {
  if (!evidence.landed || evidence.answeredInMs === null) return 'no answer within the time limit';
  return `it answered ${evidence.landed.status ?? 'nothing'} at ${evidence.landed.url}`;
}
