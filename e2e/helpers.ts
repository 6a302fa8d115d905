// Fixtures and helpers for the e2e specs. Use `test` and `expect` from here, not from @playwright/test:
//
//   import { test, expect, appUrl } from './helpers';
//   test('trains', async ({ page, backend }) => {
//     await page.goto(appUrl('#/sine'));            // '/?backend=<this project's backend>#/sine'
//     await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', backend);
//   });
//
// Every test fails if the page (or a worker it starts) logs a console error or throws an uncaught
// exception. To tolerate a known message, allow it explicitly and say why:
//   test.use({ allowedConsoleErrors: [/some expected message/] });
import { test as base, expect, type ConsoleMessage } from '@playwright/test';
import type { Browser, Locator, Page } from '@playwright/test';
import { buildAppUrl, traceMainThreadTasks, type Backend } from './browser';

export { expect };
export {
  BACKENDS,
  SUB_PATH,
  buildAppUrl,
  installLongTaskObserver,
  longTaskStats,
  longestMainThreadTask,
  resetLongTaskStats,
  traceMainThreadTasks,
  type Backend,
} from './browser';

export interface AppOptions {
  /** The tfjs backend the app is asked for (`?backend=`): set per project in playwright.config.ts. */
  backend: Backend;
  /** Console errors / page errors that do not fail the test (substring or RegExp). Empty by default. */
  allowedConsoleErrors: (string | RegExp)[];
}

interface AppFixtures {
  /** Console errors and uncaught exceptions seen so far in this test (allowed ones excluded). */
  consoleErrors: string[];
}

let currentBackend: Backend | undefined;

/**
 * Path of the app for a hash route, with `?backend=` of the running project (or `opts.backend`;
 * `null` leaves the parameter out), at the site root or with `subPath: true` under
 * /meta-learning-playground/. Playwright resolves it against baseURL.
 */
export function appUrl(hashRoute = '', opts: { backend?: Backend | null; subPath?: boolean } = {}): string {
  const backend = opts.backend === undefined ? currentBackend : opts.backend;
  return buildAppUrl(hashRoute, { backend, subPath: opts.subPath });
}

const isAllowed = (text: string, allow: readonly (string | RegExp)[]) =>
  allow.some((a) => (typeof a === 'string' ? text.includes(a) : a.test(text)));

function describeConsole(msg: ConsoleMessage): string {
  const loc = msg.location();
  const where = loc.url ? ` (${loc.url}:${loc.lineNumber}:${loc.columnNumber})` : '';
  return `console.${msg.type()}: ${msg.text()}${where}`;
}

export const test = base.extend<AppOptions & AppFixtures>({
  backend: ['cpu', { option: true }],
  allowedConsoleErrors: [[], { option: true }],

  consoleErrors: [
    async ({ context, backend, allowedConsoleErrors }, use, testInfo) => {
      currentBackend = backend;
      const errors: string[] = [];
      const record = (text: string) => {
        if (!isAllowed(text, allowedConsoleErrors)) errors.push(text);
      };
      const onConsole = (msg: ConsoleMessage) => {
        if (msg.type() === 'error' || msg.type() === 'assert') record(describeConsole(msg));
      };
      // Context-level events cover every page of the test and the workers those pages start.
      context.on('console', onConsole);
      context.on('weberror', (e) => record(`uncaught: ${e.error().stack ?? e.error().message}`));
      context.on('page', (page) => page.on('crash', () => record(`page crashed: ${page.url()}`)));

      await use(errors);

      currentBackend = undefined;
      if (errors.length > 0) {
        await testInfo.attach('console-errors.txt', { body: errors.join('\n\n'), contentType: 'text/plain' });
        throw new Error(`${errors.length} console error(s) / uncaught exception(s) during the test:\n  ${errors.join('\n  ')}`);
      }
    },
    { auto: true },
  ],
});

/**
 * Presses play, polls the lab until its step counter reaches `minSteps` (collecting every finite
 * positive loss `readLoss` shows on the way), presses pause, all under a main-thread trace. Returns
 * the losses seen and the trace's task statistics, for the "loss falls, page stays responsive" tests.
 */
export async function playWhileTracing(
  browser: Browser,
  page: Page,
  o: { readLoss: () => Promise<number>; readStep: () => Promise<number>; minSteps: number; timeout: number; interval: number },
): Promise<{ seen: number[]; tasks: Awaited<ReturnType<typeof traceMainThreadTasks>> }> {
  const seen: number[] = [];
  const tasks = await traceMainThreadTasks(browser, page, async () => {
    await page.getByTestId('play').click();
    await expect
      .poll(
        async () => {
          const v = await o.readLoss();
          if (Number.isFinite(v) && v > 0) seen.push(v);
          return o.readStep();
        },
        { timeout: o.timeout, intervals: [o.interval] },
      )
      .toBeGreaterThanOrEqual(o.minSteps);
    await page.getByTestId('pause').click();
  });
  return { seen, tasks };
}

/**
 * Draws a polyline on the lab's drawing pad with the mouse (points as fractions of the pad's size),
 * one stroke. The pad is scrolled to the centre first, so the sticky toolbar does not cover its top.
 */
export async function drawStroke(page: Page, points: [number, number][]): Promise<void> {
  const pad = page.getByTestId('drawing-pad');
  await pad.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const box = (await pad.boundingBox())!;
  const at = ([x, y]: [number, number]): [number, number] => [box.x + x * box.width, box.y + y * box.height];
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 8 });
  await page.mouse.up();
}

/**
 * Runs every gradient check of the Diagnostics page (opened on the backend under test) and expects
 * them all to pass; returns the summary, for a test's own further checks.
 */
export async function expectGradientChecksPass(page: Page, timeout: number): Promise<Locator> {
  await page.getByTestId('diagnostics-run').click();
  const summary = page.getByTestId('gradcheck-summary');
  await expect(summary).toBeVisible({ timeout });
  const failing = await page.locator('[data-testid=gradcheck-row][data-ok=false]').allTextContents();
  expect(failing, failing.join('\n')).toEqual([]);
  await expect(summary).toHaveAttribute('data-ok', 'true');
  return summary;
}
