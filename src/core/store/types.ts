import type { JsonValue } from '../json.js';

/** The backends Mortar ships. */
export type StoreKind = 'memory' | 'sqlite' | 'postgres';

/** One immutable entry of a journal stream. */
export interface JournalRecord {
  /** The stream it belongs to, e.g. `studies/s1` or `runs/<id>/metrics`. */
  readonly stream: string;
  /** 1, 2, 3, ... contiguous per stream, in commit order. */
  readonly seq: number;
  /** Milliseconds since the epoch when the batch was appended (the store's clock). */
  readonly ts: number;
  /** The payload, exactly as JSON round-trips it. */
  readonly data: JsonValue;
}

/** A versioned JSON document addressed by (collection, key). */
export interface Doc {
  readonly collection: string;
  readonly key: string;
  /** 1 on creation, +1 on every write. Deleting forgets it: a re-created doc starts at 1 again. */
  readonly version: number;
  /** Milliseconds since the epoch of the last write (the store's clock). */
  readonly updatedAt: number;
  readonly value: JsonValue;
}

/** Options of {@link Store.append}. */
export interface AppendOptions {
  /** Optimistic concurrency: the stream's last seq must equal this (0 = the stream is empty). */
  readonly expectedLastSeq?: number;
}

/** The seqs a successful {@link Store.append} assigned; `firstSeq > lastSeq` for an empty batch. */
export interface AppendResult {
  readonly firstSeq: number;
  readonly lastSeq: number;
}

/** Options of {@link Store.read}. */
export interface ReadOptions {
  /** Only records with `seq > afterSeq` (default 0: from the start). */
  readonly afterSeq?: number;
  /** At most this many records (a positive integer; default: all). */
  readonly limit?: number;
}

/** Options of {@link Store.putDoc} and {@link Store.deleteDoc}. */
export interface DocWriteOptions {
  /** 0 = must not exist; n = must be at version n; omitted = unconditional. */
  readonly expectedVersion?: number;
}

/** Options of {@link Store.listDocs}. */
export interface ListDocsOptions {
  /** Only keys that start with this string. */
  readonly prefix?: string;
  /** At most this many docs (a positive integer; default: all). */
  readonly limit?: number;
  /** Key order (code point order, the same on every backend); default `'asc'`. */
  readonly order?: 'asc' | 'desc';
  /** Continue a listing: only keys strictly after this one in `order` (pass the last key seen). */
  readonly after?: string;
}

/**
 * Mortar's durable state: append-only journal streams (replayed to rebuild state: studies and
 * trials, lineage, metric histories) plus versioned JSON documents (runs, artifact metadata,
 * claims). Every subsystem receives a `Store`; none knows which backend it is.
 *
 * **Call order.** Obtain a store from `openStore()` (which applies migrations), call any methods
 * in any order, then `close()` once. After `close()` every method rejects with
 * `FAILED_PRECONDITION`; a second `close()` is a no-op.
 *
 * **Concurrency.** Every method is safe to call concurrently from many async callers. The
 * `sqlite` and `postgres` backends are also safe across processes (and, for postgres, machines)
 * sharing one database: appends are atomic, seqs per stream are contiguous with no gaps or
 * duplicates, and records become visible in seq order, so a reader that has seen seq n never
 * later sees a new record with seq <= n (tailing `read({ afterSeq })` is safe). `memory` lives
 * in one process. Writes that return have been committed: after a crash (even SIGKILL mid-write)
 * every committed record is readable and no partial batch is ever visible. Use
 * `expectedLastSeq` / `expectedVersion` for compare-and-set (e.g. claiming a trial).
 *
 * **Immutability.** Values are stored as JSON text; every call returns fresh copies, so mutating a
 * returned record or doc (despite the `readonly` types) never changes the store or what other
 * callers see, and mutating a value after passing it in changes nothing either. Values
 * round-trip as JSON does: key order is kept, `-0` becomes `0`.
 *
 * **Errors** (all {@link MortarError}): `INVALID_ARGUMENT` for a value that is not JSON-safe
 * (`undefined`, `NaN`, `Infinity`, functions, class instances, cycles), an empty or ill-formed
 * stream/collection/key, or a bad seq/limit; `CONFLICT` when an expectation fails (nothing is
 * written); `FAILED_PRECONDITION` after `close()`; `STORE_UNAVAILABLE` when the backend fails
 * (I/O, lost connection, lock timeout) — the write may or may not have happened only if the
 * connection was lost during commit; `STORE_INCOMPATIBLE` from `openStore()` for a store written
 * by a newer Mortar.
 *
 * Names (stream, collection, key) are non-empty, well-formed Unicode strings without NUL, at most
 * 1024 characters. Listings are sorted by code point (= UTF-8 byte) order on every backend.
 */
export interface Store {
  /** Which backend this is. */
  readonly kind: StoreKind;
  /** Where it lives, e.g. `sqlite:/abs/.mortar/mortar.db` or a postgres URL with the password redacted. */
  readonly description: string;
  /**
   * Appends `records` to `stream` atomically (all or none) and returns their seqs. An empty
   * batch writes nothing but still checks `expectedLastSeq`.
   * @throws CONFLICT when `expectedLastSeq` is given and the stream's last seq differs.
   */
  append(
    stream: string,
    records: readonly JsonValue[],
    opts?: AppendOptions,
  ): Promise<AppendResult>;
  /** Records of `stream` with `seq > afterSeq`, ascending, at most `limit`; `[]` for an unknown stream. */
  read(stream: string, opts?: ReadOptions): Promise<readonly JournalRecord[]>;
  /** The last seq of `stream`; 0 when it is empty or unknown. */
  lastSeq(stream: string): Promise<number>;
  /** Every non-empty stream whose name starts with `prefix`, sorted. */
  listStreams(prefix?: string): Promise<readonly string[]>;
  /** The doc at (collection, key), or `undefined`. */
  getDoc(collection: string, key: string): Promise<Doc | undefined>;
  /**
   * Creates or replaces the doc and returns it with its new version.
   * @throws CONFLICT when `expectedVersion` is given and does not match (0 = must not exist).
   */
  putDoc(collection: string, key: string, value: JsonValue, opts?: DocWriteOptions): Promise<Doc>;
  /**
   * Deletes the doc; true if it existed. With `expectedVersion: n > 0` a missing doc or another
   * version is a CONFLICT; with `expectedVersion: 0` an existing doc is a CONFLICT.
   */
  deleteDoc(collection: string, key: string, opts?: DocWriteOptions): Promise<boolean>;
  /** Docs of `collection`, sorted by key (see {@link ListDocsOptions}). */
  listDocs(collection: string, opts?: ListDocsOptions): Promise<readonly Doc[]>;
  /** Counts for `mortar store info`: non-empty streams, docs in total, docs per collection. */
  stats(): Promise<StoreStats>;
  /** The schema version of the underlying storage (the newest migration applied). */
  schemaVersion(): Promise<number>;
  /** Releases the connection/file handle. Idempotent. */
  close(): Promise<void>;
}

/** Sizes reported by {@link Store.stats}. */
export interface StoreStats {
  readonly streams: number;
  readonly records: number;
  readonly docs: number;
  /** Number of docs per collection, sorted by collection. */
  readonly collections: Readonly<Record<string, number>>;
}
