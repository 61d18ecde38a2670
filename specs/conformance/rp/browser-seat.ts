/**
 * One worker's browser for the relying-party plan: a Chromium context and its page, kept from module to module and
 * made as new between them. A new context costs Chromium new renderer processes, and the plan is bound by the
 * machine's CPU: measured on the whole plan against the sample app here (with plan.ts's browser flags), a new
 * context per module took 86 s, one per worker reset like this 30 s.
 */
import type { Browser, BrowserContext, CDPSession, Page } from '@playwright/test';

export class BrowserSeat {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly devtools: CDPSession,
    private readonly origins: string[],
  ) {}

  /** `origins`: the app's and the identity server's, whose cookies, storage and cache each reset clears. */
  static async open(browser: Browser, origins: string[]): Promise<BrowserSeat> {
    const context = await browser.newContext();
    // No verdict depends on stylesheets, images or fonts, and a page waits for its stylesheets before it counts
    // as loaded.
    await context.route(/\.(css|png|jpe?g|svg|ico|woff2?)(\?.*)?$/, (route) => route.abort());
    const page = await context.newPage();
    return new BrowserSeat(context, page, await context.newCDPSession(page), [...new Set(origins)]);
  }

  /**
   * As a new context would be for the app and the identity server: no other page, and no cookies, storage, service
   * workers or cached responses. The page stays where it is (a blank page between two modules cost a process swap,
   * 150 to 300 ms here): the next module starts with a navigation of its own.
   */
  async reset(): Promise<void> {
    for (const other of this.context.pages()) if (other !== this.page) await other.close();
    await this.context.clearCookies();
    for (const origin of this.origins)
      await this.devtools.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
    await this.devtools.send('Network.clearBrowserCache');
  }

  /** Whether `url` answers 2xx to this browser (its cookies; redirects not followed). */
  async answers2xx(url: string): Promise<boolean> {
    const response = await this.context.request.get(url, { maxRedirects: 0 });
    return response.status() >= 200 && response.status() < 300;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => {});
  }
}
