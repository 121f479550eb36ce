/**
 * Opens a rendered report in headless Chromium (Debian package `chromium`) and checks what it
 * shows: text, table, drawn charts, working sort, no network, no console errors, no script run
 * from user text. Skips with a reason when Chromium is missing, except under CI, where it fails.
 * Screenshots go to /tmp/mortar-report.png and /tmp/mortar-report-gallery.png for a human look.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { report } from './builder.js';
import { writeReport } from './write.js';

/** Debian's `chromium` package; MORTAR_CHROMIUM points elsewhere (e.g. on a laptop). */
const CHROMIUM = process.env.MORTAR_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const SCREENSHOT = '/tmp/mortar-report.png';

if (!available && process.env.CI !== undefined) {
  throw new Error(`${CHROMIUM} is missing; CI must install it (apt-get install -y chromium)`);
}

const steps = Array.from({ length: 50 }, (_, i) => i + 1);
const sample = report('Validation <script>alert(1)</script> flights.csv', {
  subtitle: 'Batch 2024-06-01 against the reference statistics',
  generatedAt: '2024-06-01T12:00:00Z',
})
  .section('Summary', (s) =>
    s
      .kv([
        { label: 'Rows', value: 10_432 },
        { label: 'Features', value: 12 },
        { label: 'Anomalies', value: 2, severity: 'error', hint: '1 error, 1 warning' },
        { label: 'Drift (max JS)', value: 0.0832, format: 'fixed', hint: 'threshold 0.1' },
      ])
      .text('Two features deviate from the reference.\n\nSee the table below.', 'warning'),
  )
  .section('Anomalies', (s) =>
    s.table({
      columns: [
        { key: 'feature', label: 'Feature' },
        { key: 'kind', label: 'Kind' },
        { key: 'value', label: 'Value', format: 'fixed', digits: 3 },
        { key: 'severity', label: 'Severity' },
      ],
      rows: [
        { feature: 'delay', kind: 'drift', value: 0.1234, severity: 'error' },
        { feature: 'carrier', kind: 'new category "ZZ"', value: 0.0123, severity: 'warning' },
        { feature: 'distance', kind: 'none', value: 0.5, severity: null },
      ],
      severity: ['error', 'warning', null],
      caption: 'Click a column header to sort.',
    }),
  )
  .section('Charts', (s) =>
    s.grid(2, (g) =>
      g
        .line({
          title: 'Loss',
          x: { label: 'step' },
          y: { label: 'loss' },
          series: [
            { name: 'train', x: steps, y: steps.map((t) => 1 / Math.sqrt(t)) },
            { name: 'validation', x: steps, y: steps.map((t) => 1.1 / Math.sqrt(t) + 0.02) },
          ],
        })
        .histogram({
          title: 'delay (minutes)',
          edges: [0, 10, 20, 30, 40, 50, 60],
          normalize: 'probability',
          series: [
            { name: 'batch', counts: [40, 25, 14, 9, 7, 5] },
            { name: 'reference', counts: [520, 260, 120, 60, 25, 15] },
          ],
        }),
    ),
  )
  .build();

const trials = Array.from({ length: 40 }, (_, i) => {
  const lr = 10 ** (-4 + (i % 10) / 3);
  const depth = 2 + (i % 7);
  const opt = ['adam', 'sgd', 'rmsprop'][i % 3] as string;
  return {
    lr,
    depth,
    opt,
    loss: Math.abs(Math.log10(lr) + 2.5) * 0.2 + depth * 0.01 + (i % 3) * 0.05,
  };
});
const gallery = report('Every chart type')
  .section('Tuning', (s) =>
    s.grid(2, (g) =>
      g
        .scatter({
          title: 'Optimization history',
          x: { label: 'trial' },
          y: { label: 'loss' },
          series: [
            { name: 'trials', x: trials.map((_, i) => i), y: trials.map((t) => t.loss) },
            {
              name: 'best so far',
              as: 'line',
              x: trials.map((_, i) => i),
              y: trials.map((_, i) => Math.min(...trials.slice(0, i + 1).map((t) => t.loss))),
            },
          ],
        })
        .bar({
          title: 'Parameter importance',
          horizontal: true,
          categories: ['lr', 'depth', 'optimizer'],
          series: [{ name: 'importance', values: [0.71, 0.21, 0.08] }],
        })
        .parallel({
          title: 'Parallel coordinates',
          dimensions: [
            { name: 'lr', type: 'log' },
            { name: 'depth' },
            { name: 'opt', type: 'category' },
            { name: 'loss' },
          ],
          rows: trials.map((t) => [t.lr, t.depth, t.opt, t.loss]),
        })
        .heatmap({
          title: 'Confusion matrix',
          x: ['cat', 'dog', 'bird'],
          y: ['cat', 'dog', 'bird'],
          values: [
            [50, 3, 1],
            [4, 45, 2],
            [0, 6, 39],
          ],
        })
        .echarts(
          {
            series: [
              {
                type: 'pie',
                radius: '60%',
                data: [
                  { name: 'a', value: 1 },
                  { name: 'b', value: 2 },
                ],
              },
            ],
          },
          { title: 'Raw ECharts option' },
        ),
    ),
  )
  .build();

