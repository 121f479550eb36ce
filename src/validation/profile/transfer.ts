import {
  BigIntColumn,
  BoolColumn,
  NumberColumn,
  RecordBatch,
  StringColumn,
  ValueColumn,
  type Column,
  type Schema,
} from '../../core/data/index.js';

/** A batch as a structured-clone-friendly message (typed arrays can be transferred). */
export interface WireBatch {
  readonly schema: Schema;
  readonly numRows: number;
  readonly columns: readonly WireColumn[];
}

type WireColumn =
  | { k: 'number'; type: NumberColumn['type']; values: Float64Array; valid: Uint8Array | null }
  | {
      k: 'bigint';
      type: BigIntColumn['type'];
      values: BigInt64Array | BigUint64Array;
      valid: Uint8Array | null;
    }
  | { k: 'bool'; values: Uint8Array; valid: Uint8Array | null }
  | { k: 'string'; codes: Int32Array; dictionary: readonly string[] }
  | { k: 'value'; values: readonly unknown[] };

function own<T extends ArrayBufferView>(a: T, transfer: ArrayBuffer[]): T {
  // Transfer only buffers the view owns whole (and not yet listed); copy views of shared buffers.
  const buf = a.buffer;
  if (
    buf instanceof ArrayBuffer &&
    a.byteOffset === 0 &&
    a.byteLength === buf.byteLength &&
    !transfer.includes(buf)
  ) {
    transfer.push(buf);
    return a;
  }
  const copy = (a as unknown as { slice(): T }).slice();
  transfer.push(copy.buffer as ArrayBuffer);
  return copy;
}

/** Encodes `b` for `postMessage`, listing the buffers to transfer. The batch must not be used after. */
export function toWire(b: RecordBatch): { msg: WireBatch; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const columns = b.columns.map((c: Column): WireColumn => {
    switch (c.kind) {
      case 'number':
        return {
          k: 'number',
          type: c.type,
          values: own(c.values, transfer),
          valid: c.valid && own(c.valid, transfer),
        };
      case 'bigint':
        return {
          k: 'bigint',
          type: c.type,
          values: own(c.values, transfer),
          valid: c.valid && own(c.valid, transfer),
        };
      case 'bool':
        return {
          k: 'bool',
          values: own(c.values, transfer),
          valid: c.valid && own(c.valid, transfer),
        };
      case 'string':
        return { k: 'string', codes: own(c.codes, transfer), dictionary: c.dictionary };
      case 'value':
        return { k: 'value', values: c.values };
    }
  });
  return { msg: { schema: b.schema, numRows: b.numRows, columns }, transfer };
}

/** Rebuilds a batch from {@link toWire}'s message. */
export function fromWire(m: WireBatch): RecordBatch {
  const cols = m.columns.map((c): Column => {
    switch (c.k) {
      case 'number':
        return new NumberColumn(c.type, c.values, c.valid);
      case 'bigint':
        return new BigIntColumn(c.type, c.values, c.valid);
      case 'bool':
        return new BoolColumn(c.values, c.valid);
      case 'string':
        return new StringColumn(c.codes, c.dictionary);
      case 'value':
        return new ValueColumn(c.values);
    }
  });
  return new RecordBatch(m.schema, m.numRows, cols);
}
