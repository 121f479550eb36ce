import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isMortarError } from '../errors.js';
import { DATA_ELEMENT_ID } from './client.js';
import type { Block, Report } from './model.js';
import { renderReport } from './render.js';

/** A stand-in for the 1 MB chart library, so most tests stay small. */
const chartLibrary = 'window.echarts = {};';
const XSS = '<script>alert(1)</script>';

const withChart: Report = {
  title: 'Run',
  sections: [
    {
      title: 'Loss',
      blocks: [
        {
          kind: 'chart',
          title: 'loss',
          chart: { type: 'line', series: [{ name: 'train', x: [1, 2], y: [1, 0.5] }] },
        },
      ],
    },
  ],
};

function scripts(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] as string);
}

function renderError(report: Report): string {
  try {
    renderReport(report, { chartLibrary });
  } catch (e) {
    expect(isMortarError(e, 'INVALID_ARGUMENT')).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected renderReport to throw');
}

describe('renderReport', () => {
  it('escapes every piece of user text', () => {
    const html = renderReport(
      {
        title: XSS,
        subtitle: XSS,
        generatedAt: XSS,
        sections: [
          {
            title: XSS,
            description: XSS,
            blocks: [
              { kind: 'heading', text: XSS },
              { kind: 'text', text: XSS, severity: 'warning' },
              { kind: 'kv', items: [{ label: XSS, value: XSS, hint: XSS }] },
              {
                kind: 'table',
                title: XSS,
                caption: XSS,
                columns: [{ key: 'a', label: XSS }],
                rows: [{ a: XSS }],
              },
              {
                kind: 'chart',
                title: XSS,
                caption: XSS,
                chart: { type: 'bar', categories: [XSS], series: [{ name: XSS, values: [1] }] },
              },
            ],
          },
        ],
      },
      { chartLibrary },
    );
    expect(html).not.toContain(XSS);
    expect(html).not.toContain('<script>alert');
    // <title>, h1, subtitle, date, h2, description, heading, callout, card label/value/hint, table
    // title/header/cell/caption, chart title/aria-label/caption.
    expect(html.split('&lt;script&gt;alert(1)&lt;/script&gt;').length - 1).toBe(18);
    // Chart data is JSON in a data element; it carries the text, escaped for the element.
    const data = html.match(
      new RegExp(`<script type="application/json" id="${DATA_ELEMENT_ID}">(.*?)</script>`),
    );
    expect(data).not.toBeNull();
    const parsed = JSON.parse(data![1]!) as {
      charts: Record<string, { xAxis: { data: string[] } }>;
    };
    expect(parsed.charts['mr-chart-1']!.xAxis.data).toEqual([XSS]);
  });

  it('refers to nothing outside the file', () => {
    const html = renderReport(withChart); // the real chart library
    // The markup around the inline scripts (the chart library mentions `<img` in its code).
    const markup = html.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
    expect(markup.length).toBeLessThan(50_000);
    expect(markup.match(/<script[^>]*\ssrc=|<link\b|<img\b|<iframe\b|url\(|https?:/gi)).toBeNull();
    expect(markup.match(/<script/g)).toHaveLength(3);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'`,
    );
  });

  it('inlines the chart library once, and allows exactly the inline scripts by hash', () => {
    const html = renderReport(withChart);
    const inline = scripts(html);
    expect(inline).toHaveLength(2); // echarts, then the bootstrap
    expect(inline[0]!.length).toBeGreaterThan(500_000);
    expect(html.split('Licensed to the Apache Software Foundation').length - 1).toBe(1);
    const csp = html.match(/script-src ([^;]+);/)![1]!;
    const hashes = inline.map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`);
    expect(csp).toBe(hashes.join(' '));
  });

  it('leaves the chart library out when there are no charts', () => {
    const html = renderReport({
      title: 'T',
      sections: [{ title: 'S', blocks: [{ kind: 'text', text: 'hi' }] }],
    });
    expect(scripts(html)).toHaveLength(1);
    expect(html.length).toBeLessThan(50_000);
  });

  it('renders tables with formats, alignment, sort keys and row highlights', () => {
    const html = renderReport({
      title: 'T',
      sections: [
        {
          title: 'S',
          blocks: [
            {
              kind: 'table',
              columns: [
                { key: 'name' },
                { key: 'rate', format: 'percent' },
                { key: 'n', label: 'Count', align: 'center' },
              ],
              rows: [
                { name: 'a', rate: 0.5, n: 3 },
                { name: 'b', rate: null },
              ],
              severity: [null, 'error'],
            },
          ],
        },
      ],
    });
    expect(html).toContain(
      '<th scope="col">name</th><th scope="col" class="mr-right">rate</th><th scope="col" class="mr-center">Count</th>',
    );
    expect(html).toContain(
      '<tr><td>a</td><td class="mr-right" data-v="0.5">50.0%</td><td class="mr-center" data-v="3">3</td></tr>',
    );
    expect(html).toContain(
      '<tr class="mr-error"><td>b</td><td class="mr-right mr-null">—</td><td class="mr-center mr-null">—</td></tr>',
    );
  });

  it('splits text into paragraphs and lists sections in a table of contents when there are several', () => {
    const html = renderReport({
      title: 'T',
      sections: [
        { title: 'Data quality', blocks: [{ kind: 'text', text: 'one\ntwo\n\nthree' }] },
        { title: 'Drift', blocks: [] },
        { title: '!!!', blocks: [] },
      ],
    });
    expect(html).toContain('<p>one<br>two</p><p>three</p>');
    expect(html).toContain('<a href="#s1-data-quality">Data quality</a>');
    expect(html).toContain('<section class="mr-section" id="s3"');
  });

  it('is deterministic', () => {
    expect(renderReport(withChart, { chartLibrary })).toBe(
      renderReport(withChart, { chartLibrary }),
    );
  });

  it('names the section and block at fault', () => {
    const bad = (block: Block): Report => ({
      title: 'T',
      sections: [{ title: 'Data', blocks: [{ kind: 'text', text: 'x' }, block] }],
    });
    expect(
      renderError(
        bad({
          kind: 'chart',
          title: 'age',
          chart: { type: 'histogram', edges: [0, 1], series: [{ name: 'b', counts: [1, 2] }] },
        }),
      ),
    ).toBe(
      'section 1 "Data", block 2 (histogram chart "age"): series "b" has 2 counts but 2 edges make 1 bins; edges needs one more entry than counts',
    );
    expect(
      renderError(
        bad({ kind: 'grid', blocks: [{ kind: 'text', text: 'x', severity: 'fatal' as never }] }),
      ),
    ).toBe('section 1 "Data", block 2.1 (text): severity is "fatal"; use info, warning or error');
    expect(
      renderError(
        bad({ kind: 'chart', height: 1e9, chart: { type: 'bar', categories: [], series: [] } }),
      ),
    ).toMatch(/chart height is 1000000000/);
    expect(renderError(bad({ kind: 'table', columns: [], rows: [], severity: ['info'] }))).toMatch(
      /severity has 1 entries for 0 rows/,
    );
    expect(renderError(bad({ kind: 'video' } as unknown as Block))).toMatch(
      /unknown block kind "video"/,
    );
    expect(renderError(bad({ kind: 'grid', columns: 7 as never, blocks: [] }))).toMatch(
      /grid columns is 7/,
    );
    expect(renderError({ title: 'T' } as unknown as Report)).toMatch(/`sections` array/);
  });
});
