import { describe, expect, it } from 'vitest';
import { isMortarError } from '../errors.js';
import { ALIGN, FreeListAllocator } from './allocator.js';

function make(limit = 1 << 20) {
  const grown: number[] = [];
  let lim = limit;
  const a = new FreeListAllocator(100, limit, (need) => {
    grown.push(need);
    lim += Math.ceil(need / 65536) * 65536;
    return lim;
  });
  return { a, grown };
}

describe('FreeListAllocator', () => {
  it('aligns blocks and bumps the top', () => {
    const { a } = make();
    const p = a.alloc(10);
    const q = a.alloc(65);
    expect(p % ALIGN).toBe(0);
    expect(p).toBeGreaterThanOrEqual(100);
    expect(q).toBe(p + ALIGN);
    expect(a.sizeOf(q)).toBe(2 * ALIGN);
    expect(a.stats()).toMatchObject({ usedBytes: 3 * ALIGN, liveBlocks: 2 });
  });

  it('reuses freed holes first-fit and coalesces neighbours', () => {
    const { a } = make();
    const p = a.alloc(64);
    const q = a.alloc(64);
    const r = a.alloc(64);
    a.alloc(64); // keeps r's neighbour live so frees do not just lower the top
    a.release(p);
    a.release(r);
    expect(a.stats().freeBlocks).toBe(2);
    a.release(q); // p, q, r become one hole
    expect(a.stats().freeBlocks).toBe(1);
    expect(a.alloc(192)).toBe(p);
    expect(a.stats().freeBlocks).toBe(0);
  });

  it('lowers the top when the highest block is freed, absorbing a hole below it', () => {
    const { a } = make();
    const p = a.alloc(64);
    const q = a.alloc(64);
    const top0 = a.stats().topBytes;
    a.release(p);
    a.release(q);
    expect(a.stats()).toMatchObject({ topBytes: top0 - 128, freeBlocks: 0, usedBytes: 0 });
  });

  it('asks to grow when the top passes the limit', () => {
    const { a, grown } = make(4096);
    a.alloc(1000);
    expect(grown).toEqual([]);
    a.alloc(100_000);
    expect(grown.length).toBe(1);
    expect(grown[0]).toBeGreaterThan(90_000);
  });

  it('rejects double frees and bad sizes', () => {
    const { a } = make();
    const p = a.alloc(8);
    a.release(p);
    expect(() => a.release(p)).toThrow(/not an allocated block/);
    try {
      a.alloc(-1);
      expect.unreachable();
    } catch (e) {
      expect(isMortarError(e, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});
