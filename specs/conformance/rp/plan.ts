/**
 * Runs the relying-party plan against a hybrid-client web app, with nothing added to the app: for each module, the
 * mock's scenarios are set for the app's client, a fresh Chromium context signs in through the app's sign-in URL
 * and the mock's login page, and the module is judged on the evidence: whether the signed-in URL answers 2xx, what
 * the mock's request log says the app did, and what the app's page showed.
 */
import type { Browser, BrowserContext, Page, Response } from '@playwright/test';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../../../harness/chromium.ts';
import type { LoggedRequest, MockIdpControls } from '../../../mock-idp/src/index.ts';
import { mockIdpControls } from '../../../mock-idp/src/index.ts';
import { type Evidence, moduleSources, type RpModule, rpModules } from './modules.ts';

export interface RpSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  signInUrl: string;
  signedInUrl: string;
  user: string;
  password: string;
  refreshUrl?: string | undefined;
  signOutUrl?: string | undefined;
  /** Only the modules whose names match (a glob: * for any characters). */
  modules?: string | undefined;
  /** How long the app may take to answer a sign-in, in seconds. */
  timeLimitSeconds: number;
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

export class PreCheckFailed extends Error {}

const stackTracePattern = /\n\s*at [\w$.<>[\] ]+ \(?[^)\s]+:\d+:\d+\)?|node_modules\//;

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

export async function runRpPlan(
  settings: RpSettings,
  onResult: (result: ModuleResult) => void = () => {},
): Promise<ModuleResult[]> {
  const controls = mockIdpControls(new URL(settings.issuer).origin);
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const run = new PlanRun(settings, controls, browser);
    await run.preChecks();
    const wanted = settings.modules ? globToRegExp(settings.modules) : null;
    const results: ModuleResult[] = [];
    for (const module of rpModules) {
      if (wanted && !wanted.test(module.name)) continue;
      const result = await run.module(module);
      results.push(result);
      onResult(result);
    }
    return results;
  } finally {
    await controls.scenarios.clearAll(settings.clientId).catch(() => {});
    await browser.close();
  }
}

class PlanRun {
  readonly #authorizationEndpoint: string;

  constructor(
    private readonly settings: RpSettings,
    private readonly controls: MockIdpControls,
    private readonly browser: Browser,
  ) {
    this.#authorizationEndpoint = `${settings.issuer.replace(/\/$/, '')}/connect/authorize`;
  }

