// Accessibility of every lab, on the production build: axe-core finds no serious or critical
// violation on any lab as it loads (no training), in presentation mode and in Persian; the skip
// link is the first thing the keyboard reaches; no equation needs sideways scrolling.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, appUrl } from './helpers';

test.skip(({ backend }) => backend !== 'cpu', 'accessibility does not depend on the backend: checked once, on cpu');

const LABS = ['#/sine', '#/characters', '#/memory', '#/metric', '#/metric?view=zeroshot', '#/landscape', '#/diagnostics'];

/** The app at a lab, with extra query parameters (`lang`, `present`) before the hash. */
function labUrl(route: string, extra: Record<string, string> = {}): string {
  const url = appUrl(route);
  const [path, hash] = url.split('#');
  const query = new URLSearchParams(extra).toString();
  return `${path}${query ? `${path.includes('?') ? '&' : '?'}${query}` : ''}#${hash}`;
}

/** Opens a lab and waits until its page (loaded on demand) and, where it has one, its toolbar's backend are shown. */
async function open(page: Page, route: string, extra: Record<string, string> = {}) {
  await page.goto(labUrl(route, extra));
  await expect(page.locator('main .card').first()).toBeVisible({ timeout: 60_000 });
  const badge = page.getByTestId('backend-badge');
  if (await badge.count()) await expect(badge.first()).toHaveAttribute('data-backend', /./, { timeout: 90_000 });
}

/** Serious and critical violations, one line each with the offending elements, so a failure names them. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1] ?? ''}`).join(' | ')}`);
}

/** Equations whose rendering is wider than their box (they would need sideways scrolling). */
const overflowingEquations = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.equation')]
      .filter((e) => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
      .map((e) => `${e.scrollWidth} > ${e.clientWidth}: ${e.textContent?.slice(0, 60)}`),
  );

for (const route of LABS) {
  test(`axe: no serious or critical violations on ${route}`, async ({ page }) => {
    await open(page, route);
    expect(await seriousViolations(page)).toEqual([]);
  });
}

for (const route of ['#/sine', '#/metric', '#/memory']) {
  test(`axe: presentation mode and Persian on ${route}; equations fit at 1280×720 and 420 px`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await open(page, route, { present: '1' });
    await expect(page.locator('html')).toHaveClass(/presentation/);
    expect(await seriousViolations(page)).toEqual([]);
    await expect.poll(() => overflowingEquations(page)).toEqual([]);
    await page.getByTestId('language').selectOption('fa');
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 420, height: 900 });
    await expect.poll(() => overflowingEquations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
  });
}

test('the skip link is the first focusable element and moves focus to the lab', async ({ page }) => {
  await open(page, '#/sine');
  await page.keyboard.press('Tab');
  const skip = page.getByTestId('skip-link');
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  await expect(page).toHaveURL(/#\/sine/);
});

test('presentation mode at 1280×720: the chrome is one line, and the other labs unfold from it', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page, '#/sine', { present: '1' });
  const links = page.locator('.app-header nav a');
  for (const lang of ['en', 'zh', 'fa']) {
    await page.getByTestId('language').selectOption(lang);
    const header = await page.locator('.app-header').boundingBox();
    expect(header!.height, `header height in ${lang}`).toBeLessThanOrEqual(48);
  }
  await expect(links.filter({ visible: true })).toHaveCount(1);
  await expect(links.filter({ visible: true })).toHaveAttribute('aria-current', 'page');
  await page.getByTestId('nav-toggle').click();
  await expect(page.getByTestId('nav-toggle')).toHaveAttribute('aria-expanded', 'true');
  await expect(links.filter({ visible: true })).toHaveCount(await links.count());
  await page.getByTestId('nav-toggle').click();
  await expect(links.filter({ visible: true })).toHaveCount(1);
});
