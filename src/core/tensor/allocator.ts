import { MortarError } from '../errors.js';

/** Every block starts on this many bytes, so SIMD loads and cache lines line up. */
export const ALIGN = 64;

/**
 * A first-fit free-list allocator over a byte range [base, limit) of one WebAssembly.Memory.
 * Pure bookkeeping: it never touches the memory itself. Freed neighbours coalesce, and a block
 * freed at the top lowers the top. When the top would pass `limit`, `grow(bytes)` is called to
 * make room (it returns the new limit), which is how the engine grows its memory.
 *
 * Not thread-safe; one allocator per engine, and one engine per thread.
 */
export class FreeListAllocator {
  private top: number;
  private limit: number;
  /** Free blocks below `top`, sorted by address, never adjacent (they coalesce). */
  private readonly free: { ptr: number; size: number }[] = [];
  private readonly sizes = new Map<number, number>();
  private used = 0;

  /**
   * @param base first usable byte (rounded up to {@link ALIGN}).
   * @param limit one past the last usable byte now.
   * @param grow called with the number of bytes needed past `limit`; returns the new limit.
   */
  constructor(
    base: number,
    limit: number,
    private readonly grow: (needBytes: number) => number,
  ) {
    this.top = roundUp(base);
    this.limit = limit;
  }

  /** Reserves `bytes` (rounded up to {@link ALIGN}, at least one block) and returns the address. */
  alloc(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `alloc: bytes must be an integer >= 0, got ${bytes}`,
      );
    }
    const size = Math.max(ALIGN, roundUp(bytes));
    for (let i = 0; i < this.free.length; i++) {
      const block = this.free[i] as { ptr: number; size: number };
      if (block.size < size) continue;
      const ptr = block.ptr;
      if (block.size === size) this.free.splice(i, 1);
      else {
        block.ptr += size;
        block.size -= size;
      }
      return this.track(ptr, size);
    }
    const ptr = this.top;
    if (ptr + size > this.limit) this.limit = this.grow(ptr + size - this.limit);
    this.top = ptr + size;
    return this.track(ptr, size);
  }

  /** Returns a block to the free list. Freeing an address that is not allocated throws. */
  release(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) {
      throw new MortarError(
        'FAILED_PRECONDITION',
        `free: address ${ptr} is not an allocated block (double free?)`,
      );
    }
    this.sizes.delete(ptr);
    this.used -= size;
    if (ptr + size === this.top) {
      this.top = ptr;
      // A free block now touching the top is absorbed too.
      const last = this.free[this.free.length - 1];
      if (last && last.ptr + last.size === this.top) {
        this.top = last.ptr;
        this.free.pop();
      }
      return;
    }
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.free[mid] as { ptr: number }).ptr < ptr) lo = mid + 1;
      else hi = mid;
    }
    const prev = this.free[lo - 1];
    const next = this.free[lo];
    if (prev && prev.ptr + prev.size === ptr) {
      prev.size += size;
      if (next && prev.ptr + prev.size === next.ptr) {
        prev.size += next.size;
        this.free.splice(lo, 1);
      }
    } else if (next && ptr + size === next.ptr) {
      next.ptr = ptr;
      next.size += size;
    } else {
      this.free.splice(lo, 0, { ptr, size });
    }
  }

  /** The size in bytes of the allocated block at `ptr`, or undefined. */
  sizeOf(ptr: number): number | undefined {
    return this.sizes.get(ptr);
  }

  /** Bytes in live blocks, the current top, the number of live blocks and of free holes. */
  stats(): { usedBytes: number; topBytes: number; liveBlocks: number; freeBlocks: number } {
    return {
      usedBytes: this.used,
      topBytes: this.top,
      liveBlocks: this.sizes.size,
      freeBlocks: this.free.length,
    };
  }

  private track(ptr: number, size: number): number {
    this.sizes.set(ptr, size);
    this.used += size;
    return ptr;
  }
}

function roundUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
