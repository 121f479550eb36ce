// AssemblyScript. 2-D max and average pooling over NCHW planes (planes = N * C), forward and
// backward. Max pooling records the argmax (flat index within the H*W plane) for its backward;
// average pooling divides by the full window area kh*kw (padding counts, as PyTorch's default).

/** y[p, oy, ox] = max over the window; argmax[p, oy, ox] = its iy*w + ix (-1 if all padding). */
export function maxPool(
  x: usize, planes: i32, h: i32, w: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  oh: i32, ow: i32, y: usize, argmax: usize,
): void {
  let out = y;
  let am = argmax;
  for (let p = 0; p < planes; p++) {
    const plane = x + ((<usize>p * h * w) << 2);
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - ph;
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - pw;
        let best: f32 = -Infinity;
        let arg: i32 = -1;
        for (let ki = 0; ki < kh; ki++) {
          const iy = y0 + ki;
          if (iy < 0 || iy >= h) continue;
          for (let kj = 0; kj < kw; kj++) {
            const ix = x0 + kj;
            if (ix < 0 || ix >= w) continue;
            const idx = iy * w + ix;
            const v = load<f32>(plane + (<usize>idx << 2));
            // NaN wins, so it propagates; otherwise the first maximum wins.
            if (arg < 0 || v > best || (v != v && best == best)) {
              best = v;
              arg = idx;
            }
          }
        }
        store<f32>(out, arg < 0 ? 0 : best);
        store<i32>(am, arg);
        out += 4;
        am += 4;
      }
    }
  }
}

/** dx = 0, then dx[p, argmax[p, o]] += dy[p, o]. */
export function maxPoolBackward(dy: usize, argmax: usize, planes: i32, hw: i32, ohw: i32, dx: usize): void {
  memory.fill(dx, 0, (<usize>planes * hw) << 2);
  for (let p = 0; p < planes; p++) {
    const plane = dx + ((<usize>p * hw) << 2);
    const base = (<usize>p * ohw) << 2;
    for (let o = 0; o < ohw; o++) {
      const a = load<i32>(argmax + base + (<usize>o << 2));
      if (a < 0) continue;
      const q = plane + (<usize>a << 2);
      store<f32>(q, load<f32>(q) + load<f32>(dy + base + (<usize>o << 2)));
    }
  }
}

/** y[p, oy, ox] = sum over the in-bounds window / (kh * kw). */
export function avgPool(
  x: usize, planes: i32, h: i32, w: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  oh: i32, ow: i32, y: usize,
): void {
  const inv: f32 = 1 / <f32>(kh * kw);
  let out = y;
  for (let p = 0; p < planes; p++) {
    const plane = x + ((<usize>p * h * w) << 2);
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - ph;
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - pw;
        let s: f32 = 0;
        for (let ki = 0; ki < kh; ki++) {
          const iy = y0 + ki;
          if (iy < 0 || iy >= h) continue;
          for (let kj = 0; kj < kw; kj++) {
            const ix = x0 + kj;
            if (ix < 0 || ix >= w) continue;
            s += load<f32>(plane + ((<usize>iy * w + ix) << 2));
          }
        }
        store<f32>(out, s * inv);
        out += 4;
      }
    }
  }
}

/** dx = 0, then every in-bounds window position gets dy / (kh * kw). */
export function avgPoolBackward(
  dy: usize, planes: i32, h: i32, w: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  oh: i32, ow: i32, dx: usize,
): void {
  memory.fill(dx, 0, (<usize>planes * h * w) << 2);
  const inv: f32 = 1 / <f32>(kh * kw);
  let g = dy;
  for (let p = 0; p < planes; p++) {
    const plane = dx + ((<usize>p * h * w) << 2);
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - ph;
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - pw;
        const v = load<f32>(g) * inv;
        g += 4;
        for (let ki = 0; ki < kh; ki++) {
          const iy = y0 + ki;
          if (iy < 0 || iy >= h) continue;
          for (let kj = 0; kj < kw; kj++) {
            const ix = x0 + kj;
            if (ix < 0 || ix >= w) continue;
            const q = plane + ((<usize>iy * w + ix) << 2);
            store<f32>(q, load<f32>(q) + v);
          }
        }
      }
    }
  }
}
