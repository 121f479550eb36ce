import { readFile } from 'node:fs/promises';
import { MortarError } from '../errors.js';
import { wasm, type KernelExports, type WasmMemory, type WasmModule } from './abi.js';
import { FreeListAllocator } from './allocator.js';
import { Tensor, type DType } from './tensor.js';

const PAGE = 65536;

/** Where the built kernels live: beside this file, in src/ (tsx, vitest) and dist/ alike. */
export const KERNELS_URL = new URL('./kernels.wasm', import.meta.url);

let compiled: Promise<WasmModule> | undefined;

/**
 * Compiles kernels.wasm once per process (or worker) and caches the module. A compiled
 * WebAssembly.Module can be posted to a worker thread and handed to {@link loadEngine} there.
 */
export function compileKernels(): Promise<WasmModule> {
  compiled ??= (async () => {
    let bytes: Buffer;
    try {
      bytes = await readFile(KERNELS_URL);
    } catch (cause) {
      throw new MortarError(
        'DEPENDENCY_MISSING',
        `tensor engine: ${KERNELS_URL.pathname} is missing; build it with \`npm run build:wasm\``,
        { cause },
      );
    }
    try {
      return await wasm.compile(bytes);
    } catch (cause) {
      throw new MortarError(
        'UNSUPPORTED',
        'tensor engine: this runtime cannot compile WebAssembly SIMD (needs Node >= 16.4)',
        { cause },
      );
    }
  })();
  compiled.catch(() => (compiled = undefined));
  return compiled;
}

/** Options for {@link loadEngine}. */
export interface EngineOptions {
  /** A module compiled elsewhere (e.g. posted from the main thread); default: compile once here. */
  readonly module?: WasmModule;
}

/**
 * Instantiates a fresh engine: its own WebAssembly memory, allocator and kernels. The module
 * is compiled once per process; each call makes an independent instance (cheap).
 *
 * @example
 * const engine = await loadEngine();
 * const a = engine.fromArray([1, 2, 3, 4], [2, 2]);
 */
export async function loadEngine(options: EngineOptions = {}): Promise<Engine> {
  const module = options.module ?? (await compileKernels());
  const instance = await wasm.instantiate(module, {});
  return new Engine(instance.exports as unknown as KernelExports);
}

/**
 * One instance of the kernels with its memory and a free-list allocator for tensors.
 * Not thread-safe: use one engine per thread (worker threads each call {@link loadEngine}).
 */
export class Engine {
  /** The raw kernel exports (pointers are byte addresses into {@link Engine.memory}). */
  readonly kernels: KernelExports;
  /** The linear memory every tensor of this engine lives in; it grows, never shrinks. */
  readonly memory: WasmMemory;
  private readonly allocator: FreeListAllocator;
  private readonly scopes: Set<Tensor<DType>>[] = [];

  /** @internal Use {@link loadEngine}. */
  constructor(kernels: KernelExports) {
    this.kernels = kernels;
    this.memory = kernels.memory;
    this.allocator = new FreeListAllocator(
      kernels.heapBase(),
      this.memory.buffer.byteLength,
      (need) => {
        try {
          this.memory.grow(Math.ceil(need / PAGE));
        } catch (cause) {
          throw new MortarError(
            'RESOURCE_EXHAUSTED',
            `tensor engine: cannot grow WebAssembly memory by ${need} bytes (4 GiB is the wasm32 limit)`,
            { cause },
          );
        }
        return this.memory.buffer.byteLength;
      },
    );
  }

  /** An uninitialised float32 tensor (contents are whatever the reused bytes held). */
  empty(shape: readonly number[]): Tensor;
  /** An uninitialised tensor of the given dtype. */
  empty<D extends DType>(shape: readonly number[], dtype: D): Tensor<D>;
  empty<D extends DType>(shape: readonly number[], dtype?: D): Tensor<D> {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `tensor shape [${shape.join(',')}]: dims must be integers >= 0`,
        );
      }
    }
    const size = shape.reduce((a, b) => a * b, 1);
    const ptr = this.allocator.alloc(size * 4);
    const t = new Tensor<D>(this, ptr, shape, (dtype ?? 'float32') as D);
    this.scopes[this.scopes.length - 1]?.add(t);
    return t;
  }

  /** A zero-filled float32 tensor. */
  zeros(shape: readonly number[]): Tensor;
  /** A zero-filled tensor of the given dtype. */
  zeros<D extends DType>(shape: readonly number[], dtype: D): Tensor<D>;
  zeros<D extends DType>(shape: readonly number[], dtype?: D): Tensor<D> {
    const t = this.empty<D>(shape, (dtype ?? 'float32') as D);
    t.data.fill(0);
    return t;
  }

  /** A float32 tensor holding `values`; shape defaults to `[values.length]`. */
  fromArray(values: ArrayLike<number>, shape: readonly number[] = [values.length]): Tensor {
    checkCount('fromArray', values, shape);
    return this.empty(shape).set(values);
  }

  /** An int32 tensor holding `values` (labels, indices); shape defaults to `[values.length]`. */
  fromInts(values: ArrayLike<number>, shape: readonly number[] = [values.length]): Tensor<'int32'> {
    checkCount('fromInts', values, shape);
    return this.empty(shape, 'int32').set(values);
  }

  /**
   * Runs `fn` and disposes every tensor allocated inside it except those it returns (a tensor,
   * or an array of tensors). Scopes nest; an exception disposes everything allocated inside.
   * Return owning tensors, not reshape/view views of them (their base would be disposed).
   */
  scope<T>(fn: () => T): T {
    const created = new Set<Tensor<DType>>();
    this.scopes.push(created);
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.scopes.pop();
      for (const t of created) t.dispose();
      throw e;
    }
    this.scopes.pop();
    const keep = new Set<unknown>(Array.isArray(result) ? result : [result]);
    const outer = this.scopes[this.scopes.length - 1];
    for (const t of created) {
      if (keep.has(t)) outer?.add(t);
      else t.dispose();
    }
    return result;
  }

  /** Live bytes, the heap top, live tensors and free holes, and the memory size. */
  stats(): {
    usedBytes: number;
    topBytes: number;
    liveBlocks: number;
    freeBlocks: number;
    memoryBytes: number;
  } {
    return { ...this.allocator.stats(), memoryBytes: this.memory.buffer.byteLength };
  }

  /** @internal Called by Tensor.dispose. */
  release(t: Tensor<DType>): void {
    this.allocator.release(t.ptr);
  }
}

function checkCount(op: string, values: ArrayLike<number>, shape: readonly number[]): void {
  const size = shape.reduce((a, b) => a * b, 1);
  if (values.length !== size) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `${op}: got ${values.length} values for shape [${shape.join(',')}] (${size} elements)`,
    );
  }
}
