// AssemblyScript. Optimizer updates over n contiguous parameters, in place (PyTorch semantics).

/**
 * SGD with momentum: g' = g + wd * p; v = mu * v + g'; p -= lr * (nesterov ? g' + mu * v : v).
 * With mu = 0 this is plain SGD (v still holds the last step).
 */
export function sgdMomentum(
  p: usize, g: usize, v: usize, n: i32,
  lr: f32, mu: f32, wd: f32, nesterov: bool,
): void {
  const vlr = f32x4.splat(lr);
  const vmu = f32x4.splat(mu);
  const vwd = f32x4.splat(wd);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = <usize>i << 2;
    const pv = v128.load(p + q);
    const gv = f32x4.add(v128.load(g + q), f32x4.mul(vwd, pv));
    const vv = f32x4.add(f32x4.mul(vmu, v128.load(v + q)), gv);
    v128.store(v + q, vv);
    const step = nesterov ? f32x4.add(gv, f32x4.mul(vmu, vv)) : vv;
    v128.store(p + q, f32x4.sub(pv, f32x4.mul(vlr, step)));
  }
  for (; i < n; i++) {
    const q = <usize>i << 2;
    const pv = load<f32>(p + q);
    const gv = load<f32>(g + q) + wd * pv;
    const vv = mu * load<f32>(v + q) + gv;
    store<f32>(v + q, vv);
    const step = nesterov ? gv + mu * vv : vv;
    store<f32>(p + q, pv - lr * step);
  }
}

/**
 * Adam / AdamW. decoupled = false (Adam): g' = g + wd * p. decoupled = true (AdamW):
 * p *= 1 - lr * wd first. Then m = b1 m + (1 - b1) g'; v = b2 v + (1 - b2) g'^2;
 * p -= lr * (m / bc1) / (sqrt(v / bc2) + eps), with bc1 = 1 - b1^t, bc2 = 1 - b2^t.
 */
export function adam(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  lr: f32, b1: f32, b2: f32, eps: f32, wd: f32, decoupled: bool, bc1: f32, bc2: f32,
): void {
  const l2: f32 = decoupled ? 0 : wd;
  const shrink: f32 = decoupled ? 1 - lr * wd : 1;
  const ib1: f32 = 1 - b1;
  const ib2: f32 = 1 - b2;
  const ibc1: f32 = 1 / bc1;
  const ibc2: f32 = 1 / bc2;
  const vl2 = f32x4.splat(l2);
  const vsh = f32x4.splat(shrink);
  const vb1 = f32x4.splat(b1);
  const vb2 = f32x4.splat(b2);
  const vib1 = f32x4.splat(ib1);
  const vib2 = f32x4.splat(ib2);
  const vibc1 = f32x4.splat(ibc1);
  const vibc2 = f32x4.splat(ibc2);
  const veps = f32x4.splat(eps);
  const vlr = f32x4.splat(lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = <usize>i << 2;
    const p0 = v128.load(p + q);
    const gv = f32x4.add(v128.load(g + q), f32x4.mul(vl2, p0));
    const mv = f32x4.add(f32x4.mul(vb1, v128.load(m + q)), f32x4.mul(vib1, gv));
    const vv = f32x4.add(f32x4.mul(vb2, v128.load(v + q)), f32x4.mul(vib2, f32x4.mul(gv, gv)));
    v128.store(m + q, mv);
    v128.store(v + q, vv);
    const den = f32x4.add(f32x4.sqrt(f32x4.mul(vv, vibc2)), veps);
    const upd = f32x4.div(f32x4.mul(mv, vibc1), den);
    v128.store(p + q, f32x4.sub(f32x4.mul(p0, vsh), f32x4.mul(vlr, upd)));
  }
  for (; i < n; i++) {
    const q = <usize>i << 2;
    const p0 = load<f32>(p + q);
    const gv = load<f32>(g + q) + l2 * p0;
    const mv = b1 * load<f32>(m + q) + ib1 * gv;
    const vv = b2 * load<f32>(v + q) + ib2 * (gv * gv);
    store<f32>(m + q, mv);
    store<f32>(v + q, vv);
    const den = Mathf.sqrt(vv * ibc2) + eps;
    store<f32>(p + q, p0 * shrink - lr * ((mv * ibc1) / den));
  }
}
