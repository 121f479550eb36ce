import { systemClock, type Clock } from '../clock.js';
import type { JsonValue } from '../json.js';
import {
  checkExpected,
  checkName,
  closedError,
  compareCodePoints,
  decodeJson,
  encodeJson,
  listOptions,
  readOptions,
  seqConflict,
  versionConflict,
} from './common.js';
import { LATEST_SCHEMA_VERSION } from './migrations.js';
import type {
  AppendOptions,
  AppendResult,
  Doc,
  DocWriteOptions,
  JournalRecord,
  ListDocsOptions,
  ReadOptions,
  Store,
  StoreStats,
} from './types.js';

interface StoredRecord {
  readonly ts: number;
  readonly json: string;
}
interface StoredDoc {
  readonly version: number;
  readonly updatedAt: number;
  readonly json: string;
}

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Timestamps for records and docs; default {@link systemClock}. */
  readonly clock?: Clock;
}

/**
 * A store that lives in this process's memory: for tests, examples and `memory:` URLs. It keeps
 * values as JSON text, exactly like the durable backends, so code tested against it behaves the
 * same on SQLite and PostgreSQL. Every method runs synchronously inside its promise, which makes
 * each call atomic with respect to every other.
 *
 * @example
 * const store = createMemoryStore();
 * await store.append('studies/s1', [{ op: 'create' }]);
 */
export function createMemoryStore(opts: MemoryStoreOptions = {}): Store {
  const clock = opts.clock ?? systemClock;
  const streams = new Map<string, StoredRecord[]>();
  const collections = new Map<string, Map<string, StoredDoc>>();
  const description = 'memory:';
  let closed = false;

  // Runs `fn` as an async method: validation errors and the closed check become rejections.
  const run = <T>(fn: () => T): Promise<T> =>
    new Promise<T>((resolve) => {
      if (closed) throw closedError(description);
      resolve(fn());
    });

  const toDoc = (collection: string, key: string, d: StoredDoc): Doc => ({
    collection,
    key,
    version: d.version,
    updatedAt: d.updatedAt,
    value: decodeJson(d.json),
  });

  return {
    kind: 'memory',
    description,

    append(
      stream: string,
      records: readonly JsonValue[],
      o?: AppendOptions,
    ): Promise<AppendResult> {
      return run(() => {
        checkName('stream', stream);
        const expected = checkExpected(o, 'expectedLastSeq');
        const encoded = records.map((r, i) => encodeJson(r, `records[${i}]`));
        const log = streams.get(stream) ?? [];
        if (expected !== undefined && expected !== log.length)
          throw seqConflict(stream, expected, log.length);
        const firstSeq = log.length + 1;
        if (encoded.length === 0) return { firstSeq, lastSeq: log.length };
        const ts = clock.now();
        for (const json of encoded) log.push({ ts, json });
        streams.set(stream, log);
        return { firstSeq, lastSeq: log.length };
      });
    },

    read(stream: string, o?: ReadOptions): Promise<readonly JournalRecord[]> {
      return run(() => {
        checkName('stream', stream);
        const { afterSeq, limit } = readOptions(o);
        const log = streams.get(stream) ?? [];
        const end = limit === undefined ? log.length : Math.min(log.length, afterSeq + limit);
        const out: JournalRecord[] = [];
        for (let i = afterSeq; i < end; i++) {
          const r = log[i] as StoredRecord;
          out.push({ stream, seq: i + 1, ts: r.ts, data: decodeJson(r.json) });
        }
        return out;
      });
    },

    lastSeq(stream: string): Promise<number> {
      return run(() => streams.get(checkName('stream', stream))?.length ?? 0);
    },

    listStreams(prefix = ''): Promise<readonly string[]> {
      return run(() => {
        checkName('prefix', prefix);
        return [...streams.keys()].filter((s) => s.startsWith(prefix)).sort(compareCodePoints);
      });
    },

    getDoc(collection: string, key: string): Promise<Doc | undefined> {
      return run(() => {
        checkName('collection', collection);
        checkName('key', key);
        const d = collections.get(collection)?.get(key);
        return d && toDoc(collection, key, d);
      });
    },

    putDoc(collection: string, key: string, value: JsonValue, o?: DocWriteOptions): Promise<Doc> {
      return run(() => {
        checkName('collection', collection);
        checkName('key', key);
        const expected = checkExpected(o, 'expectedVersion');
        const json = encodeJson(value, 'value');
        const docs = collections.get(collection) ?? new Map<string, StoredDoc>();
        const current = docs.get(key)?.version ?? 0;
        if (expected !== undefined && expected !== current)
          throw versionConflict(collection, key, expected, current);
        const d: StoredDoc = { version: current + 1, updatedAt: clock.now(), json };
        docs.set(key, d);
        collections.set(collection, docs);
        return toDoc(collection, key, d);
      });
    },

    deleteDoc(collection: string, key: string, o?: DocWriteOptions): Promise<boolean> {
      return run(() => {
        checkName('collection', collection);
        checkName('key', key);
        const expected = checkExpected(o, 'expectedVersion');
        const docs = collections.get(collection);
        const current = docs?.get(key)?.version ?? 0;
        if (expected !== undefined && expected !== current)
          throw versionConflict(collection, key, expected, current);
        if (!docs || current === 0) return false;
        docs.delete(key);
        if (docs.size === 0) collections.delete(collection);
        return true;
      });
    },

    listDocs(collection: string, o?: ListDocsOptions): Promise<readonly Doc[]> {
      return run(() => {
        checkName('collection', collection);
        const { prefix, limit, order, after } = listOptions(o);
        const docs = collections.get(collection);
        if (!docs) return [];
        const sign = order === 'asc' ? 1 : -1;
        const keys = [...docs.keys()]
          .filter(
            (k) =>
              k.startsWith(prefix) &&
              (after === undefined || sign * compareCodePoints(k, after) > 0),
          )
          .sort((a, b) => sign * compareCodePoints(a, b))
          .slice(0, limit);
        return keys.map((k) => toDoc(collection, k, docs.get(k) as StoredDoc));
      });
    },

    stats(): Promise<StoreStats> {
      return run(() => {
        let records = 0;
        for (const log of streams.values()) records += log.length;
        const perCollection: Record<string, number> = {};
        let docs = 0;
        for (const c of [...collections.keys()].sort(compareCodePoints)) {
          const n = collections.get(c)?.size ?? 0;
          perCollection[c] = n;
          docs += n;
        }
        return { streams: streams.size, records, docs, collections: perCollection };
      });
    },

    schemaVersion(): Promise<number> {
      return run(() => LATEST_SCHEMA_VERSION);
    },

    close(): Promise<void> {
      closed = true;
      streams.clear();
      collections.clear();
      return Promise.resolve();
    },
  };
}
