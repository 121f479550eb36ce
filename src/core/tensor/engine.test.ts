import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { isMortarError } from '../errors.js';
import { compileKernels, loadEngine, type Engine } from './engine.js';

let e: Engine;
beforeAll(async () => {
  e = await loadEngine();
});

describe('Engine and Tensor', () => {
  it('compiles the module once and gives independent instances', async () => {
    expect(await compileKernels()).toBe(await compileKernels());
    const other = await loadEngine();
    const a = e.fromArray([1, 2, 3]);
    const b = other.fromArray([4, 5, 6]);
    expect(a.engine).not.toBe(b.engine);
    expect([...a.data]).toEqual([1, 2, 3]);
    expect([...b.data]).toEqual([4, 5, 6]);
    a.dispose();
  });

  it('makes zeros, float and int tensors with shapes', () => {
    const z = e.zeros([2, 3]);
    expect(z.shape).toEqual([2, 3]);
    expect(z.size).toBe(6);
    expect([...z.data]).toEqual([0, 0, 0, 0, 0, 0]);
    const i = e.fromInts([1, -2, 3], [3]);
    expect(i.dtype).toBe('int32');
    expect(i.data).toBeInstanceOf(Int32Array);
    expect([...i.data]).toEqual([1, -2, 3]);
    z.dispose();
    i.dispose();
  });

  it('re-derives views after memory growth detaches the old buffer', () => {
    const t = e.fromArray([1, 2, 3, 4]);
    const before = t.data;
    const grownFrom = e.memory.buffer.byteLength;
    const big = e.empty([8 * 1024 * 1024]); // 32 MiB forces growth
    expect(e.memory.buffer.byteLength).toBeGreaterThan(grownFrom);
    expect(before.length).toBe(0); // detached
    expect([...t.data]).toEqual([1, 2, 3, 4]);
    big.dispose();
    t.dispose();
  });

  it('frees memory for reuse and rejects use after dispose', () => {
    const start = e.stats().usedBytes;
    const t = e.zeros([100]);
    expect(e.stats().usedBytes).toBeGreaterThan(start);
    t.dispose();
    expect(e.stats().usedBytes).toBe(start);
    expect(t.isAlive).toBe(false);
    expect(() => t.data).toThrow(/disposed/);
    t.dispose(); // idempotent
  });

  it('scope disposes what it allocated except the returned tensors', () => {
    const start = e.stats().liveBlocks;
    const kept = e.scope(() => {
      e.zeros([10]);
      const inner = e.scope(() => [e.zeros([3]), e.zeros([4])]);
      expect(inner).toHaveLength(2);
      return e.fromArray([7]);
    });
    expect(e.stats().liveBlocks).toBe(start + 1);
    expect([...kept.data]).toEqual([7]);
    kept.dispose();
    expect(() =>
      e.scope(() => {
        e.zeros([5]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(e.stats().liveBlocks).toBe(start);
  });

  it('reshape and view share bytes and check sizes', () => {
    const t = e.fromArray([1, 2, 3, 4, 5, 6], [2, 3]);
    const r = t.reshape([3, 2]);
    r.data[0] = 9;
    expect(t.data[0]).toBe(9);
    const v = t.view(3, [3]);
    expect([...v.data]).toEqual([4, 5, 6]);
    expect(() => t.reshape([4, 2])).toThrow(/cannot view shape \[2,3\] as \[4,2\]/);
    expect(() => t.view(4, [3])).toThrow(/does not fit/);
    r.dispose(); // a view does not own
    expect(t.isAlive).toBe(true);
    t.dispose();
    expect(r.isAlive).toBe(false);
  });

  it('rejects bad shapes and value counts with INVALID_ARGUMENT, leaking nothing', () => {
    const live = e.stats().liveBlocks;
    for (const f of [
      () => e.zeros([2, -1]),
      () => e.zeros([1.5]),
      () => e.fromArray([1, 2, 3], [2, 2]),
    ]) {
      try {
        f();
        expect.unreachable();
      } catch (err) {
        expect(isMortarError(err, 'INVALID_ARGUMENT')).toBe(true);
      }
    }
    expect(() => e.fromInts([1, 2], [3])).toThrow(/fromInts: got 2 values for shape \[3\]/);
    expect(e.stats().liveBlocks).toBe(live);
  });

  it('posts the compiled module to a worker thread, which instantiates its own engine memory', async () => {
    const module = await compileKernels();
    // The worker is plain JS (no TypeScript loader there): it instantiates the posted module and
    // runs a 2x2 gemm at the module's heap base, which is what loadEngine({ module }) does.
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      WebAssembly.instantiate(workerData.module, {}).then((inst) => {
        const k = inst.exports;
        const base = k.heapBase();
        const f = new Float32Array(k.memory.buffer, base, 12);
        f.set([1, 2, 3, 4, 5, 6, 7, 8]);
        k.gemm(0, 0, 2, 2, 2, 1, base, 2, base + 16, 2, 0, base + 32, 2, 0, -1);
        parentPort.postMessage(Array.from(f.subarray(8, 12)));
      });
    `;
    const worker = new Worker(code, { eval: true, workerData: { module } });
    const result = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(result).toEqual([19, 22, 43, 50]);
    const local = await loadEngine({ module });
    expect(local.kernels.heapBase()).toBeGreaterThan(0);
  });
});
