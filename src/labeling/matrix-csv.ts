import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { MortarError } from '../core/errors.js';
import type { LabelMatrix } from './matrix.js';
import { LabelMatrixBuilder, defaultLfNames } from './matrix.js';

const INT = /^-?\d+$/;

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Parses a label matrix CSV: one row per data point, one integer column per LF (-1 = abstain),
 * and an optional header row of LF names (detected: a first line that is not all integers).
 * `file` names the source in errors; lines are numbered from 1 as an editor shows them.
 *
 * @throws DATA_INVALID naming the file, line and column of a wrong-width row or a non-integer.
 */
export function parseLabelMatrixCsv(text: string, file = 'label matrix'): LabelMatrix {
  const lines = splitLines(text);
  if (lines.length === 0) {
    throw new MortarError(
      'DATA_INVALID',
      `${file} is empty; expected one row of integer labels per data point`,
      {
        details: { file },
      },
    );
  }
  const firstCells = lines[0]!.split(',').map((c) => c.trim());
  const hasHeader = firstCells.some((c) => !INT.test(c));
  const names = hasHeader ? firstCells : defaultLfNames(firstCells.length);
  if (hasHeader) {
    const seen = new Set<string>();
    for (const nm of names) {
      if (nm === '' || seen.has(nm)) {
        throw new MortarError(
          'DATA_INVALID',
          `${file}, line 1: header has ${nm === '' ? 'an empty' : `a duplicate LF name "${nm}"`}; LF names must be unique`,
          {
            details: { file, line: 1, lf: nm },
          },
        );
      }
      seen.add(nm);
    }
  }
  const m = names.length;
  const b = new LabelMatrixBuilder(names);
  const row = new Int32Array(m);
  for (let l = hasHeader ? 1 : 0; l < lines.length; l++) {
    const cells = lines[l]!.split(',');
    if (cells.length !== m) {
      throw new MortarError(
        'DATA_INVALID',
        `${file}, line ${l + 1}: expected ${m} values (one per LF${hasHeader ? ' in the header' : ''}), found ${cells.length}`,
        { details: { file, line: l + 1, row: b.rows, expected: m, found: cells.length } },
      );
    }
    for (let j = 0; j < m; j++) {
      const c = cells[j]!.trim();
      if (!INT.test(c) || Number(c) < -1) {
        throw new MortarError(
          'DATA_INVALID',
          `${file}, line ${l + 1}, column ${j + 1} (${names[j]}): ${JSON.stringify(c)} is not a label; use integers >= 0, or -1 for abstain`,
          { details: { file, line: l + 1, row: b.rows, column: j, lf: names[j], value: c } },
        );
      }
      row[j] = Number(c);
    }
    b.pushDense(row);
  }
  return b.build();
}

/** Reads a label matrix CSV file (see {@link parseLabelMatrixCsv}). */
export async function readLabelMatrixCsv(path: string): Promise<LabelMatrix> {
  return parseLabelMatrixCsv(await readText(path, 'label matrix'), path);
}

/** Formats rows `[start, end)` of `L` as CSV lines (no header). */
export function formatLabelMatrixRows(L: LabelMatrix, start = 0, end = L.n): string {
  const parts: string[] = [];
  const row = new Array<number>(L.m);
  for (let i = start; i < end; i++) {
    row.fill(-1);
    for (let p = L.rowPtr[i]!; p < L.rowPtr[i + 1]!; p++) row[L.cols[p]!] = L.labels[p]!;
    parts.push(row.join(','));
  }
  return parts.length ? parts.join('\n') + '\n' : '';
}

/** The whole matrix as CSV text, with a header row of LF names unless `header` is false. */
export function formatLabelMatrixCsv(L: LabelMatrix, header = true): string {
  return (header ? L.lfNames.join(',') + '\n' : '') + formatLabelMatrixRows(L);
}

/** An append-only CSV sink for label matrix chunks (used by streaming appliers). */
export interface LabelMatrixCsvWriter {
  write(chunk: LabelMatrix): Promise<void>;
  close(): Promise<void>;
}

