// AssemblyScript. Embedding lookup (gather rows of a [vocab, dim] table) and its backward
// (scatter-add rows into the table gradient). Indices are i32, validated by the caller.

/** out[i, :] = table[idx[i], :] for i < n. */
export function embeddingGather(table: usize, dim: i32, idx: usize, n: i32, out: usize): void {
  const rowBytes = <usize>dim << 2;
  for (let i = 0; i < n; i++) {
    const r = <usize>load<i32>(idx + (<usize>i << 2));
    memory.copy(out + <usize>i * rowBytes, table + r * rowBytes, rowBytes);
  }
}

/** dtable[idx[i], :] += dout[i, :] for i < n (repeated indices accumulate). */
export function embeddingScatterAdd(dout: usize, idx: usize, n: i32, dim: i32, dtable: usize): void {
  const rowBytes = <usize>dim << 2;
  for (let i = 0; i < n; i++) {
    const r = <usize>load<i32>(idx + (<usize>i << 2));
    const src = dout + <usize>i * rowBytes;
    const dst = dtable + r * rowBytes;
    let j = 0;
    for (; j + 4 <= dim; j += 4) {
      const q = <usize>j << 2;
      v128.store(dst + q, f32x4.add(v128.load(dst + q), v128.load(src + q)));
    }
    for (; j < dim; j++) {
      const q = <usize>j << 2;
      store<f32>(dst + q, load<f32>(dst + q) + load<f32>(src + q));
    }
  }
}
