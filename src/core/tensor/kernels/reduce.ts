// AssemblyScript. Sums of a row-major [rows, cols] matrix: over axis 0 (column sums), over axis 1
// (row sums), and of everything. Lanes accumulate in f32; totals across lanes and rows in f64.

/** out[j] = sum_i x[i, j] (out has cols floats). */
export function sumAxis0(x: usize, rows: i32, cols: i32, out: usize): void {
  memory.fill(out, 0, <usize>cols << 2);
  for (let i = 0; i < rows; i++) {
    const row = x + ((<usize>i * cols) << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const q = <usize>j << 2;
      v128.store(out + q, f32x4.add(v128.load(out + q), v128.load(row + q)));
    }
    for (; j < cols; j++) {
      const q = <usize>j << 2;
      store<f32>(out + q, load<f32>(out + q) + load<f32>(row + q));
    }
  }
}

/** Sum of n floats: f32x4 partial sums over blocks of 1024, added up in f64. */
export function sumAll(x: usize, n: i32): f64 {
  let total: f64 = 0;
  let i = 0;
  while (i < n) {
    const end = min(n, i + 1024);
    let acc = f32x4.splat(0);
    for (; i + 4 <= end; i += 4) acc = f32x4.add(acc, v128.load(x + (<usize>i << 2)));
    let s: f64 = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1);
    s += <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
    for (; i < end; i++) s += <f64>load<f32>(x + (<usize>i << 2));
    total += s;
  }
  return total;
}

/** out[i] = sum_j x[i, j] (out has rows floats). */
export function sumAxis1(x: usize, rows: i32, cols: i32, out: usize): void {
  for (let i = 0; i < rows; i++) {
    store<f32>(out + (<usize>i << 2), <f32>sumAll(x + ((<usize>i * cols) << 2), cols));
  }
}
