import { createHash } from 'node:crypto';
import type { TensorMap } from './tensor.js';

/** Options for {@link PredictionCache}. */
export interface PredictionCacheOptions {
  /** Most entries kept (body aliases count too); default 10,000. */
  readonly maxEntries?: number;
  /** Most bytes of cached outputs kept; default 64 MiB. */
  readonly maxBytes?: number;
}

/** What a body alias answers: the outputs and what the aliasing request stored with it. */
export interface AliasHit<M> {
  readonly outputs: TensorMap;
  readonly meta: M;
}

interface Stored {
  readonly out: TensorMap;
  readonly bytes: number;
}
interface Alias {
  readonly target: string;
  readonly meta: unknown;
  readonly bytes: number;
}
type Entry = Stored | Alias;

/** Per-alias bookkeeping bytes (the key and a small record). */
const ALIAS_BYTES = 64;

/**
 * An LRU cache of predictions keyed by model, version, requested outputs and a hash (SHA-1) of
 * the inputs' names, types, shapes and bytes ({@link inputHash}). The version is part of the
 * key, so a new version never answers from an old version's entries (and {@link dropModel} frees
 * them on reload). Stored outputs are private copies; hits return them (callers must not mutate
 * them). Bounded by entries and bytes. Counts hits and misses.
 *
 * A second, cheaper level for servers: an *alias* maps the hash of a raw request body (before
 * any decoding) to a stored entry, with a small record of how to answer (e.g. which outputs as
 * binary). A repeated body is answered from {@link getAlias} without decoding or hashing tensors.
 * Aliases are keyed under the same model/version prefix, so they go with {@link dropModel}.
 */
export class PredictionCache {
  readonly maxEntries: number;
  readonly maxBytes: number;
  private readonly map = new Map<string, Entry>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(opts: PredictionCacheOptions = {}) {
    this.maxEntries = Math.max(0, Math.floor(opts.maxEntries ?? 10_000));
    this.maxBytes = Math.max(0, Math.floor(opts.maxBytes ?? 64 * 1024 * 1024));
  }

  /** Entries held (aliases included). */
  get size(): number {
    return this.map.size;
  }

  /** hits / (hits + misses), or 0 before any lookup. */
  get hitRate(): number {
    const n = this.hits + this.misses;
    return n === 0 ? 0 : this.hits / n;
  }

  /** SHA-1 (base64) of the inputs' names, data types, shapes and bytes, in name order. */
  static inputHash(inputs: TensorMap): string {
    const h = createHash('sha1');
    for (const name of Object.keys(inputs).sort()) {
      const t = inputs[name]!;
      h.update(`${name}\0${t.datatype}\0${t.shape.join(',')}\0`);
      h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    }
    return h.digest('base64');
  }

  /** SHA-1 (base64) of raw bytes (a request body), for {@link aliasKey}. */
  static bytesHash(bytes: Uint8Array): string {
    return createHash('sha1').update(bytes).digest('base64');
  }

  /** The cache key for an {@link inputHash} of `model` at `version` asking for `outputs`. */
  static keyOf(
    model: string,
    version: string,
    inputHash: string,
    outputs?: readonly string[],
  ): string {
    const outs = outputs ? [...outputs].sort().join(',') : '*';
    return `${model}\0${version}\0${outs}\0${inputHash}`;
  }

  /** The cache key of `inputs` for `model` at `version` asking for `outputs` (undefined = all). */
  static key(
    model: string,
    version: string,
    inputs: TensorMap,
    outputs?: readonly string[],
  ): string {
    return PredictionCache.keyOf(model, version, PredictionCache.inputHash(inputs), outputs);
  }

  /** The alias key of a raw body's hash (e.g. {@link bytesHash}) for `model` at `version`. */
  static aliasKey(model: string, version: string, bodyHash: string): string {
    return `${model}\0${version}\0#body\0${bodyHash}`;
  }

  /** The cached outputs for `key`, marking it most recently used; counts a hit or a miss. */
  get(key: string): TensorMap | undefined {
    const e = this.map.get(key);
    if (!e || !('out' in e)) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.touch(key, e);
    return e.out;
  }

  /**
   * The outputs an alias points to, with its record, marking both most recently used. Counts a
   * hit when found; counts nothing when not (the caller then looks up the inputs' key).
   */
  getAlias<M>(alias: string): AliasHit<M> | undefined {
    const a = this.map.get(alias);
    if (!a || !('target' in a)) return undefined;
    const e = this.map.get(a.target);
    if (!e || !('out' in e)) {
      this.remove(alias);
      return undefined;
    }
    this.hits++;
    this.touch(a.target, e);
    this.touch(alias, a);
    return { outputs: e.out, meta: a.meta as M };
  }

  /** Stores a copy of `out` under `key`, evicting least recently used entries. */
  set(key: string, out: TensorMap): void {
    if (this.maxEntries === 0) return;
    const copy: Record<string, TensorMap[string]> = {};
    let bytes = key.length;
    for (const [name, t] of Object.entries(out)) {
      copy[name] = { datatype: t.datatype, shape: [...t.shape], data: t.data.slice() };
      bytes += t.data.byteLength;
    }
    if (bytes > this.maxBytes) return;
    this.put(key, { out: copy, bytes });
  }

  /** Points `alias` at the entry `target` (when it is held), with a record `meta` for its hits. */
  setAlias(alias: string, target: string, meta: unknown): void {
    if (this.maxEntries === 0 || !this.map.has(target)) return;
    this.put(alias, { target, meta, bytes: alias.length + ALIAS_BYTES });
  }

  /** Drops every entry of `model` (any version when `version` is undefined). */
  dropModel(model: string, version?: string): void {
    const prefix = version === undefined ? `${model}\0` : `${model}\0${version}\0`;
    for (const k of [...this.map.keys()]) if (k.startsWith(prefix)) this.remove(k);
  }

  private put(key: string, e: Entry): void {
    this.remove(key);
    this.map.set(key, e);
    this.bytes += e.bytes;
    while (this.map.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.map.keys().next().value as string;
      this.remove(oldest);
    }
  }

  private touch(key: string, e: Entry): void {
    this.map.delete(key);
    this.map.set(key, e);
  }

  private remove(key: string): void {
    const e = this.map.get(key);
    if (!e) return;
    this.map.delete(key);
    this.bytes -= e.bytes;
  }
}
