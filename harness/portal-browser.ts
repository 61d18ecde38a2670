/** The portal in a browser, for the Playwright runs: signing in as the spec tenant's administrator, and layout checks. */
import { expect, type Page } from '@playwright/test';
import { carol } from './test-seed.ts';

export async function signInToPortal(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/portal`);
  await page.getByLabel('Email').fill(carol.email);
  await page.getByLabel('Password').fill(carol.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Clients' })).toBeVisible();
}

/** In the open Add Secret window: a description, then Add. */
export async function addSecretInWindow(page: Page, description: string): Promise<void> {
  const window = page.getByRole('dialog', { name: 'Add Secret' });
  await window.getByLabel('Description').fill(description);
  await window.getByRole('button', { name: 'Add', exact: true }).click();
}

/** The page is no wider than the window: nothing to scroll sideways. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(innerWidth);
}

/** The characters each line of an element ends with, where its text wraps onto a next line. */
export function lineEndings(page: Page, selector: string): Promise<string[]> {
  return page
    .locator(selector)
    .first()
    .evaluate((element) => {
      const endings: string[] = [];
      let lastTop: number | null = null;
      let lastCharacter = '';
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
        for (let index = 0; index < node.length; index += 1) {
          const range = document.createRange();
          range.setStart(node, index);
          range.setEnd(node, index + 1);
          const { top } = range.getBoundingClientRect();
          if (lastTop !== null && top > lastTop + 2) endings.push(lastCharacter);
          lastTop = top;
          lastCharacter = node.data[index] ?? '';
        }
      }
      return endings;
    });
}

/** Presses Tab `times` times; after each press, says whether the focus is inside `selector`. */
export async function focusStaysIn(page: Page, selector: string, times: number): Promise<boolean[]> {
  const inside: boolean[] = [];
  for (let press = 0; press < times; press += 1) {
    await page.keyboard.press(press % 3 === 2 ? 'Shift+Tab' : 'Tab');
    inside.push(await page.evaluate((s) => Boolean(document.activeElement?.closest(s)), selector));
  }
  return inside;
}
