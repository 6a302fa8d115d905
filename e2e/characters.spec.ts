// The characters lab end to end (#/characters), on the production build: the drawing pad, the
// user's own episodes, the synthetic default, Omniglot zips from disk and from a (routed) download,
// and the IndexedDB atlas cache. Pure UI and data work: it runs once, on the cpu project.
import { readFileSync } from 'node:fs';
import { encode } from 'fast-png';
import { zipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { test, expect, appUrl, drawStroke, traceMainThreadTasks } from './helpers';

test.skip(({ backend }) => backend !== 'cpu', 'the characters lab does no tensor work: once is enough');
// No Playwright traces in this file: a trace's DOM snapshots (canvases included) run in the page's
// main thread after every action and would be the very tasks the responsiveness check measures
// (50–120 ms each with tracing on). Failures still leave a screenshot.
test.use({ trace: 'off' });

const OMNIGLOT = '**/*raw.githubusercontent.com/**';

/** A 105×105 1-bit PNG in Omniglot's layout (1 = white paper, 0 = ink) with a bar and a box per character. */
function omniglotPng(character: number, drawer: number): Uint8Array {
  const W = 105;
  const rowBytes = Math.ceil(W / 8);
  const data = new Uint8Array(rowBytes * W).fill(0xff);
  const ink = (i: number, j: number) => {
    data[i * rowBytes + (j >> 3)] &= ~(1 << (7 - (j & 7)));
  };
  const x0 = 20 + ((character * 13) % 40) + drawer;
  const y0 = 25 + ((character * 7) % 30);
  for (let i = y0; i < y0 + 40; i++) for (let j = x0; j < x0 + 6; j++) ink(i, j);
  for (let i = y0; i < y0 + 6; i++) for (let j = x0; j < x0 + 10 + 4 * character; j++) ink(i, Math.min(W - 1, j));
  return encode({ width: W, height: W, data, depth: 1, channels: 1 });
}

/** A tiny zip with Omniglot's layout: <set>/<alphabet>/<character>/<id>_<drawer>.png. */
function omniglotZip(set: 'images_background' | 'images_evaluation', alphabets: string[], characters: number, drawers = 3): Buffer {
  const files: Record<string, Uint8Array> = {};
  alphabets.forEach((a, ai) => {
    for (let c = 1; c <= characters; c++)
      for (let d = 1; d <= drawers; d++) {
        const id = String(ai * 100 + c).padStart(4, '0');
        files[`${set}/${a}/character${String(c).padStart(2, '0')}/${id}_${String(d).padStart(2, '0')}.png`] = omniglotPng(ai * 10 + c, d);
      }
  });
  return Buffer.from(zipSync(files));
}

const BACKGROUND_ZIP = omniglotZip('images_background', ['Testalpha_One', 'Testalpha_Two'], 3);
const EVALUATION_ZIP = omniglotZip('images_evaluation', ['Testalpha_Eval'], 5);

async function openLab(page: Page) {
  await page.goto(appUrl('#/characters'));
  // The synthetic default is generated in the worker; the sampled episode appears when it is there.
  await expect(page.getByTestId('episode-gallery')).toHaveAttribute('data-source', 'synthetic', { timeout: 60_000 });
}

const previewInk = async (page: Page) => Number(await page.getByTestId('drawing-preview').getAttribute('data-ink'));
const notice = (page: Page, text: string | RegExp) => page.getByTestId('notice').filter({ hasText: text });

test('drawing pad: strokes and a live preview, undo and clear; an empty drawing is refused; drawings persist and round-trip a file', async ({ page }) => {
  await openLab(page);
  const pad = page.getByTestId('drawing-pad');

  await page.getByTestId('add-shot').click();
  await expect(notice(page, 'an empty drawing cannot be added as a shot')).toBeVisible();
  await expect(page.getByTestId('my-class')).toHaveCount(0);

  await drawStroke(page, [
    [0.3, 0.25],
    [0.5, 0.5],
    [0.45, 0.8],
  ]);
  await expect(pad).toHaveAttribute('data-strokes', '1');
  expect(Number(await pad.getAttribute('data-points'))).toBeGreaterThan(5);
  await expect.poll(() => previewInk(page)).toBeGreaterThan(10);
  await drawStroke(page, [
    [0.2, 0.6],
    [0.8, 0.6],
  ]);
  await expect(pad).toHaveAttribute('data-strokes', '2');
  await expect(page.getByTestId('drawing-preview')).toHaveAttribute('data-strokes', '2');
  const twoStrokes = await previewInk(page);
  await page.getByTestId('drawing-undo').click();
  await expect(pad).toHaveAttribute('data-strokes', '1');
  await expect.poll(() => previewInk(page)).toBeLessThan(twoStrokes);
  await page.getByTestId('drawing-clear').click();
  await expect(pad).toHaveAttribute('data-strokes', '0');
  await expect.poll(() => previewInk(page)).toBe(0);

  // A shot for a new class "alpha", then a query.
  await drawStroke(page, [
    [0.3, 0.3],
    [0.7, 0.7],
  ]);
  await page.getByTestId('new-class-name').fill('alpha');
  await page.getByTestId('add-shot').click();
  await expect(page.getByTestId('my-class')).toHaveAttribute('data-name', 'alpha');
  await expect(pad).toHaveAttribute('data-strokes', '0');
  await drawStroke(page, [
    [0.3, 0.7],
    [0.7, 0.3],
  ]);
  await page.getByTestId('add-query').click();
  await expect(page.getByTestId('my-class')).toHaveAttribute('data-drawings', '2');
  await expect(page.getByTestId('episode-status')).toHaveAttribute('data-valid', 'true');
  await expect(page.getByTestId('episode-status')).toContainText('1-way 1-shot');

  // Save, refuse a bad file (nothing lost), load the good one (added, not replacing).
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('drawings-save').click()]);
  const text = readFileSync((await download.path())!, 'utf8');
  const saved = JSON.parse(text);
  expect(saved).toMatchObject({ format: 'metaplay-drawings', version: 1, classes: [{ name: 'alpha' }], episodes: [{ classes: [0], support: [[0]], query: [[1]] }] });
  expect(saved.classes[0].drawings[0][0][0]).toEqual({ x: expect.any(Number), y: expect.any(Number), t: 0 });
  await page.getByTestId('drawings-load').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"metaplay-drawings","version":1,"classes":[{"name":"x","drawings":[[[{"x":1}]]]}]}') });
  await expect(notice(page, 'broken.json was not loaded')).toBeVisible();
  await expect(page.getByTestId('my-class')).toHaveCount(1);
  await page.getByTestId('drawings-load').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(notice(page, 'Loaded mine.json')).toBeVisible();
  await expect(page.getByTestId('my-class')).toHaveCount(2);

  // The user's episode as the gallery's source, and everything still there after a reload.
  await page.getByTestId('use-my-drawings').click();
  await expect(page.getByTestId('episode-gallery')).toHaveAttribute('data-source', 'user');
  await expect(page.getByTestId('episode-gallery')).toHaveAttribute('data-nway', '1');
  await page.reload();
  await expect(page.getByTestId('my-class')).toHaveCount(2);
  await expect(page.getByTestId('episode-gallery')).toHaveAttribute('data-source', 'user', { timeout: 60_000 });
  await expect(page.getByTestId('source-stats')).toHaveAttribute('data-alphabets', '1');
});

