import { createHash } from 'node:crypto';
import type { TensorMap } from './tensor.js';

/** Options for {@link PredictionCache}. */
export interface PredictionCacheOptions {
  /** Most entries kept; default 10,000. */
  readonly maxEntries?: number;
  /** Most bytes of cached outputs kept; default 64 MiB. */
  readonly maxBytes?: number;
}

/**
 * An LRU cache of predictions keyed by model, version, requested outputs and a hash (SHA-1) of
 * the inputs' names, types, shapes and bytes. The version is part of the key, so a new version
 * never answers from an old version's entries (and {@link dropModel} frees them on unload).
 * Stored outputs are private copies; hits return them (callers must not mutate them).
 * Bounded by entries and bytes. Counts hits and misses.
 */
export class PredictionCache {
  readonly maxEntries: number;
  readonly maxBytes: number;
  private readonly map = new Map<string, { out: TensorMap; bytes: number; model: string }>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(opts: PredictionCacheOptions = {}) {
    this.maxEntries = Math.max(0, Math.floor(opts.maxEntries ?? 10_000));
    this.maxBytes = Math.max(0, Math.floor(opts.maxBytes ?? 64 * 1024 * 1024));
  }

  /** Entries held. */
  get size(): number {
    return this.map.size;
  }

  /** hits / (hits + misses), or 0 before any lookup. */
  get hitRate(): number {
    const n = this.hits + this.misses;
    return n === 0 ? 0 : this.hits / n;
  }

  /** The cache key of `inputs` for `model` at `version` asking for `outputs` (undefined = all). */
  static key(
    model: string,
    version: string,
    inputs: TensorMap,
    outputs?: readonly string[],
  ): string {
    const h = createHash('sha1');
    for (const name of Object.keys(inputs).sort()) {
      const t = inputs[name]!;
      h.update(`${name}\0${t.datatype}\0${t.shape.join(',')}\0`);
      h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    }
    const outs = outputs ? [...outputs].sort().join(',') : '*';
    return `${model}\0${version}\0${outs}\0${h.digest('base64')}`;
  }

  /** The cached outputs for `key`, marking it most recently used; counts a hit or a miss. */
  get(key: string): TensorMap | undefined {
    const e = this.map.get(key);
    if (!e) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.map.delete(key);
    this.map.set(key, e);
    return e.out;
  }

  /** Stores a copy of `out` under `key` for `model`, evicting least recently used entries. */
  set(key: string, model: string, out: TensorMap): void {
    if (this.maxEntries === 0) return;
    const copy: Record<string, TensorMap[string]> = {};
    let bytes = key.length;
    for (const [name, t] of Object.entries(out)) {
      copy[name] = { datatype: t.datatype, shape: [...t.shape], data: t.data.slice() };
      bytes += t.data.byteLength;
    }
    if (bytes > this.maxBytes) return;
    const old = this.map.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.map.delete(key);
    }
    this.map.set(key, { out: copy, bytes, model });
    this.bytes += bytes;
    while (this.map.size > this.maxEntries || this.bytes > this.maxBytes) {
      const [k, e] = this.map.entries().next().value as [string, { bytes: number }];
      this.map.delete(k);
      this.bytes -= e.bytes;
    }
  }

  /** Drops every entry of `model` (any version when `version` is undefined). */
  dropModel(model: string, version?: string): void {
    const prefix = version === undefined ? `${model}\0` : `${model}\0${version}\0`;
    for (const [k, e] of this.map) {
      if (k.startsWith(prefix)) {
        this.map.delete(k);
        this.bytes -= e.bytes;
      }
    }
  }
}