  /**
   * A fresh browser: no cookies, no cache. Stylesheets, images and fonts are not fetched: no verdict depends on
   * them, and a page waits for its stylesheets before it counts as loaded.
   */
  async #newContext(): Promise<BrowserContext> {
    const context = await this.browser.newContext();
    await context.route(/\.(css|png|jpe?g|svg|ico|woff2?)(\?.*)?$/, (route) => route.abort());
    return context;
  }

  /** Before any module: the test controls answer, the app is there and sends its client here, nobody is signed in. */
  async preChecks(): Promise<void> {
    const { settings } = this;
    await this.controls.scenarios.list(settings.clientId).catch((error: Error) => {
      throw new PreCheckFailed(
        `the mock at ${settings.issuer} does not answer its test controls (${error.message}): start it with --test-controls, or use --start-mock`,
      );
    });
    const started = await fetch(settings.signInUrl, { redirect: 'manual' }).catch((error: Error) => {
      throw new PreCheckFailed(
        `the app does not answer at --sign-in-url ${settings.signInUrl} (${error.message})`,
      );
    });
    const location = started.headers.get('location');
    const target = location ? new URL(location, settings.signInUrl) : null;
    if (!target || `${target.origin}${target.pathname}` !== this.#authorizationEndpoint) {
      throw new PreCheckFailed(
        `--sign-in-url ${settings.signInUrl} answered ${started.status}${location ? ` to ${location}` : ''}, not a redirect to ${this.#authorizationEndpoint}: check the app's issuer setting`,
      );
    }
    if (target.searchParams.get('client_id')?.toLowerCase() !== settings.clientId.toLowerCase()) {
      throw new PreCheckFailed(
        `the app signs in with client ${target.searchParams.get('client_id')}, not --client-id ${settings.clientId}`,
      );
    }
    const context = await this.#newContext();
    try {
      if (await this.#signedIn(context)) {
        throw new PreCheckFailed(
          `--signed-in-url ${settings.signedInUrl} answers 2xx to a browser that never signed in: give a URL that needs a session`,
        );
      }
    } finally {
      await context.close();
    }
  }

  async module(module: RpModule): Promise<ModuleResult> {
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
    if (module.flow === 'refresh' && !this.settings.refreshUrl)
      return result('not-run', 'give --refresh-url to run the refresh modules', null);
    if (module.flow === 'sign-out' && !this.settings.signOutUrl)
      return result('not-run', 'give --sign-out-url to run the sign-out module', null);
    await this.controls.scenarios.clearAll(this.settings.clientId);
    const context = await this.#newContext();
    try {
      const evidence = await this.#drive(module, context);
      const failure = judge(module, evidence);
      if (failure === null) return result('pass', null, evidence);
      return result(module.advisory ? 'advisory' : 'fail', failure, evidence);
    } catch (error) {
      const message = (error as Error).message.split('\n')[0] ?? String(error);
      if (error instanceof NotApplicable) return result('not-run', message, null);
      return result(module.advisory ? 'advisory' : 'fail', message, null);
    } finally {
      await this.controls.scenarios.clearAll(this.settings.clientId);
      await context.close();
    }
  }

  async #setScenarios(module: RpModule): Promise<void> {
    for (const { name, options } of module.scenarios) {
      await this.controls.scenarios
        .set({
          clientId: this.settings.clientId,
          name,
          ...(options?.seconds !== undefined && { seconds: options.seconds }),
          ...(options?.clientSecret && { clientSecret: this.settings.clientSecret }),
        })
        .catch((error: Error & { status?: number }) => {
          if (error.status === 409)
            throw new NotApplicable(`the mock cannot set ${name} now: ${error.message}`);
          throw error;
        });
    }
  }

  async #drive(module: RpModule, context: BrowserContext): Promise<Evidence> {
    const since = await this.#lastSeq();
    if (module.flow === 'sign-in') {
      await this.#setScenarios(module);
      const signIn = await this.#signIn(context);
      const log = await this.#log(since);
      const evidence = { ...signIn, signedIn: await this.#signedIn(context), ...fromLog(log) };
      if (module.verdict === 'recover') {
        await this.controls.scenarios.clearAll(this.settings.clientId);
        const again = await this.#newContext();
        try {
          await this.#signIn(again);
          return { ...evidence, recovered: await this.#signedIn(again) };
        } finally {
          await again.close();
        }
      }
      return evidence;
    }
    // Refresh and sign-out start signed in.
    const signIn = await this.#signIn(context);
    if (!(await this.#signedIn(context))) {
      throw new Error(`the app did not sign in before the ${module.flow} (landed on ${signIn.landed?.url})`);
    }
    await this.#setScenarios(module);
    const before = await this.#lastSeq();
    const page = context.pages()[0] as Page;
    const action = (
      module.flow === 'refresh' ? this.settings.refreshUrl : this.settings.signOutUrl
    ) as string;
    const answer = await this.#submitForm(page, action);
    const log = await this.#log(before);
    const evidence: Evidence = {
      ...signIn,
      ...fromLog(await this.#log(since)),
      signedIn: await this.#signedIn(context),
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

  /** Signs in through the app and the mock's login page, as a person would; what the browser saw. */
  async #signIn(context: BrowserContext) {
    const page = context.pages()[0] ?? (await context.newPage());
    const mock = new URL(this.settings.issuer).origin;
    let authorizationRequest: URLSearchParams | null = null;
    let last: Response | null = null;
    page.on('request', (request) => {
      if (request.url().startsWith(this.#authorizationEndpoint) && !authorizationRequest)
        authorizationRequest = new URL(request.url()).searchParams;
    });
    page.on('response', (response) => {
      if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) last = response;
    });
    await page.goto(this.settings.signInUrl, { waitUntil: 'domcontentloaded' });
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
        { user: this.settings.user, password: this.settings.password },
      );
    }
    const limit = this.settings.timeLimitSeconds * 1000;
    const answered = await page
      .waitForURL((url) => url.origin !== mock, { timeout: limit, waitUntil: 'domcontentloaded' })
      .then(() => true)
      .catch(() => false);
    const landed = last as Response | null;
    return {
      authorizationRequest: authorizationRequest as URLSearchParams | null,
      landed: { url: page.url(), status: answered ? (landed?.status() ?? null) : null },
      answeredInMs: answered ? Math.round(performance.now() - startedAt) : null,
      stackTrace: stackTracePattern.test(await page.content().catch(() => '')),
    };
  }

  /** Submits the signed-in page's form that posts to `action` (so it carries the app's own CSRF token). */
  async #submitForm(page: Page, action: string): Promise<number | null> {
    await page.goto(this.settings.signedInUrl, { waitUntil: 'domcontentloaded' });
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

  async #signedIn(context: BrowserContext): Promise<boolean> {
    const response = await context.request.get(this.settings.signedInUrl, { maxRedirects: 0 });
    return response.status() >= 200 && response.status() < 300;
  }

  async #lastSeq(): Promise<number> {
    return (await this.controls.requests.list()).at(-1)?.seq ?? 0;
  }

  #log(after: number): Promise<LoggedRequest[]> {
    return this.controls.requests.list({ clientId: this.settings.clientId, after });
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
        if (evidence.signedIn) return 'the app accepted it: the signed-in URL answers 2xx';
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
        return evidence.signedIn ? 'the app accepted it: the signed-in URL answers 2xx' : null;
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