test.describe('offline', () => {
  // A blocked request is logged by Chromium as a failed resource load; that is the point here.
  test.use({ allowedConsoleErrors: [/Failed to load resource: net::ERR_FAILED/] });

  test('the synthetic default works with the network blocked; "Get Omniglot" and a corrupt zip give clear errors; the page stays responsive', async ({ page, browser }) => {
    await page.route(OMNIGLOT, (r) => r.abort());
    await openLab(page);
    await expect(page.getByTestId('source-stats')).toHaveAttribute('data-alphabets', '30');
    await expect(page.getByTestId('alphabet')).toHaveCount(20);
    await expect(page.getByTestId('episode-class')).toHaveCount(5);

    // Browsing, sampling and parsing are main-thread work: none of it may take 50 ms of the page's
    // thread (CPU time from a Chromium trace; wall time on this shared machine includes descheduling).
    await expect(page.getByTestId('drawer-detail')).toHaveAttribute('data-has-strokes', 'true');
    const tasks = await traceMainThreadTasks(browser, page, async () => {
      await page.getByTestId('alphabet').nth(3).click();
      const chars = page.getByTestId('character-grid');
      const box = (await chars.boundingBox())!;
      await chars.click({ position: { x: box.width > 200 ? 140 : 20, y: 20 } });
      await expect(page.getByTestId('drawer-detail')).toHaveAttribute('data-has-strokes', 'true');
      const seed = await page.getByTestId('episode-gallery').getAttribute('data-seed');
      await page.getByTestId('episode-new').click();
      await expect(page.getByTestId('episode-gallery')).not.toHaveAttribute('data-seed', seed!);
      await page.getByTestId('episode-mode').selectOption('within');
      await expect(page.getByTestId('episode-class')).toHaveCount(5);
      expect(new Set(await page.getByTestId('episode-class').evaluateAll((els) => els.map((e) => e.getAttribute('data-alphabet')))).size).toBe(1);
      await page.getByTestId('bpl-new-drawer').click();
      await page.getByTestId('bpl-new-character').click();
      await drawStroke(page, [
        [0.2, 0.2],
        [0.5, 0.8],
        [0.8, 0.2],
      ]);
      await page.getByTestId('parse-drawing').click();
      await expect(page.getByTestId('bpl-card')).toHaveAttribute('data-origin', 'drawing');
      await expect(page.getByTestId('bpl-card')).toHaveAttribute('data-redraws', '6');
    });
    test.info().annotations.push({ type: 'main-thread tasks', description: `${tasks.count} tasks, max ${tasks.maxCpuMs.toFixed(1)} ms thread time, max ${tasks.maxWallMs.toFixed(1)} ms wall` });
    expect(tasks.maxCpuMs, `longest main-thread task: ${tasks.maxCpuMs.toFixed(1)} ms of thread time (${tasks.maxWallMs.toFixed(1)} ms wall)`).toBeLessThan(50);

    await page.getByTestId('omniglot-get').click();
    await expect(notice(page, 'Could not download images_background.zip')).toBeVisible();
    await expect(page.getByTestId('omniglot-progress')).toHaveAttribute('data-state', 'error');
    await page.getByTestId('omniglot-file').setInputFiles({ name: 'images_background.zip', mimeType: 'application/zip', buffer: BACKGROUND_ZIP.subarray(0, BACKGROUND_ZIP.length - 40) });
    await expect(notice(page, /The zip images_background\.zip was not loaded: .*not a readable zip/)).toBeVisible();
    // Nothing was lost: the synthetic data is still the one shown.
    await expect(page.getByTestId('episode-gallery')).toHaveAttribute('data-source', 'synthetic');
    await expect(page.getByTestId('source-stats')).toHaveAttribute('data-alphabets', '30');
  });
});