/** The few browser globals the in-page functions use (the project compiles without the DOM lib). */
interface PageElement {
  getAttribute(name: string): string | null;
  querySelector(selector: 'canvas'): PageCanvas | null;
}
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  } | null;
}
interface PageGlobals {
  document: {
    documentElement: { dataset: Record<string, string | undefined> };
    querySelectorAll(selector: string): Iterable<PageElement>;
  };
  echarts: {
    getInstanceByDom(el: PageElement): { getOption(): { series: unknown[] } } | undefined;
  };
}

/** `data-mortar-ready` once the report's script has run: `true`, or `error` if a chart failed. */
async function whenReady(page: Page): Promise<string | undefined> {
  const ready = () =>
    (globalThis as unknown as PageGlobals).document.documentElement.dataset.mortarReady;
  await page.waitForFunction(ready);
  return page.evaluate(ready);
}

/** For each chart element: its type, canvas size, how many pixels are drawn, and its series count. */
async function inspectCharts(page: Page) {
  return page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    return [...g.document.querySelectorAll('[data-mr-chart]')].map((el) => {
      const canvas = el.querySelector('canvas');
      let inked = 0;
      if (canvas !== null) {
        const ctx = canvas.getContext('2d');
        const { data } = ctx!.getImageData(0, 0, canvas.width, canvas.height);
        for (let i = 0; i < data.length; i += 4) {
          // A pixel that is neither transparent nor near white.
          if (data[i + 3]! > 0 && (data[i]! < 230 || data[i + 1]! < 230 || data[i + 2]! < 230))
            inked++;
        }
      }
      return {
        type: el.getAttribute('data-mr-chart'),
        width: canvas?.width ?? 0,
        height: canvas?.height ?? 0,
        inked,
        series: g.echarts.getInstanceByDom(el)?.getOption().series.length ?? 0,
      };
    });
  });
}

/** Opens a page that records requests, console errors and warnings, page errors and dialogs. */
async function openWatched(browser: Browser) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { page, requests, errors, dialogs };
}

describe.skipIf(!available)('report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mortar-report-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('shows the text, the table and drawn charts, offline and without errors', async () => {
    const file = await writeReport(join(dir, 'nested', 'report.html'), sample);
    const { page, requests, errors, dialogs } = await openWatched(browser);

    await page.goto(pathToFileURL(file).href);
    expect(await whenReady(page)).toBe('true');
    // The title is shown as text; the script inside it never ran.
    expect(await page.textContent('h1')).toBe('Validation <script>alert(1)</script> flights.csv');
    expect(await page.title()).toBe('Validation <script>alert(1)</script> flights.csv');
    expect(dialogs).toEqual([]);
    expect(await page.locator('.mr-card-value').allTextContents()).toEqual([
      '10,432',
      '12',
      '2',
      '0.08',
    ]);

    const firstColumn = () =>
      page.locator('table.mr-table tbody tr td:first-child').allTextContents();
    expect(await firstColumn()).toEqual(['delay', 'carrier', 'distance']);
    expect(await page.locator('table.mr-table tbody tr').first().getAttribute('class')).toBe(
      'mr-error',
    );
    expect(await page.locator('table.mr-table tbody td').nth(2).textContent()).toBe('0.123');

    // Sorting by Value (ascending) reorders the rows.
    await page.locator('table.mr-table th', { hasText: 'Value' }).click();
    expect(await firstColumn()).toEqual(['carrier', 'delay', 'distance']);

    const charts = await inspectCharts(page);
    expect(charts.map((c) => [c.type, c.series])).toEqual([
      ['line', 2],
      ['histogram', 2],
    ]);
    for (const c of charts) {
      expect(c.width).toBeGreaterThan(100);
      expect(c.height).toBeGreaterThan(100);
      expect(c.inked).toBeGreaterThan(500);
    }

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws every chart type (scatter, bar, parallel, heatmap, raw option) without errors', async () => {
    const file = await writeReport(join(dir, 'gallery.html'), gallery);
    const { page, requests, errors } = await openWatched(browser);
    await page.goto(pathToFileURL(file).href);
    expect(await whenReady(page)).toBe('true');
    const charts = await inspectCharts(page);
    expect(charts.map((c) => [c.type, c.series])).toEqual([
      ['scatter', 2],
      ['bar', 1],
      ['parallel', 1],
      ['heatmap', 1],
      ['echarts', 1],
    ]);
    for (const c of charts) expect(c.inked, `${c.type} chart draws something`).toBeGreaterThan(500);
    await page.screenshot({ path: '/tmp/mortar-report-gallery.png', fullPage: true });
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

if (!available) {
  it.skip(`report in headless Chromium: skipped, ${CHROMIUM} is missing (install: apt-get install -y chromium)`, () => {});
}
