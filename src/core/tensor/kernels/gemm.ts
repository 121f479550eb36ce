// AssemblyScript. SGEMM, row-major: C[M,N] = alpha * op(A)[M,K] * op(B)[K,N] + beta * C.
// Goto-style blocking: B is packed KC x NC into NR-wide column panels, A is packed MC x KC into
// MR-high row panels (alpha folded in); an MR x NR register-blocked SIMD micro-kernel multiplies
// one A panel by one B panel. Edge tiles go through a small scratch tile. See ../README.md.
import { biasActStrided } from './activations';

/** Rows of the register tile. */
const MR: i32 = 4;
/** Columns of the register tile (two f32x4 vectors). */
const NR: i32 = 8;
/** Depth of one packed block (a KC x NR B panel, 8 KiB, stays in L1). */
const KC: i32 = 256;
/** Rows of one packed A block (MC x KC, 128 KiB, stays in L2). */
const MC: i32 = 128;
/** Columns of one packed B block (KC x NC, 2 MiB, lives in L2/L3). */
const NC: i32 = 2048;

const PACK_A: usize = memory.data(MC * KC * 4, 64);
const PACK_B: usize = memory.data(KC * NC * 4, 64);
const TILE: usize = memory.data(MR * NR * 4, 64);

/** Packs op(A)[i0:i0+mc, p0:p0+kc] * alpha into MR-row panels: panel-major, then p, then row. */
function packA(transA: bool, a: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32, alpha: f32): void {
  let dst = PACK_A;
  const va = f32x4.splat(alpha);
  for (let ip = 0; ip < mc; ip += MR) {
    const mr = min(MR, mc - ip);
    if (mr == MR) {
      if (transA) {
        // op(A)(i, p) = A[p, i]: four consecutive i are contiguous.
        let src = a + ((<usize>p0 * lda + i0 + ip) << 2);
        const step = <usize>lda << 2;
        for (let p = 0; p < kc; p++) {
          v128.store(dst, f32x4.mul(v128.load(src), va));
          src += step;
          dst += 16;
        }
      } else {
        const step = <usize>lda << 2;
        let r0 = a + ((<usize>(i0 + ip) * lda + p0) << 2);
        let r1 = r0 + step;
        let r2 = r1 + step;
        let r3 = r2 + step;
        for (let p = 0; p < kc; p++) {
          store<f32>(dst, load<f32>(r0) * alpha);
          store<f32>(dst, load<f32>(r1) * alpha, 4);
          store<f32>(dst, load<f32>(r2) * alpha, 8);
          store<f32>(dst, load<f32>(r3) * alpha, 12);
          r0 += 4;
          r1 += 4;
          r2 += 4;
          r3 += 4;
          dst += 16;
        }
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) {
          let v: f32 = 0;
          if (r < mr) {
            const i = i0 + ip + r;
            const k = p0 + p;
            v = transA ? load<f32>(a + ((<usize>k * lda + i) << 2)) : load<f32>(a + ((<usize>i * lda + k) << 2));
            v *= alpha;
          }
          store<f32>(dst, v);
          dst += 4;
        }
      }
    }
  }
}

/** Packs op(B)[p0:p0+kc, j0:j0+nc] into NR-column panels: panel-major, then p, then column. */
function packB(transB: bool, b: usize, ldb: i32, p0: i32, j0: i32, kc: i32, nc: i32): void {
  let dst = PACK_B;
  for (let jp = 0; jp < nc; jp += NR) {
    const nr = min(NR, nc - jp);
    if (nr == NR && !transB) {
      let src = b + ((<usize>p0 * ldb + j0 + jp) << 2);
      const step = <usize>ldb << 2;
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += step;
        dst += 32;
      }
    } else if (nr == NR) {
      // op(B)(p, j) = B[j, p]: walk eight rows of B in parallel.
      const step = <usize>ldb << 2;
      let s = b + ((<usize>(j0 + jp) * ldb + p0) << 2);
      for (let p = 0; p < kc; p++) {
        let t = s;
        for (let j = 0; j < NR; j++) {
          store<f32>(dst + (<usize>j << 2), load<f32>(t));
          t += step;
        }
        s += 4;
        dst += 32;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < NR; j++) {
          let v: f32 = 0;
          if (j < nr) {
            const k = p0 + p;
            const jj = j0 + jp + j;
            v = transB ? load<f32>(b + ((<usize>jj * ldb + k) << 2)) : load<f32>(b + ((<usize>k * ldb + jj) << 2));
          }
          store<f32>(dst, v);
          dst += 4;
        }
      }
    }
  }
}

