import { expectDtype, expectRank, fail, fmt, sameEngine } from './check.js';
import type { Tensor } from './tensor.js';

function check(
  op: string,
  table: Tensor,
  indices: Tensor<'int32'>,
  rows: Tensor,
  rowsName: string,
): number {
  sameEngine(op, table, indices, rows);
  expectRank(op, 'table', table, 2);
  expectDtype(op, 'table', table, 'float32');
  expectDtype(op, 'indices', indices, 'int32');
  expectDtype(op, rowsName, rows, 'float32');
  const [vocab, dim] = table.shape as [number, number];
  const want = [...indices.shape, dim];
  if (rows.shape.length !== want.length || rows.shape.some((d, i) => d !== want[i])) {
    fail(
      op,
      `${rowsName} has shape ${fmt(rows.shape)}, expected ${fmt(want)} (indices ${fmt(indices.shape)} x dim ${dim})`,
      {
        [rowsName]: rows.shape,
        expected: want,
      },
    );
  }
  const idx = indices.data;
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i] as number;
    if (r < 0 || r >= vocab)
      fail(op, `indices[${i}] = ${r} is outside the table's ${vocab} rows`, {
        position: i,
        index: r,
        vocab,
      });
  }
  return dim;
}

/** Embedding lookup: out[..., :] = table[indices[...], :], out shaped [...indices.shape, dim]. */
export function embeddingGather(table: Tensor, indices: Tensor<'int32'>, out: Tensor): void {
  const dim = check('embeddingGather', table, indices, out, 'out');
  table.engine.kernels.embeddingGather(table.ptr, dim, indices.ptr, indices.size, out.ptr);
}

/**
 * Embedding backward: dtable[indices[...], :] += dout[..., :] (accumulates; repeated indices
 * add up). Zero dtable first for a fresh gradient.
 */
export function embeddingScatterAdd(dout: Tensor, indices: Tensor<'int32'>, dtable: Tensor): void {
  const dim = check('embeddingScatterAdd', dtable, indices, dout, 'dout');
  dtable.engine.kernels.embeddingScatterAdd(dout.ptr, indices.ptr, indices.size, dim, dtable.ptr);
}
