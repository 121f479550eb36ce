/**
 * HTML for each block kind. Every user string goes through {@link escapeHtml}; every value
 * interpolated without escaping (class names, heights, levels) is checked against its allowed set
 * first, because a report may come from JSON rather than from typed code.
 */
import { MortarError } from '../errors.js';
import { chartOption, type EChartsOption } from './charts/index.js';
import { escapeHtml } from './escape.js';
import { formatValue } from './format.js';
import type {
  Block,
  CellValue,
  ChartBlock,
  GridBlock,
  KvBlock,
  Severity,
  TableBlock,
  TableColumn,
  TextBlock,
} from './model.js';

/** What rendering blocks collects: the compiled option of each chart, by element id. */
export interface BlockContext {
  readonly charts: Record<string, EChartsOption>;
}

const SEVERITIES: readonly string[] = ['info', 'warning', 'error'];
const ALIGNS: readonly string[] = ['left', 'right', 'center'];
const DEFAULT_CHART_HEIGHT = 320;

/** Renders one block; `path` (e.g. `section 2 "Data", block 3`) locates it in error messages. */
export function renderBlock(block: Block, ctx: BlockContext, path: string): string {
  const where = `${path} (${describe(block)})`;
  switch (block.kind) {
    case 'heading': {
      const level = block.level ?? 3;
      if (level !== 3 && level !== 4)
        invalid(where, `heading level is ${String(level)}; use 3 or 4`);
      return `<h${level} class="mr-block">${escapeHtml(block.text)}</h${level}>`;
    }
    case 'text':
      return renderText(block, where);
    case 'kv':
      return renderKv(block, where);
    case 'table':
      return renderTable(block, where);
    case 'chart':
      return renderChart(block, ctx, where);
    case 'grid':
      return renderGrid(block, ctx, where, path);
    default:
      return invalid(
        where,
        `unknown block kind ${JSON.stringify((block as { kind?: unknown }).kind)}; use heading, text, kv, table, chart or grid`,
      );
  }
}

/** Text split into paragraphs at blank lines; single newlines become line breaks. */
export function paragraphs(text: string): string {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => `<p>${escapeHtml(p).replace(/\r?\n/g, '<br>')}</p>`)
    .join('');
}

function renderText(block: TextBlock, where: string): string {
  if (block.severity === undefined)
    return `<div class="mr-block mr-text">${paragraphs(block.text)}</div>`;
  const sev = severityClass(block.severity, where);
  const role = block.severity === 'info' ? 'note' : 'alert';
  return `<div class="mr-block mr-text mr-callout ${sev}" role="${role}">${paragraphs(block.text)}</div>`;
}

function renderKv(block: KvBlock, where: string): string {
  const cards = block.items.map((item) => {
    const sev = item.severity === undefined ? '' : ` ${severityClass(item.severity, where)}`;
    const hint =
      item.hint === undefined ? '' : `<div class="mr-card-hint">${escapeHtml(item.hint)}</div>`;
    return (
      `<div class="mr-card${sev}"><div class="mr-card-label">${escapeHtml(item.label)}</div>` +
      `<div class="mr-card-value">${escapeHtml(formatValue(item.value, item.format))}</div>${hint}</div>`
    );
  });
  return `<div class="mr-block mr-kv">${cards.join('')}</div>`;
}

function renderTable(block: TableBlock, where: string): string {
  const severity = block.severity ?? [];
  if (severity.length > block.rows.length) {
    invalid(
      where,
      `severity has ${severity.length} entries for ${block.rows.length} rows; give at most one per row`,
    );
  }
  const aligns = block.columns.map((c) => columnAlign(c, block, where));
  const head = block.columns
    .map((c, j) => `<th scope="col"${alignClass(aligns[j])}>${escapeHtml(c.label ?? c.key)}</th>`)
    .join('');
  const body =
    block.rows.length === 0
      ? `<tr><td class="mr-null" colspan="${Math.max(1, block.columns.length)}">No rows.</td></tr>`
      : block.rows
          .map((row, i) => {
            const sev = severity[i];
            const cls =
              sev === null || sev === undefined ? '' : ` class="${severityClass(sev, where)}"`;
            const cells = block.columns.map((c, j) => renderCell(row[c.key] ?? null, c, aligns[j]));
            return `<tr${cls}>${cells.join('')}</tr>`;
          })
          .join('');
  const title = block.title === undefined ? '' : `<h3>${escapeHtml(block.title)}</h3>`;
  const caption =
    block.caption === undefined ? '' : `<div class="mr-caption">${escapeHtml(block.caption)}</div>`;
  return (
    `<div class="mr-block mr-figure">${title}<div class="mr-table-wrap"><table class="mr-table">` +
    `<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>${caption}</div>`
  );
}

