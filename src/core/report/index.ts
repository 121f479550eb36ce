/**
 * The report kit: self-contained HTML reports (tables and ECharts charts inlined, no network
 * needed to open them) shared by every Mortar subsystem, so reports look and work alike.
 *
 * Build a JSON-safe {@link Report} (with {@link report} or as an object literal), then
 * {@link renderReport} it to a string or {@link writeReport} it to a file.
 *
 * @example
 * import { report } from 'mortar/report';
 * await report('Study "lr-search"')
 *   .section('History', (s) => s.scatter({ series: [{ name: 'trials', x: [0, 1, 2], y: [0.4, 0.3, 0.35] }] }))
 *   .section('Importance', (s) => s.bar({ horizontal: true, categories: ['lr', 'depth'],
 *     series: [{ name: 'importance', values: [0.8, 0.2] }] }))
 *   .write('reports/study.html');
 *
 * @module
 */
export type * from './model.js';
export {
  report,
  ReportBuilder,
  BlocksBuilder,
  type ChartArgs,
  type ChartFrame,
} from './builder.js';
export { renderReport, type RenderOptions } from './render.js';
export { writeReport } from './write.js';
export { chartOption, PALETTE, type EChartsOption } from './charts/index.js';
export { escapeHtml, jsonForScript } from './escape.js';
export { formatValue } from './format.js';
export { DATA_ELEMENT_ID } from './client.js';
