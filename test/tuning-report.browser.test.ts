/**
 * `mortar tune report` opened in headless Chromium (Debian package `chromium`): the page shows the
 * summary, a drawn optimization history, importances with the driving parameter first, parallel
 * coordinates with one line per complete trial, the Pareto front for a two-objective study, and
 * no console errors or network requests. Skips with a reason when Chromium is missing, except
 * under CI. Screenshot: /tmp/mortar-tune-report.png.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeStudyReport } from '../src/cli/commands/tune/report.js';
import { RandomSampler, Study } from '../src/tuning/index.js';

const CHROMIUM = process.env['MORTAR_CHROMIUM'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env['CI'] !== undefined)
  throw new Error(`${CHROMIUM} is missing; CI must install it (apt-get install -y chromium)`);

interface ChartInfo {
  type: string | null;
  inked: number;
  series: { type?: string; data?: unknown[] }[];
  yAxis: { data?: unknown[] }[];
}

async function open(browser: Browser, file: string) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(
    () =>
      (
        globalThis as unknown as {
          document: { documentElement: { dataset: Record<string, string> } };
        }
      ).document.documentElement.dataset['mortarReady'],
  );
  const charts = (await page.evaluate(() => {
    const g = globalThis as unknown as {
      document: {
        querySelectorAll(s: string): Iterable<{
          getAttribute(n: string): string | null;
          querySelector(s: string): {
            width: number;
            height: number;
            getContext(k: string): { getImageData(...a: number[]): { data: Uint8ClampedArray } };
          } | null;
        }>;
      };
      echarts: {
        getInstanceByDom(
          el: unknown,
        ): { getOption(): { series: unknown[]; yAxis?: unknown[] } } | undefined;
      };
    };
    return [...g.document.querySelectorAll('[data-mr-chart]')].map((el) => {
      const canvas = el.querySelector('canvas');
      let inked = 0;
      if (canvas) {
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        for (let i = 0; i < data.length; i += 4)
          if (data[i + 3]! > 0 && (data[i]! < 230 || data[i + 1]! < 230 || data[i + 2]! < 230))
            inked++;
      }
      const opt = g.echarts.getInstanceByDom(el)?.getOption();
      return {
        type: el.getAttribute('data-mr-chart'),
        inked,
        series: opt?.series ?? [],
        yAxis: opt?.yAxis ?? [],
      };
    });
  })) as ChartInfo[];
  const text = await page.innerText('body');
  return { page, errors, requests, charts, text };
}

describe.skipIf(!available)('tune report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mortar-tune-report-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows history, importances, parallel coordinates and the trials of a study', async () => {
    const study = await Study.create({ name: 'rep', sampler: new RandomSampler({ seed: 3 }) });
    await study.optimize(
      (t) => {
        const lr = t.suggestFloat('lr', 1e-4, 1, { log: true });
        const depth = t.suggestInt('depth', 1, 8);
        const opt = t.suggestCategorical('opt', ['adam', 'sgd']);
        return (Math.log10(lr) + 2) ** 2 + 0.01 * depth + (opt === 'sgd' ? 0.05 : 0);
      },
      { nTrials: 40 },
    );
    const file = join(dir, 'rep.html');
    await writeStudyReport(study, undefined, file);
    const { page, errors, requests, charts, text } = await open(browser, file);
    await page.screenshot({ path: '/tmp/mortar-tune-report.png', fullPage: true });
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    for (const s of [
      'Study "rep"',
      'Optimization history',
      'Parameter importance',
      'Most important: lr',
      'Parallel coordinates',
      'Trials',
    ])
      expect(text).toContain(s);
    expect(charts.map((c) => c.type)).toEqual(['scatter', 'bar', 'parallel']);
    for (const c of charts) expect(c.inked, c.type ?? '').toBeGreaterThan(500);
    expect(charts[0]!.series.map((s) => s.data?.length)).toEqual([40, 40]);
    expect(charts[1]!.yAxis[0]?.data?.[0] ?? charts[1]!.yAxis[0]?.data?.at(-1)).toBeDefined();
    expect(charts[2]!.series[0]?.data).toHaveLength(40);
  });

  it('shows the Pareto front of a two-objective study', async () => {
    const study = await Study.create({
      name: 'mo',
      directions: ['minimize', 'minimize'],
      sampler: new RandomSampler({ seed: 1 }),
    });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat('x', 0, 1);
        const y = t.suggestFloat('y', 0, 1);
        return [x, (1 - x) ** 2 + y];
      },
      { nTrials: 30 },
    );
    const front = await study.bestTrials();
    const file = join(dir, 'mo.html');
    await writeStudyReport(study, undefined, file);
    const { errors, charts, text } = await open(browser, file);
    expect(errors).toEqual([]);
    expect(text).toContain('Pareto front');
    const pareto = charts.at(-1)!;
    expect(pareto.type).toBe('scatter');
    expect(pareto.inked).toBeGreaterThan(500);
    expect(pareto.series.map((s) => s.data?.length)).toEqual([30 - front.length, front.length]);
  });
});
