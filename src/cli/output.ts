import { stableStringify } from '../core/json.js';

/** Where a command writes. Injected so tests can capture output without a child process. */
export interface Output {
  /** Writes a line to stdout. */
  line(text?: string): void;
  /** Writes a JSON value as one line to stdout (for `--json`). */
  json(value: unknown): void;
  /** Writes a line to stderr (notes, progress, errors). */
  note(text: string): void;
  /** True when stderr is a terminal (progress bars are drawn only then). */
  readonly isTTY: boolean;
}

/** Output to the process's stdout and stderr. */
export function processOutput(): Output {
  return {
    line: (t = '') => void process.stdout.write(`${t}\n`),
    json: (v) => void process.stdout.write(`${JSON.stringify(v, jsonReplacer)}\n`),
    note: (t) => void process.stderr.write(`${t}\n`),
    isTTY: Boolean(process.stderr.isTTY),
  };
}

/** Output captured in memory (tests). */
export function memoryOutput(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    line: (t = '') => void stdout.push(t),
    json: (v) => void stdout.push(JSON.stringify(v, jsonReplacer)),
    note: (t) => void stderr.push(t),
    isTTY: false,
  };
}

/** JSON replacer that writes bigints as numbers when safe, else strings. */
export function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint')
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : v.toString();
  return v;
}

/** Formats rows as an aligned text table. */
export function table(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = rows.map((r) => r.map(fmtCell));
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)),
  );
  const fmt = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [fmt(headers), fmt(widths.map((w) => '-'.repeat(w))), ...cells.map(fmt)].join('\n');
}

function fmtCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number')
    return Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, '');
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'object' && !(v instanceof Date)) return stableStringify(v);
  return v instanceof Date ? v.toISOString() : String(v);
}