/** Opens `path` for writing a label matrix chunk by chunk (header first unless `header` is false). */
export function openLabelMatrixCsvWriter(
  path: string,
  lfNames: readonly string[],
  header = true,
): LabelMatrixCsvWriter {
  const out = createWriteStream(path);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  let started = false;
  return {
    async write(chunk) {
      if (!started && header) await write(lfNames.join(',') + '\n');
      started = true;
      await write(formatLabelMatrixRows(chunk));
    },
    async close() {
      if (!started && header) await write(lfNames.join(',') + '\n');
      out.end();
      await once(out, 'finish');
    },
  };
}

/** Writes `L` to `path` as CSV. */
export async function writeLabelMatrixCsv(
  path: string,
  L: LabelMatrix,
  header = true,
): Promise<void> {
  const w = openLabelMatrixCsvWriter(path, L.lfNames, header);
  await w.write(L);
  await w.close();
}

/**
 * Parses gold labels: one integer per line (-1 = unknown), an optional header line, or a CSV
 * whose column named `label`/`gold`/`y` (or its only column) holds the labels.
 * @throws DATA_INVALID naming the file and line of a non-integer.
 */
export function parseGoldCsv(text: string, file = 'gold labels'): Int32Array {
  const lines = splitLines(text);
  let col = 0;
  let start = 0;
  const first = lines[0]?.split(',').map((c) => c.trim()) ?? [];
  if (first.some((c) => !INT.test(c))) {
    start = 1;
    const named = first.findIndex((c) => ['label', 'gold', 'y'].includes(c.toLowerCase()));
    col = named >= 0 ? named : 0;
    if (named < 0 && first.length > 1) {
      throw new MortarError(
        'DATA_INVALID',
        `${file}: ${first.length} columns and none named label, gold or y; give one column of labels`,
        {
          details: { file },
        },
      );
    }
  }
  const out = new Int32Array(lines.length - start);
  for (let l = start; l < lines.length; l++) {
    const c = (lines[l]!.split(',')[col] ?? '').trim();
    if (!INT.test(c) || Number(c) < -1) {
      throw new MortarError(
        'DATA_INVALID',
        `${file}, line ${l + 1}: ${JSON.stringify(c)} is not a gold label; use integers >= 0 (-1 = unknown)`,
        {
          details: { file, line: l + 1, value: c },
        },
      );
    }
    out[l - start] = Number(c);
  }
  return out;
}

/** Reads gold labels from a file (see {@link parseGoldCsv}). */
export async function readGoldCsv(path: string): Promise<Int32Array> {
  return parseGoldCsv(await readText(path, 'gold labels'), path);
}

/**
 * Checks that gold labels match the matrix's rows.
 * @throws DATA_INVALID naming both files and both row counts.
 */
export function checkGold(
  gold: ArrayLike<number>,
  n: number,
  goldFile = 'gold labels',
  matrixFile = 'the label matrix',
  cardinality?: number,
): void {
  if (gold.length !== n) {
    throw new MortarError(
      'DATA_INVALID',
      `${goldFile} has ${gold.length} labels but ${matrixFile} has ${n} rows; give one gold label per row, in the same order (-1 where unknown)`,
      { details: { gold: goldFile, matrix: matrixFile, goldRows: gold.length, matrixRows: n } },
    );
  }
  if (cardinality !== undefined) {
    for (let i = 0; i < gold.length; i++) {
      if (gold[i]! >= cardinality) {
        throw new MortarError(
          'DATA_INVALID',
          `${goldFile}, row ${i}: gold label ${gold[i]} is outside 0..${cardinality - 1}`,
          {
            details: { gold: goldFile, row: i, value: gold[i] },
          },
        );
      }
    }
  }
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new MortarError('NOT_FOUND', `${what} file not found: ${path}`, {
        details: { file: path },
      });
    }
    throw e;
  }
}
