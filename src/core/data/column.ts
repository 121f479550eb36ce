import type { DataType, Value } from './types.js';

/**
 * What every column offers row-wise consumers. Columns are immutable once built: readers hand
 * out fresh arrays per batch and never reuse them, so a consumer may keep a column.
 */
interface ColumnBase {
  readonly type: DataType;
  readonly length: number;
  /** How many cells are null. */
  readonly nullCount: number;
  /** True when cell `i` is null. */
  isNull(i: number): boolean;
  /** Cell `i` as a JS value (`Date` for date/timestamp, `null` when missing). */
  get(i: number): Value;
  /** A new column of the cells at `indices`, in that order. */
  take(indices: ArrayLike<number>): Column;
}

/** Any column. Switch on `kind` to reach the typed storage. */
export type Column = NumberColumn | BigIntColumn | BoolColumn | StringColumn | ValueColumn;

function countZeros(valid: Uint8Array | null): number {
  if (!valid) return 0;
  let n = 0;
  for (let i = 0; i < valid.length; i++) if (valid[i] === 0) n++;
  return n;
}

function takeValid(valid: Uint8Array | null, indices: ArrayLike<number>): Uint8Array | null {
  if (!valid) return null;
  const out = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = valid[indices[i] as number] as number;
  return out;
}

/**
 * Numbers, dates and times in a `Float64Array`. Nulls are `NaN` in `values` *and* 0 in `valid`
 * (`valid` is `null` when the column has no nulls), so numeric code may ignore `valid` and
 * treat NaN as missing. Dates and timestamps are epoch milliseconds; times are ms since midnight.
 */
export class NumberColumn implements ColumnBase {
  /** Discriminant. */
  readonly kind = 'number' as const;
  private nulls: number | undefined;
  /**
   * @param type the logical type (any of {@link NUMBER_TYPES}).
   * @param values one number per row; NaN where null.
   * @param valid 1 = present, 0 = null; `null` when nothing is null.
   */
  constructor(
    readonly type: DataType,
    readonly values: Float64Array,
    readonly valid: Uint8Array | null = null,
  ) {}
  /** Number of rows. */
  get length(): number {
    return this.values.length;
  }
  /** Number of nulls (counted once, lazily). */
  get nullCount(): number {
    return (this.nulls ??= countZeros(this.valid));
  }
  /** True when row `i` is null. */
  isNull(i: number): boolean {
    return this.valid !== null && this.valid[i] === 0;
  }
  /** Row `i`: a number, a `Date` for date/timestamp, or null. */
  get(i: number): number | Date | null {
    if (this.valid !== null && this.valid[i] === 0) return null;
    const v = this.values[i] as number;
    return this.type === 'date' || this.type === 'timestamp' ? new Date(v) : v;
  }
  /** The rows at `indices`. */
  take(indices: ArrayLike<number>): NumberColumn {
    const out = new Float64Array(indices.length);
    for (let i = 0; i < indices.length; i++) out[i] = this.values[indices[i] as number] as number;
    return new NumberColumn(this.type, out, takeValid(this.valid, indices));
  }
}

/** Exact 64-bit integers, produced only when a reader is asked for `int64: 'bigint'`. */
export class BigIntColumn implements ColumnBase {
  /** Discriminant. */
  readonly kind = 'bigint' as const;
  private nulls: number | undefined;
  /** @param valid 1 = present, 0 = null; `null` when nothing is null. */
  constructor(
    readonly type: 'int64' | 'uint64',
    readonly values: BigInt64Array | BigUint64Array,
    readonly valid: Uint8Array | null = null,
  ) {}
  /** Number of rows. */
  get length(): number {
    return this.values.length;
  }
  /** Number of nulls. */
  get nullCount(): number {
    return (this.nulls ??= countZeros(this.valid));
  }
  /** True when row `i` is null. */
  isNull(i: number): boolean {
    return this.valid !== null && this.valid[i] === 0;
  }
  /** Row `i` as a bigint, or null. */
  get(i: number): bigint | null {
    return this.isNull(i) ? null : (this.values[i] as bigint);
  }
  /** The rows at `indices`. */
  take(indices: ArrayLike<number>): BigIntColumn {
    const out =
      this.values instanceof BigInt64Array
        ? new BigInt64Array(indices.length)
        : new BigUint64Array(indices.length);
    for (let i = 0; i < indices.length; i++) out[i] = this.values[indices[i] as number] as bigint;
    return new BigIntColumn(this.type, out, takeValid(this.valid, indices));
  }
}

