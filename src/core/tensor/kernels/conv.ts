// AssemblyScript. im2col / col2im for NCHW conv2d (one image at a time) and a per-channel bias.
// col is [C * KH * KW, OH * OW]: row (c, ki, kj), column (oh, ow). Conv forward is then
// W[OC, C*KH*KW] x col, one GEMM per image; the backward uses the same layout (see ../conv.ts).

/** col[(c*kh + ki)*kw + kj, oh*ow_ + ow] = x[c, oh*sh - ph + ki*dh, ow*sw - pw + kj*dw] or 0. */
export function im2col(
  x: usize, c: i32, h: i32, w: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32,
  oh: i32, ow: i32, col: usize,
): void {
  let dst = col;
  for (let ci = 0; ci < c; ci++) {
    const plane = x + ((<usize>ci * h * w) << 2);
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        for (let y = 0; y < oh; y++) {
          const iy = y * sh - ph + ki * dh;
          if (iy < 0 || iy >= h) {
            memory.fill(dst, 0, <usize>ow << 2);
            dst += <usize>ow << 2;
            continue;
          }
          const row = plane + ((<usize>iy * w) << 2);
          let ix = kj * dw - pw;
          if (sw == 1 && ix >= 0 && ix + ow <= w) {
            memory.copy(dst, row + (<usize>ix << 2), <usize>ow << 2);
            dst += <usize>ow << 2;
            continue;
          }
          for (let xo = 0; xo < ow; xo++) {
            store<f32>(dst, ix >= 0 && ix < w ? load<f32>(row + (<usize>ix << 2)) : 0);
            dst += 4;
            ix += sw;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: dx[c, iy, ix] += col[...] for every position im2col read. */
export function col2im(
  col: usize, c: i32, h: i32, w: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32,
  oh: i32, ow: i32, dx: usize,
): void {
  let src = col;
  for (let ci = 0; ci < c; ci++) {
    const plane = dx + ((<usize>ci * h * w) << 2);
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        for (let y = 0; y < oh; y++) {
          const iy = y * sh - ph + ki * dh;
          if (iy < 0 || iy >= h) {
            src += <usize>ow << 2;
            continue;
          }
          const row = plane + ((<usize>iy * w) << 2);
          let ix = kj * dw - pw;
          for (let xo = 0; xo < ow; xo++) {
            if (ix >= 0 && ix < w) {
              const q = row + (<usize>ix << 2);
              store<f32>(q, load<f32>(q) + load<f32>(src));
            }
            src += 4;
            ix += sw;
          }
        }
      }
    }
  }
}

/** y[n, c, :] += bias[c] over [n, c, hw]. */
export function addChannelBias(y: usize, bias: usize, n: i32, c: i32, hw: i32): void {
  let p = y;
  for (let i = 0; i < n; i++) {
    for (let ci = 0; ci < c; ci++) {
      const b = load<f32>(bias + (<usize>ci << 2));
      const vb = f32x4.splat(b);
      let j = 0;
      for (; j + 4 <= hw; j += 4) {
        v128.store(p, f32x4.add(v128.load(p), vb));
        p += 16;
      }
      for (; j < hw; j++) {
        store<f32>(p, load<f32>(p) + b);
        p += 4;
      }
    }
  }
}

/** dbias[c] = sum over n and hw of dy[n, c, hw] (overwrites dbias). */
export function channelBiasGrad(dy: usize, dbias: usize, n: i32, c: i32, hw: i32): void {
  memory.fill(dbias, 0, <usize>c << 2);
  let p = dy;
  for (let i = 0; i < n; i++) {
    for (let ci = 0; ci < c; ci++) {
      let acc = f32x4.splat(0);
      let j = 0;
      for (; j + 4 <= hw; j += 4) {
        acc = f32x4.add(acc, v128.load(p));
        p += 16;
      }
      let s: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
      for (; j < hw; j++) {
        s += load<f32>(p);
        p += 4;
      }
      const q = dbias + (<usize>ci << 2);
      store<f32>(q, load<f32>(q) + s);
    }
  }
}