test('dropped and picked Omniglot zips fill the browser and the gallery, splits kept apart', async ({ page }) => {
  await openLab(page);
  const dataTransfer = await page.evaluateHandle((bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], 'images_background.zip', { type: 'application/zip' }));
    return dt;
  }, Array.from(BACKGROUND_ZIP));
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  await expect(page.getByTestId('source-omniglot')).toHaveAttribute('aria-pressed', 'true');
  const gallery = page.getByTestId('episode-gallery');
  await expect(gallery).toHaveAttribute('data-source', 'omniglot');
  await expect(gallery).toHaveAttribute('data-alphabets', /Testalpha_(One|Two)/);
  await expect(page.getByTestId('episode-class')).toHaveCount(5);
  await expect(page.getByTestId('alphabet')).toHaveText([/Testalpha One/, /Testalpha Two/]);
  await expect(page.getByTestId('browse-split-evaluation')).toBeDisabled();

  await page.getByTestId('omniglot-file').setInputFiles({ name: 'images_evaluation.zip', mimeType: 'application/zip', buffer: EVALUATION_ZIP });
  await expect(page.getByTestId('browse-split-evaluation')).toBeEnabled();
  await expect(page.getByTestId('source-stats')).toHaveAttribute('data-alphabets', '3');
  await page.getByTestId('browse-split-evaluation').click();
  await expect(page.getByTestId('alphabet')).toHaveText([/Testalpha Eval/]);
  await expect(page.getByTestId('character-grid')).toHaveAttribute('data-count', '5');
  await page.getByTestId('episode-split').selectOption('evaluation');
  await expect(gallery).toHaveAttribute('data-alphabets', 'Testalpha_Eval');
});

