/** Turning a {@link Report} into one self-contained HTML document. */
import { createHash } from 'node:crypto';
import { MortarError } from '../errors.js';
import { renderBlock, paragraphs, type BlockContext } from './blocks.js';
import { CLIENT_SCRIPT, DATA_ELEMENT_ID } from './client.js';
import { echartsSource } from './echarts-source.js';
import { escapeHtml, jsonForScript, scriptSafe } from './escape.js';
import type { Report, Section } from './model.js';
import { REPORT_CSS } from './styles.js';

/** Options for {@link renderReport}. */
export interface RenderOptions {
  /**
   * JavaScript that defines the global `echarts`; default: the installed
   * `echarts/dist/echarts.min.js`. Tests may pass a stub to keep documents small.
   */
  readonly chartLibrary?: string;
}

/**
 * Renders a report to a complete HTML document that needs no network: the stylesheet, the
 * ECharts bundle, the compiled chart options (as JSON) and a small bootstrap script are all
 * inline, and a Content-Security-Policy forbids every fetch. All report text is HTML-escaped.
 * Pure: the same report gives the same string.
 *
 * @throws MortarError `INVALID_ARGUMENT` naming the section and block whose data do not fit
 * (e.g. histogram counts that do not match the edges); `DEPENDENCY_MISSING` without echarts.
 * @example
 * const html = renderReport({
 *   title: 'Training run 42',
 *   sections: [{ title: 'Loss', blocks: [{ kind: 'chart', chart: { type: 'line', series: [
 *     { name: 'train', x: [1, 2, 3], y: [0.9, 0.5, 0.3] },
 *   ] } }] }],
 * });
 */
export function renderReport(report: Report, options: RenderOptions = {}): string {
  if (typeof report.title !== 'string' || !Array.isArray(report.sections)) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      'a report needs a string `title` and a `sections` array',
    );
  }
  const ctx: BlockContext = { charts: {} };
  const ids = report.sections.map((s, i) => sectionId(s, i));
  const sections = report.sections.map((s, i) => renderSection(s, ids[i] as string, i, ctx));
  const hasCharts = Object.keys(ctx.charts).length > 0;
  const library = hasCharts ? scriptSafe(options.chartLibrary ?? echartsSource()) : '';
  const client = CLIENT_SCRIPT;
  const scripts = hasCharts ? [library, client] : [client];
  const csp = [
    "default-src 'none'",
    `script-src ${scripts.map((s) => `'sha256-${sha256(s)}'`).join(' ')}`,
    "style-src 'unsafe-inline'",
    'img-src data: blob:',
    'font-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const toc =
    report.sections.length > 2
      ? `<nav class="mr-toc" aria-label="Contents"><ol>${report.sections
          .map((s, i) => `<li><a href="#${ids[i]}">${escapeHtml(s.title)}</a></li>`)
          .join('')}</ol></nav>`
      : '';
  const subtitle =
    report.subtitle === undefined
      ? ''
      : `<p class="mr-subtitle">${escapeHtml(report.subtitle)}</p>`;
  const meta =
    report.generatedAt === undefined
      ? ''
      : `<p class="mr-meta">Generated ${escapeHtml(report.generatedAt)}</p>`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="mortar">',
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<div class="mr-page">',
    `<header class="mr-header"><h1>${escapeHtml(report.title)}</h1>${subtitle}${meta}</header>`,
    hasCharts
      ? '<noscript><p class="mr-callout mr-warning">Charts need JavaScript.</p></noscript>'
      : '',
    toc,
    `<main>${sections.join('\n')}</main>`,
    '<footer class="mr-footer">Made with Mortar. This file is self-contained and works offline.</footer>',
    '</div>',
    `<script type="application/json" id="${DATA_ELEMENT_ID}">${jsonForScript({ version: 1, charts: ctx.charts })}</script>`,
    ...scripts.map((s) => `<script>${s}</script>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function renderSection(section: Section, id: string, index: number, ctx: BlockContext): string {
  const path = `section ${index + 1} "${section.title}"`;
  if (!Array.isArray(section.blocks)) {
    throw new MortarError('INVALID_ARGUMENT', `${path}: \`blocks\` must be an array`);
  }
  const description =
    section.description === undefined
      ? ''
      : `<div class="mr-text mr-description">${paragraphs(section.description)}</div>`;
  const blocks = section.blocks.map((b, j) => renderBlock(b, ctx, `${path}, block ${j + 1}`));
  return (
    `<section class="mr-section" id="${id}" aria-labelledby="${id}-h">` +
    `<h2 id="${id}-h">${escapeHtml(section.title)}</h2>${description}${blocks.join('\n')}</section>`
  );
}

/** `s1-data-quality`: position first (unique), then a readable slug of the title. */
function sectionId(section: Section, index: number): string {
  const slug = String(section.title)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug === '' ? `s${index + 1}` : `s${index + 1}-${slug}`;
}

const hashes = new Map<string, string>();

/** Base64 SHA-256 of a script, for the CSP; memoized because the chart library is ~1 MB. */
function sha256(text: string): string {
  let h = hashes.get(text);
  if (h === undefined) {
    h = createHash('sha256').update(text, 'utf8').digest('base64');
    if (hashes.size > 8) hashes.clear();
    hashes.set(text, h);
  }
  return h;
}
