import { RecordBatch } from './batch.js';
import {
  BigIntColumn,
  BoolColumn,
  NumberColumn,
  StringColumn,
  ValueColumn,
  type Column,
} from './column.js';
import type { Schema } from './types.js';

function concatValid(
  cols: readonly { valid: Uint8Array | null; length: number }[],
  n: number,
): Uint8Array | null {
  if (cols.every((c) => c.valid === null)) return null;
  const out = new Uint8Array(n).fill(1);
  let at = 0;
  for (const c of cols) {
    if (c.valid) out.set(c.valid, at);
    at += c.length;
  }
  return out;
}

function concatColumns(cols: readonly Column[], n: number): Column {
  const first = cols[0] as Column;
  switch (first.kind) {
    case 'number': {
      const values = new Float64Array(n);
      let at = 0;
      for (const c of cols as NumberColumn[]) {
        values.set(c.values, at);
        at += c.length;
      }
      return new NumberColumn(first.type, values, concatValid(cols as NumberColumn[], n));
    }
    case 'bigint': {
      const values = first.type === 'int64' ? new BigInt64Array(n) : new BigUint64Array(n);
      let at = 0;
      for (const c of cols as BigIntColumn[]) {
        (values as BigInt64Array).set(c.values as BigInt64Array, at);
        at += c.length;
      }
      return new BigIntColumn(first.type, values, concatValid(cols as BigIntColumn[], n));
    }
    case 'bool': {
      const values = new Uint8Array(n);
      let at = 0;
      for (const c of cols as BoolColumn[]) {
        values.set(c.values, at);
        at += c.length;
      }
      return new BoolColumn(values, concatValid(cols as BoolColumn[], n));
    }
    case 'string': {
      const dict: string[] = [];
      const index = new Map<string, number>();
      const codes = new Int32Array(n);
      let at = 0;
      for (const c of cols as StringColumn[]) {
        const remap = c.dictionary.map((s) => {
          let k = index.get(s);
          if (k === undefined) {
            k = dict.length;
            dict.push(s);
            index.set(s, k);
          }
          return k;
        });
        for (let i = 0; i < c.length; i++) {
          const code = c.codes[i] as number;
          codes[at + i] = code < 0 ? -1 : (remap[code] as number);
        }
        at += c.length;
      }
      return new StringColumn(codes, dict);
    }
    case 'value':
      return new ValueColumn((cols as ValueColumn[]).flatMap((c) => c.values));
  }
}

/** Concatenates batches that share a schema into one batch (string dictionaries are merged). */
export function concatBatches(schema: Schema, batches: readonly RecordBatch[]): RecordBatch {
  if (batches.length === 1) return batches[0] as RecordBatch;
  const n = batches.reduce((s, b) => s + b.numRows, 0);
  if (batches.length === 0) return RecordBatch.fromRows(schema, []);
  const columns = schema.map((_, c) =>
    concatColumns(
      batches.map((b) => b.columns[c] as Column),
      n,
    ),
  );
  return new RecordBatch(schema, n, columns);
}