test('"Get Omniglot" downloads with a progress bar, and the cached atlas makes the next visit instant', async ({ page }) => {
  let requests = 0;
  await page.route(OMNIGLOT, async (route) => {
    requests++;
    const url = route.request().url();
    expect(url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/brendenlake\/omniglot\/master\/python\/images_(background|evaluation)\.zip$/);
    const body = url.endsWith('images_background.zip') ? BACKGROUND_ZIP : EVALUATION_ZIP;
    await route.fulfill({ status: 200, body, headers: { 'content-type': 'application/zip', 'content-length': String(body.length), 'access-control-allow-origin': '*' } });
  });
  await openLab(page);
  await page.getByTestId('omniglot-get').click();
  const progress = page.getByTestId('omniglot-progress');
  await expect(progress).toHaveAttribute('data-state', 'done');
  await expect(progress).toHaveJSProperty('value', 100);
  expect(requests).toBe(2);
  await expect(notice(page, 'Omniglot loaded from images_background.zip, images_evaluation.zip')).toBeVisible();
  const gallery = page.getByTestId('episode-gallery');
  await expect(gallery).toHaveAttribute('data-source', 'omniglot');
  await expect(gallery).toHaveAttribute('data-alphabets', /Testalpha_(One|Two)/);
  await expect(page.getByTestId('source-stats')).toHaveAttribute('data-alphabets', '3');
  await expect(page.getByTestId('omniglot-status')).toHaveAttribute('data-cached', 'true');

  // Next visit, offline: the atlas comes from IndexedDB, with no download.
  await page.unroute(OMNIGLOT);
  await page.route(OMNIGLOT, (r) => {
    requests++;
    return r.abort();
  });
  const started = Date.now();
  await page.reload();
  await expect(gallery).toHaveAttribute('data-source', 'omniglot', { timeout: 15_000 });
  const ms = Date.now() - started;
  await expect(page.getByTestId('source-stats')).toHaveAttribute('data-origin', 'cache');
  await expect(page.getByTestId('alphabet')).toHaveText([/Testalpha One/, /Testalpha Two/]);
  expect(requests).toBe(2);
  test.info().annotations.push({ type: 'reload-to-cached-gallery', description: `${ms} ms` });
});

test('Omniglot loaded here trains the metric lab: #/metric?data=omniglot uses the cached atlas, with no download', async ({ page }) => {
  test.setTimeout(240_000);
  let requests = 0;
  await page.route(OMNIGLOT, (r) => {
    requests++;
    return r.abort();
  });
  // Enough drawers per character for the metric lab's episodes (1 shot + its queries).
  const background = omniglotZip('images_background', ['Testalpha_One', 'Testalpha_Two'], 4, 8);
  const evaluation = omniglotZip('images_evaluation', ['Testalpha_Eval'], 5, 8);
  await openLab(page);
  await page.getByTestId('omniglot-file').setInputFiles([
    { name: 'images_background.zip', mimeType: 'application/zip', buffer: background },
    { name: 'images_evaluation.zip', mimeType: 'application/zip', buffer: evaluation },
  ]);
  await expect(page.getByTestId('source-stats')).toHaveAttribute('data-alphabets', '3');
  await expect(page.getByTestId('omniglot-status')).toHaveAttribute('data-cached', 'true');

  await page.goto(appUrl('#/metric?width=16&data=omniglot'));
  await expect(page.getByTestId('source-info')).toContainText('Omniglot (loaded in the characters lab)', { timeout: 90_000 });
  await expect(page.getByTestId('embedding-plot')).toBeVisible({ timeout: 90_000 });
  await page.getByTestId('step').click();
  await expect(page.getByTestId('step-counter')).toHaveAttribute('data-step', '1', { timeout: 90_000 });
  await expect(page.getByTestId('embedding-plot')).toHaveAttribute('data-step', '1', { timeout: 30_000 });
  // Held-out episodes come from the evaluation alphabet: the arena runs on them.
  await page.getByTestId('arena-run-50').click();
  await expect(page.locator('[data-testid="arena-table"] tr[data-method="protonet"]')).toHaveAttribute('data-accuracy', /\d/, { timeout: 120_000 });
  expect(requests).toBe(0);
});
