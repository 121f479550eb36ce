import { MortarError } from '../errors.js';
import { Rng } from '../rng.js';
import type { RecordBatch } from './batch.js';
import type { Column } from './column.js';

/** How to split rows into parts. */
export interface SplitSpec {
  /** Share of rows (or groups) per part; positive, summing to 1. */
  readonly fractions: readonly number[];
  /** Group-aware: all rows with the same value of this column go to the same part. */
  readonly by?: string;
  readonly seed: number;
}

/** Default part names: `train`/`test`, `train`/`validation`/`test`, else `part-0`.. */
export function partNames(parts: number): string[] {
  if (parts === 2) return ['train', 'test'];
  if (parts === 3) return ['train', 'validation', 'test'];
  return Array.from({ length: parts }, (_, i) => `part-${i}`);
}

/** Parses `0.8,0.2` into fractions; throws INVALID_ARGUMENT unless positive and summing to 1. */
export function parseFractions(text: string | readonly number[]): number[] {
  const xs = typeof text === 'string' ? text.split(',').map((s) => Number(s.trim())) : [...text];
  const sum = xs.reduce((a, b) => a + b, 0);
  if (xs.length < 2 || xs.some((x) => !Number.isFinite(x) || x <= 0) || Math.abs(sum - 1) > 1e-6) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `fractions must be two or more positive numbers summing to 1 (e.g. 0.8,0.2), got ${String(text)}`,
      { details: { fractions: String(text) } },
    );
  }
  return xs;
}

/** A 32-bit hash of a string under a seed (FNV-1a with a murmur3 finalizer), as a float in [0, 1). */
export function hashUnit(key: string, seed: number): number {
  let h = (0x811c9dc5 ^ Math.imul(seed | 0, 0x9e3779b1) ^ Math.floor(seed / 4294967296)) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

function keyOf(c: Column, i: number): string {
  if (c.isNull(i)) return '\u0000null';
  const v = c.get(i);
  if (v instanceof Date) return String(v.getTime());
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/**
 * Returns a function assigning each row of successive batches to a part (0-based), as an
 * Int32Array. Random splits draw one seeded uniform per row in stream order, so the same file
 * and seed give the same split. Group splits hash the `by` value with the seed, so a value's rows
 * all land in one part, and a value lands in the same part in every file.
 */
export function splitAssigner(spec: SplitSpec): (batch: RecordBatch) => Int32Array {
  const fr = parseFractions(spec.fractions);
  const cum: number[] = [];
  fr.reduce((acc, f, i) => ((cum[i] = acc + f), acc + f), 0);
  cum[cum.length - 1] = Infinity;
  const partOf = (u: number) => {
    let p = 0;
    while (u >= (cum[p] as number)) p++;
    return p;
  };
  if (spec.by === undefined) {
    const rng = new Rng(spec.seed);
    return (batch) => {
      const out = new Int32Array(batch.numRows);
      for (let i = 0; i < out.length; i++) out[i] = partOf(rng.float());
      return out;
    };
  }
  const by = spec.by;
  return (batch) => {
    const col = batch.column(by);
    const out = new Int32Array(batch.numRows);
    if (col.kind === 'string') {
      const byCode = col.dictionary.map((s) => partOf(hashUnit(s, spec.seed)));
      const nullPart = partOf(hashUnit('\u0000null', spec.seed));
      for (let i = 0; i < out.length; i++) {
        const c = col.codes[i] as number;
        out[i] = c < 0 ? nullPart : (byCode[c] as number);
      }
      return out;
    }
    for (let i = 0; i < out.length; i++) out[i] = partOf(hashUnit(keyOf(col, i), spec.seed));
    return out;
  };
}
