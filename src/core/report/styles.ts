/** The report stylesheet: light, readable, responsive, print-friendly; inlined into every report. */
import { FONT_FAMILY } from './charts/common.js';

/** The CSS of every report (class names start with `mr-`). */
export const REPORT_CSS = `
:root {
  --mr-fg: #111827; --mr-muted: #6b7280; --mr-border: #e5e7eb; --mr-bg: #ffffff;
  --mr-panel: #f9fafb; --mr-accent: #4269d0;
  --mr-info: #1d4ed8; --mr-info-bg: #eff6ff; --mr-info-line: #bfdbfe;
  --mr-warning: #a16207; --mr-warning-bg: #fefce8; --mr-warning-line: #fde68a;
  --mr-error: #b91c1c; --mr-error-bg: #fef2f2; --mr-error-line: #fecaca;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--mr-bg); color: var(--mr-fg);
  font: 15px/1.55 ${FONT_FAMILY}; }
.mr-page { max-width: 1120px; margin: 0 auto; padding: 32px 24px 48px; }
.mr-header { border-bottom: 1px solid var(--mr-border); padding-bottom: 16px; margin-bottom: 20px; }
.mr-header h1 { font-size: 28px; line-height: 1.2; margin: 0 0 6px; letter-spacing: -0.01em;
  overflow-wrap: anywhere; }
.mr-subtitle { color: var(--mr-muted); font-size: 17px; margin: 0; }
.mr-meta { color: var(--mr-muted); font-size: 13px; margin: 8px 0 0; }
.mr-toc { font-size: 14px; margin-bottom: 8px; }
.mr-toc ol { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 0; padding: 0; }
.mr-toc a { color: var(--mr-accent); text-decoration: none; }
.mr-toc a:hover { text-decoration: underline; }
.mr-section { margin: 28px 0 36px; }
.mr-section h2 { font-size: 21px; line-height: 1.3; margin: 0 0 14px; padding-bottom: 6px;
  border-bottom: 1px solid var(--mr-border); }
.mr-section h3 { font-size: 16px; margin: 0 0 8px; }
.mr-section h4 { font-size: 14px; margin: 0 0 6px; color: var(--mr-muted); }
.mr-block + .mr-block { margin-top: 18px; }
.mr-text p { margin: 0 0 10px; max-width: 80ch; }
.mr-text p:last-child { margin-bottom: 0; }
.mr-description { color: var(--mr-muted); margin-bottom: 14px; }
.mr-callout { border: 1px solid; border-left-width: 4px; border-radius: 6px; padding: 10px 14px; }
.mr-callout.mr-info { background: var(--mr-info-bg); border-color: var(--mr-info-line);
  border-left-color: var(--mr-info); }
.mr-callout.mr-warning { background: var(--mr-warning-bg); border-color: var(--mr-warning-line);
  border-left-color: var(--mr-warning); }
.mr-callout.mr-error { background: var(--mr-error-bg); border-color: var(--mr-error-line);
  border-left-color: var(--mr-error); }
.mr-kv { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; }
.mr-card { border: 1px solid var(--mr-border); border-radius: 8px; padding: 12px 14px;
  background: var(--mr-panel); min-width: 0; }
.mr-card-label { font-size: 12px; color: var(--mr-muted); text-transform: uppercase;
  letter-spacing: 0.04em; }
.mr-card-value { font-size: 22px; font-weight: 600; line-height: 1.3; margin-top: 2px;
  font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.mr-card-hint { font-size: 12px; color: var(--mr-muted); margin-top: 2px; }
.mr-card.mr-info { background: var(--mr-info-bg); border-color: var(--mr-info-line); }
.mr-card.mr-info .mr-card-value { color: var(--mr-info); }
.mr-card.mr-warning { background: var(--mr-warning-bg); border-color: var(--mr-warning-line); }
.mr-card.mr-warning .mr-card-value { color: var(--mr-warning); }
.mr-card.mr-error { background: var(--mr-error-bg); border-color: var(--mr-error-line); }
.mr-card.mr-error .mr-card-value { color: var(--mr-error); }
.mr-figure { margin: 0; min-width: 0; }
.mr-table-wrap { overflow-x: auto; border: 1px solid var(--mr-border); border-radius: 8px; }
.mr-table { border-collapse: collapse; width: 100%; font-size: 14px;
  font-variant-numeric: tabular-nums; }
.mr-table th, .mr-table td { padding: 7px 12px; border-bottom: 1px solid var(--mr-border);
  text-align: left; vertical-align: top; }
.mr-table th { background: var(--mr-panel); font-weight: 600; white-space: nowrap;
  cursor: pointer; user-select: none; }
.mr-table th[aria-sort="ascending"]::after { content: " \\25B2"; font-size: 10px; }
.mr-table th[aria-sort="descending"]::after { content: " \\25BC"; font-size: 10px; }
.mr-table tbody tr:last-child td { border-bottom: 0; }
.mr-table tbody tr:hover td { background: #f3f4f6; }
.mr-table .mr-right { text-align: right; white-space: nowrap; }
.mr-table .mr-center { text-align: center; }
.mr-table .mr-null { color: var(--mr-muted); }
.mr-table tr.mr-info td { background: var(--mr-info-bg); }
.mr-table tr.mr-warning td { background: var(--mr-warning-bg); }
.mr-table tr.mr-error td { background: var(--mr-error-bg); }
.mr-table tr.mr-info td:first-child { box-shadow: inset 4px 0 var(--mr-info); }
.mr-table tr.mr-warning td:first-child { box-shadow: inset 4px 0 var(--mr-warning); }
.mr-table tr.mr-error td:first-child { box-shadow: inset 4px 0 var(--mr-error); }
.mr-caption { font-size: 13px; color: var(--mr-muted); margin-top: 6px; }
.mr-chart-frame { border: 1px solid var(--mr-border); border-radius: 8px; padding: 8px; }
.mr-chart { width: 100%; height: 320px; }
.mr-chart-failed { display: flex; align-items: center; justify-content: center;
  color: var(--mr-error); background: var(--mr-error-bg); }
.mr-grid { display: grid; grid-template-columns: repeat(var(--mr-cols, 2), minmax(0, 1fr));
  gap: 18px; }
.mr-grid > .mr-block + .mr-block { margin-top: 0; }
.mr-footer { border-top: 1px solid var(--mr-border); margin-top: 40px; padding-top: 12px;
  color: var(--mr-muted); font-size: 12px; }
@media (max-width: 760px) {
  .mr-page { padding: 20px 14px 32px; }
  .mr-grid { grid-template-columns: minmax(0, 1fr); }
  .mr-header h1 { font-size: 23px; }
}
@media print {
  body { font-size: 12px; }
  .mr-page { max-width: none; padding: 0; }
  .mr-toc { display: none; }
  .mr-section h2 { break-after: avoid; }
  .mr-figure, .mr-card, .mr-callout, .mr-table tr { break-inside: avoid; }
  .mr-table-wrap { overflow: visible; }
  .mr-table thead { display: table-header-group; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