/** Booleans as 0/1 bytes. */
export class BoolColumn implements ColumnBase {
  /** Discriminant. */
  readonly kind = 'bool' as const;
  /** Always `bool`. */
  readonly type = 'bool' as const;
  private nulls: number | undefined;
  /** @param valid 1 = present, 0 = null; `null` when nothing is null. */
  constructor(
    readonly values: Uint8Array,
    readonly valid: Uint8Array | null = null,
  ) {}
  /** Number of rows. */
  get length(): number {
    return this.values.length;
  }
  /** Number of nulls. */
  get nullCount(): number {
    return (this.nulls ??= countZeros(this.valid));
  }
  /** True when row `i` is null. */
  isNull(i: number): boolean {
    return this.valid !== null && this.valid[i] === 0;
  }
  /** Row `i` as a boolean, or null. */
  get(i: number): boolean | null {
    return this.isNull(i) ? null : this.values[i] === 1;
  }
  /** The rows at `indices`. */
  take(indices: ArrayLike<number>): BoolColumn {
    const out = new Uint8Array(indices.length);
    for (let i = 0; i < indices.length; i++) out[i] = this.values[indices[i] as number] as number;
    return new BoolColumn(out, takeValid(this.valid, indices));
  }
}

/**
 * Dictionary-encoded strings: `codes[i]` indexes `dictionary`, -1 means null. The dictionary is
 * per batch (distinct strings of that batch, in first-seen order), so codes are comparable only
 * within one batch; compare `dictionary[code]` across batches.
 */
export class StringColumn implements ColumnBase {
  /** Discriminant. */
  readonly kind = 'string' as const;
  /** Always `string`. */
  readonly type = 'string' as const;
  private nulls: number | undefined;
  constructor(
    readonly codes: Int32Array,
    readonly dictionary: readonly string[],
  ) {}
  /** Number of rows. */
  get length(): number {
    return this.codes.length;
  }
  /** Always `null`: nulls are code -1. Present so every column has the same shape. */
  get valid(): null {
    return null;
  }
  /** Number of nulls. */
  get nullCount(): number {
    if (this.nulls === undefined) {
      let n = 0;
      for (let i = 0; i < this.codes.length; i++) if ((this.codes[i] as number) < 0) n++;
      this.nulls = n;
    }
    return this.nulls;
  }
  /** True when row `i` is null. */
  isNull(i: number): boolean {
    return (this.codes[i] as number) < 0;
  }
  /** Row `i` as a string, or null. */
  get(i: number): string | null {
    const c = this.codes[i] as number;
    return c < 0 ? null : (this.dictionary[c] as string);
  }
  /** The rows at `indices` (sharing this column's dictionary). */
  take(indices: ArrayLike<number>): StringColumn {
    const out = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) out[i] = this.codes[indices[i] as number] as number;
    return new StringColumn(out, this.dictionary);
  }
  /** Builds a column from strings (interning them into a fresh dictionary). */
  static from(values: readonly (string | null | undefined)[]): StringColumn {
    const dict: string[] = [];
    const index = new Map<string, number>();
    const codes = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) {
        codes[i] = -1;
        continue;
      }
      let c = index.get(v);
      if (c === undefined) {
        c = dict.length;
        dict.push(v);
        index.set(v, c);
      }
      codes[i] = c;
    }
    return new StringColumn(codes, dict);
  }
}

/** Nested or exotic values (lists, structs, maps, blobs, intervals) as plain JS values. */
export class ValueColumn implements ColumnBase {
  /** Discriminant. */
  readonly kind = 'value' as const;
  /** Always `other`. */
  readonly type = 'other' as const;
  constructor(readonly values: readonly unknown[]) {}
  /** Number of rows. */
  get length(): number {
    return this.values.length;
  }
  /** Always `null`: nulls are `null` values. */
  get valid(): null {
    return null;
  }
  /** Number of nulls. */
  get nullCount(): number {
    return this.values.reduce<number>((n, v) => (v === null || v === undefined ? n + 1 : n), 0);
  }
  /** True when row `i` is null. */
  isNull(i: number): boolean {
    return this.values[i] === null || this.values[i] === undefined;
  }
  /** Row `i`. */
  get(i: number): unknown {
    return this.values[i] ?? null;
  }
  /** The rows at `indices`. */
  take(indices: ArrayLike<number>): ValueColumn {
    return new ValueColumn(
      Array.from({ length: indices.length }, (_, i) => this.values[indices[i] as number]),
    );
  }
}