function renderCell(value: CellValue, column: TableColumn, align: string | undefined): string {
  const classes: string[] = [];
  if (align !== undefined && align !== 'left') classes.push(`mr-${align}`);
  if (value === null) classes.push('mr-null');
  const cls = classes.length === 0 ? '' : ` class="${classes.join(' ')}"`;
  const data = typeof value === 'number' ? ` data-v="${String(value)}"` : '';
  return `<td${cls}${data}>${escapeHtml(formatValue(value, column.format, column.digits))}</td>`;
}

function columnAlign(c: TableColumn, block: TableBlock, where: string): string {
  if (c.align !== undefined) {
    if (!ALIGNS.includes(c.align))
      invalid(where, `column "${c.key}" align is "${String(c.align)}"; use left, right or center`);
    return c.align;
  }
  let numbers = 0;
  for (const row of block.rows) {
    const v = row[c.key];
    if (typeof v === 'number') numbers++;
    else if (v !== null && v !== undefined) return 'left';
  }
  return numbers > 0 ? 'right' : 'left';
}

function alignClass(align: string | undefined): string {
  return align === undefined || align === 'left' ? '' : ` class="mr-${align}"`;
}

function renderChart(block: ChartBlock, ctx: BlockContext, where: string): string {
  const height = block.height ?? DEFAULT_CHART_HEIGHT;
  if (typeof height !== 'number' || !Number.isFinite(height) || height < 50 || height > 5000) {
    invalid(where, `chart height is ${String(height)}; use a number of pixels from 50 to 5000`);
  }
  const id = `mr-chart-${Object.keys(ctx.charts).length + 1}`;
  ctx.charts[id] = chartOption(block.chart, where);
  const title = block.title === undefined ? '' : `<h3>${escapeHtml(block.title)}</h3>`;
  const label = escapeHtml(block.title ?? `${block.chart.type} chart`);
  const caption =
    block.caption === undefined
      ? ''
      : `<figcaption class="mr-caption">${escapeHtml(block.caption)}</figcaption>`;
  return (
    `<figure class="mr-block mr-figure">${title}<div class="mr-chart-frame">` +
    `<div class="mr-chart" id="${id}" data-mr-chart="${escapeHtml(block.chart.type)}" role="img" aria-label="${label}" style="height:${Math.round(height)}px"></div>` +
    `</div>${caption}</figure>`
  );
}

function renderGrid(block: GridBlock, ctx: BlockContext, where: string, path: string): string {
  const columns = block.columns ?? 2;
  if (![2, 3, 4].includes(columns))
    invalid(where, `grid columns is ${String(columns)}; use 2, 3 or 4`);
  const inner = block.blocks.map((b, i) => renderBlock(b, ctx, `${path}.${i + 1}`)).join('');
  return `<div class="mr-block mr-grid" style="--mr-cols:${columns}">${inner}</div>`;
}

function describe(block: Block): string {
  const title = 'title' in block && typeof block.title === 'string' ? ` "${block.title}"` : '';
  if (block.kind === 'chart')
    return `${String((block.chart as { type?: unknown } | undefined)?.type)} chart${title}`;
  return `${String(block.kind)}${title}`;
}

function severityClass(severity: Severity, where: string): string {
  if (!SEVERITIES.includes(severity)) {
    invalid(where, `severity is ${JSON.stringify(severity)}; use info, warning or error`);
  }
  return `mr-${severity}`;
}

function invalid(where: string, problem: string): never {
  throw new MortarError('INVALID_ARGUMENT', `${where}: ${problem}`, { details: { where } });
}
