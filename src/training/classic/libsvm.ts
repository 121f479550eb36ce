import { readFile } from 'node:fs/promises';
import { MortarError } from '../../core/errors.js';
import { CsrMatrix } from './sparse.js';
import type { FeaturesDataset } from './types.js';

/** Options of the LIBSVM reader. */
export interface LibsvmOptions {
  /** Name used in error messages (the file path). */
  readonly source?: string;
  /** Feature ids start at 0 instead of LIBSVM's usual 1. Default false. */
  readonly zeroBased?: boolean;
  /**
   * Number of feature columns. Default: the largest id seen. Pass the training file's count when
   * reading a test file, so both have the same width (a9a.t has no feature 123).
   */
  readonly nFeatures?: number;
}

/**
 * Parses LIBSVM/SVMlight text: one row per line, `label id:value id:value ...` (ids ascending,
 * 1-based by default); `#` starts a comment; blank lines are skipped. Returns a features dataset
 * whose `x` is CSR.
 *
 * @example
 * const { x, y } = parseLibsvm('+1 1:0.5 3:1\n-1 2:1\n');
 * // x: 2x3 CSR, y: Float64Array [1, -1]
 */
export function parseLibsvm(
  text: string,
  options: LibsvmOptions = {},
): FeaturesDataset & { y: Float64Array; x: CsrMatrix } {
  const source = options.source ?? 'LIBSVM input';
  const base = options.zeroBased ? 0 : 1;
  const labels: number[] = [];
  const ptr: number[] = [0];
  const idx: number[] = [];
  const val: number[] = [];
  let maxId = -1;
  const lines = text.split('\n');
  for (let ln = 0; ln < lines.length; ln++) {
    let line = lines[ln]!;
    const hash = line.indexOf('#');
    if (hash >= 0) line = line.slice(0, hash);
    line = line.trim();
    if (line === '') continue;
    const bad = (what: string): MortarError =>
      new MortarError(
        'DATA_INVALID',
        `${source}, line ${ln + 1}: ${what} (expected "label id:value ...")`,
        {
          details: { file: source, line: ln + 1 },
        },
      );
    const tokens = line.split(/\s+/);
    const label = Number(tokens[0]);
    if (!Number.isFinite(label)) throw bad(`label "${tokens[0]}" is not a number`);
    labels.push(label);
    let prev = -1;
    for (let t = 1; t < tokens.length; t++) {
      const tok = tokens[t]!;
      const colon = tok.indexOf(':');
      if (colon <= 0) throw bad(`token "${tok}" is not id:value`);
      const id = Number(tok.slice(0, colon)) - base;
      const v = Number(tok.slice(colon + 1));
      if (!Number.isInteger(id) || id < 0)
        throw bad(`feature id "${tok.slice(0, colon)}" is not an integer >= ${base}`);
      if (Number.isNaN(v) || tok.slice(colon + 1) === '')
        throw bad(`value in "${tok}" is not a number`);
      if (id <= prev) throw bad(`feature ids must ascend ("${tok}" after id ${prev + base})`);
      prev = id;
      if (id > maxId) maxId = id;
      if (v !== 0) {
        idx.push(id);
        val.push(v);
      }
    }
    ptr.push(idx.length);
  }
  const cols = options.nFeatures ?? maxId + 1;
  if (maxId >= cols) {
    throw new MortarError(
      'DATA_INVALID',
      `${source}: feature id ${maxId + base} exceeds nFeatures ${cols}; raise nFeatures to at least ${maxId + 1}`,
      { details: { file: source, maxId: maxId + base, nFeatures: cols } },
    );
  }
  const x = new CsrMatrix(
    labels.length,
    cols,
    Int32Array.from(ptr),
    Int32Array.from(idx),
    Float64Array.from(val),
  );
  return { kind: 'features', x, y: Float64Array.from(labels) };
}

/** Reads a LIBSVM file (see {@link parseLibsvm}); NOT_FOUND naming the path if it is missing. */
export async function readLibsvm(
  path: string,
  options: Omit<LibsvmOptions, 'source'> = {},
): Promise<FeaturesDataset & { y: Float64Array; x: CsrMatrix }> {
  return parseLibsvm(await readText(path), { ...options, source: path });
}

/** Reads a UTF-8 file, mapping a missing file to NOT_FOUND. */
export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new MortarError('NOT_FOUND', `${path}: no such file (check the path)`, {
        details: { file: path },
        cause: e,
      });
    }
    throw new MortarError('DATA_INVALID', `${path}: cannot read (${(e as Error).message})`, {
      details: { file: path },
      cause: e,
    });
  }
}
