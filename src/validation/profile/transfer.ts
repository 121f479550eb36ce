import type { Schema } from '../../core/data/index.js';
import type { BatchView, ColumnView } from './view.js';

/** A batch as a structured-clone-friendly message (typed arrays can be transferred). */
export interface WireBatch {
  readonly schema: Schema;
  readonly numRows: number;
  readonly columns: readonly ColumnView[];
}

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

/**
 * Encodes `b` (a `RecordBatch` or any {@link BatchView}) for `postMessage` as plain column
 * shapes, listing the buffers to transfer. The batch must not be used after.
 */
export function toWire(b: BatchView): { msg: WireBatch; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const columns = b.columns.map((c): ColumnView => {
    switch (c.kind) {
      case 'number':
      case 'bool':
        return {
          kind: c.kind,
          values: own(c.values, transfer),
          valid: c.valid && own(c.valid, transfer),
        } as ColumnView;
      case 'bigint':
        return {
          kind: 'bigint',
          values: own(c.values, transfer),
          valid: c.valid && own(c.valid, transfer),
        };
      case 'string':
        return { kind: 'string', codes: own(c.codes, transfer), dictionary: c.dictionary };
      case 'value':
        return { kind: 'value', values: c.values };
    }
  });
  return { msg: { schema: b.schema, numRows: b.numRows, columns }, transfer };
}

/**
 * The batch of {@link toWire}'s message, as plain column shapes: the profiler reads these
 * directly, so a worker never loads the data layer's runtime.
 */
export function fromWire(m: WireBatch): BatchView {
  return m;
}
