import { MortarError } from '../../core/errors.js';

/** The JSON form of a {@link HyperLogLog}: precision and base64 registers. */
export interface HllJson {
  readonly p: number;
  readonly registers: string;
}

/**
 * HyperLogLog distinct counting (Flajolet et al. 2007, with linear counting for small
 * cardinalities): 2^p one-byte registers, mergeable by register-wise max. Standard error
 * 1.04 / sqrt(2^p): 1.6% at the default p = 12 (4 KiB). Callers pass two independent 32-bit
 * hashes of each item: the first picks the register, the second gives the rank.
 */
export class HyperLogLog {
  readonly registers: Uint8Array;

  constructor(readonly p = 12) {
    if (!Number.isInteger(p) || p < 4 || p > 16) {
      throw new MortarError('INVALID_ARGUMENT', `HyperLogLog precision must be 4..16, got ${p}`, {
        details: { parameter: 'p', got: p },
      });
    }
    this.registers = new Uint8Array(1 << p);
  }

  /** The relative standard error of the estimate. */
  get standardError(): number {
    return 1.04 / Math.sqrt(1 << this.p);
  }

  /** Adds an item given its two hashes. */
  add(h1: number, h2: number): void {
    const idx = h1 >>> (32 - this.p);
    const rank = h2 === 0 ? 33 : Math.clz32(h2) + 1;
    if (rank > (this.registers[idx] as number)) this.registers[idx] = rank;
  }

  /** Folds `other` in (register-wise max). */
  merge(other: HyperLogLog): void {
    if (other.p !== this.p) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `cannot merge HyperLogLogs of precision ${this.p} and ${other.p}`,
      );
    }
    const a = this.registers;
    const b = other.registers;
    for (let i = 0; i < a.length; i++)
      if ((b[i] as number) > (a[i] as number)) a[i] = b[i] as number;
  }

  /** The estimated number of distinct items. */
  estimate(): number {
    const m = this.registers.length;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < m; i++) {
      const r = this.registers[i] as number;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / m);
    const raw = (alpha * m * m) / sum;
    if (raw <= 2.5 * m && zeros > 0) return m * Math.log(m / zeros);
    return raw;
  }

  /** JSON-safe form. */
  toJSON(): HllJson {
    return { p: this.p, registers: Buffer.from(this.registers).toString('base64') };
  }

  /** Rebuilds from {@link toJSON}'s output. */
  static fromJSON(j: HllJson): HyperLogLog {
    const h = new HyperLogLog(j.p);
    const bytes = Buffer.from(j.registers, 'base64');
    if (bytes.length !== h.registers.length) {
      throw new MortarError(
        'DATA_INVALID',
        `HyperLogLog registers: expected ${h.registers.length} bytes, got ${bytes.length}`,
      );
    }
    h.registers.set(bytes);
    return h;
  }
}
