// AssemblyScript. Elementwise kernels over n contiguous floats; outputs may alias inputs.

/** out = a + b. */
export function add(a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = <usize>i << 2;
    v128.store(out + q, f32x4.add(v128.load(a + q), v128.load(b + q)));
  }
  for (; i < n; i++) {
    const q = <usize>i << 2;
    store<f32>(out + q, load<f32>(a + q) + load<f32>(b + q));
  }
}

/** out = a * b. */
export function mul(a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = <usize>i << 2;
    v128.store(out + q, f32x4.mul(v128.load(a + q), v128.load(b + q)));
  }
  for (; i < n; i++) {
    const q = <usize>i << 2;
    store<f32>(out + q, load<f32>(a + q) * load<f32>(b + q));
  }
}

/** out = s * a. */
export function scale(a: usize, s: f32, out: usize, n: i32): void {
  const vs = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = <usize>i << 2;
    v128.store(out + q, f32x4.mul(v128.load(a + q), vs));
  }
  for (; i < n; i++) {
    const q = <usize>i << 2;
    store<f32>(out + q, load<f32>(a + q) * s);
  }
}

/** y += alpha * x. */
export function axpy(alpha: f32, x: usize, y: usize, n: i32): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = <usize>i << 2;
    v128.store(y + q, f32x4.add(v128.load(y + q), f32x4.mul(va, v128.load(x + q))));
  }
  for (; i < n; i++) {
    const q = <usize>i << 2;
    store<f32>(y + q, load<f32>(y + q) + alpha * load<f32>(x + q));
  }
}

/** x[i] = v for i < n. */
export function fill(x: usize, v: f32, n: i32): void {
  const vv = f32x4.splat(v);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(x + (<usize>i << 2), vv);
  for (; i < n; i++) store<f32>(x + (<usize>i << 2), v);
}