/** C[MR x NR] (row stride ldc floats) += Apanel[kc x MR] * Bpanel[kc x NR]. */
// @ts-ignore: decorator
@inline
function micro(kc: i32, a: usize, b: usize, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = f32x4.add(c00, f32x4.mul(x, b0));
    c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a, 4);
    c10 = f32x4.add(c10, f32x4.mul(x, b0));
    c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(a, 8);
    c20 = f32x4.add(c20, f32x4.mul(x, b0));
    c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(a, 12);
    c30 = f32x4.add(c30, f32x4.mul(x, b0));
    c31 = f32x4.add(c31, f32x4.mul(x, b1));
    a += 16;
    b += 32;
  }
  const step = <usize>ldc << 2;
  v128.store(c, f32x4.add(v128.load(c), c00));
  v128.store(c, f32x4.add(v128.load(c, 16), c01), 16);
  c += step;
  v128.store(c, f32x4.add(v128.load(c), c10));
  v128.store(c, f32x4.add(v128.load(c, 16), c11), 16);
  c += step;
  v128.store(c, f32x4.add(v128.load(c), c20));
  v128.store(c, f32x4.add(v128.load(c, 16), c21), 16);
  c += step;
  v128.store(c, f32x4.add(v128.load(c), c30));
  v128.store(c, f32x4.add(v128.load(c, 16), c31), 16);
}

function microFull(kc: i32, a: usize, b: usize, c: usize, ldc: i32): void {
  micro(kc, a, b, c, ldc);
}

/** The edge case: multiply into the zeroed scratch tile, then add its valid mr x nr corner to C. */
function microEdge(kc: i32, a: usize, b: usize, c: usize, ldc: i32, mr: i32, nr: i32): void {
  memory.fill(TILE, 0, MR * NR * 4);
  micro(kc, a, b, TILE, NR);
  for (let i = 0; i < mr; i++) {
    const crow = c + ((<usize>i * ldc) << 2);
    const trow = TILE + (<usize>(i * NR) << 2);
    for (let j = 0; j < nr; j++) {
      const q = <usize>j << 2;
      store<f32>(crow + q, load<f32>(crow + q) + load<f32>(trow + q));
    }
  }
}

/** C = beta * C over an m x n block with row stride ldc (beta = 0 writes zeros, ignoring NaN in C). */
export function scaleMatrix(c: usize, m: i32, n: i32, ldc: i32, beta: f32): void {
  if (beta == 1) return;
  const vb = f32x4.splat(beta);
  for (let i = 0; i < m; i++) {
    const row = c + ((<usize>i * ldc) << 2);
    if (beta == 0) {
      memory.fill(row, 0, <usize>n << 2);
      continue;
    }
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const q = row + (<usize>j << 2);
      v128.store(q, f32x4.mul(v128.load(q), vb));
    }
    for (; j < n; j++) {
      const q = row + (<usize>j << 2);
      store<f32>(q, load<f32>(q) * beta);
    }
  }
}

/**
 * SGEMM on row-major matrices: C = alpha * op(A) * op(B) + beta * C, op(X) = X or X^T.
 * op(A) is m x k, op(B) is k x n, C is m x n; lda/ldb/ldc are row strides in floats.
 * Epilogue: when act >= 0, C = act(C + bias) (bias: n floats or 0) is applied to each MC x NC
 * block of C right after its last K block, while the block is still in cache.
 */
export function gemm(
  transA: bool,
  transB: bool,
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: f32,
  c: usize,
  ldc: i32,
  bias: usize,
  act: i32,
): void {
  scaleMatrix(c, m, n, ldc, beta);
  if (m == 0 || n == 0) return;
  if (alpha == 0 || k == 0) {
    if (act >= 0) biasActStrided(c, ldc, bias, c, ldc, m, n, act);
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(transB, b, ldb, pc, jc, kc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(transA, a, lda, ic, pc, mc, kc, alpha);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bp = PACK_B + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const ap = PACK_A + (<usize>(ir * kc) << 2);
            const cp = c + ((<usize>(ic + ir) * ldc + jc + jr) << 2);
            if (mr == MR && nr == NR) microFull(kc, ap, bp, cp, ldc);
            else microEdge(kc, ap, bp, cp, ldc, mr, nr);
          }
        }
        if (act >= 0 && pc + kc >= k) {
          const blk = c + ((<usize>ic * ldc + jc) << 2);
          biasActStrided(blk, ldc, bias ? bias + (<usize>jc << 2) : 0, blk, ldc, mc, nc, act);
        }
      }
    }
  }
}
